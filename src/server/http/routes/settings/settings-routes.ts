import type { FastifyInstance } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { actorOf } from '../../../auth/principal.js';
import { errors } from '../../../core/errors.js';
import type { OutboundAllowlist } from '../../../outbound/address-policy.js';
import { allowlistProblems, normalizeAllowlist, OUTBOUND_ALLOWLIST_SETTING, permissiveEntries } from '../../../outbound/outbound-allowlist.js';
import type { AppDeps } from '../../app-deps.js';
import { requestMeta } from '../auth/auth-routes.js';

const AllowlistBody = Type.Object(
  {
    cidrs: Type.Array(Type.String({ maxLength: 64 }), { maxItems: 100, description: 'Internal ranges outbound calls may reach, e.g. 10.1.0.0/16' }),
    hosts: Type.Array(Type.String({ maxLength: 253 }), { maxItems: 100, description: 'Host names allowed whatever they resolve to' }),
  },
  { additionalProperties: false },
);

/** Server settings admins change at run time: the outbound (SSRF guard) allowlist. */
export async function settingsRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const read = async (): Promise<OutboundAllowlist> => (await deps.storage.settings.get<OutboundAllowlist>(OUTBOUND_ALLOWLIST_SETTING)) ?? { cidrs: [], hosts: [] };

  app.get('/api/v1/settings/outbound-allowlist', { config: { access: 'manage:settings' }, schema: { tags: ['settings'], summary: 'Internal targets webhooks, checks and SSO may reach' } }, async () => {
    const list = await read();
    return { ...list, warnings: permissiveEntries(list) };
  });

  app.put<{ Body: Static<typeof AllowlistBody> }>(
    '/api/v1/settings/outbound-allowlist',
    { config: { access: 'manage:settings' }, schema: { tags: ['settings'], summary: 'Replace the outbound allowlist (effective on the next outbound call)', body: AllowlistBody } },
    async (req) => {
      const next = normalizeAllowlist(req.body);
      const problems = allowlistProblems(next);
      if (problems.length) throw errors.validation(`the allowlist is not valid: ${problems.join('; ')}`, { problems });
      const before = await read();
      await deps.storage.settings.set(OUTBOUND_ALLOWLIST_SETTING, next, deps.clock.now());
      await deps.audit.record({ actor: actorOf(req.principal), action: 'setting.change', target: `setting:${OUTBOUND_ALLOWLIST_SETTING}`, ...requestMeta(req), outcome: 'success', details: { before, after: next } });
      return { ...next, warnings: permissiveEntries(next) };
    },
  );
}
