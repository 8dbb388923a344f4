import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import type { UserPrincipal } from '../../../auth/principal.js';
import { errors } from '../../../core/errors.js';
import type { AppDeps } from '../../app-deps.js';
import { requestMeta } from './auth-routes.js';

const CodeBody = Type.Object({ code: Type.String({ minLength: 1, maxLength: 16 }) }, { additionalProperties: false });

/** The signed-in user; TOTP is managed from a session only (a leaked token cannot turn it off). */
function sessionUser(req: FastifyRequest): UserPrincipal {
  const p = req.principal;
  if (p?.kind !== 'user' || p.via !== 'session') throw errors.forbidden('a signed-in session (API tokens cannot manage two-factor authentication)');
  return p;
}

/** The user's own TOTP second factor: set up, confirm, turn off. */
export async function totpRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  app.post(
    '/api/v1/auth/totp/setup',
    { config: { access: 'authenticated' }, schema: { tags: ['auth'], summary: 'Start two-factor setup: returns the secret and otpauth:// URI once (inactive until confirmed)' } },
    async (req) => {
      const p = sessionUser(req);
      const setup = await deps.totp.setup(p.userId);
      await deps.audit.record({ actor: `user:${p.username}`, action: 'user.totp_setup', target: `user:${p.username}`, ...requestMeta(req), outcome: 'success' });
      return setup;
    },
  );

  app.post<{ Body: Static<typeof CodeBody> }>(
    '/api/v1/auth/totp/enable',
    { config: { access: 'authenticated' }, schema: { tags: ['auth'], summary: 'Confirm two-factor setup with a current code', body: CodeBody } },
    async (req, reply) => {
      const p = sessionUser(req);
      try {
        await deps.totp.enable(p.userId, req.body.code);
      } catch (err) {
        await deps.audit.record({ actor: `user:${p.username}`, action: 'user.totp_enable', target: `user:${p.username}`, ...requestMeta(req), outcome: 'failure' });
        throw err;
      }
      await deps.audit.record({ actor: `user:${p.username}`, action: 'user.totp_enable', target: `user:${p.username}`, ...requestMeta(req), outcome: 'success' });
      return reply.status(204).send();
    },
  );

  app.post<{ Body: Static<typeof CodeBody> }>(
    '/api/v1/auth/totp/disable',
    { config: { access: 'authenticated' }, schema: { tags: ['auth'], summary: 'Turn two-factor authentication off (needs a current code)', body: CodeBody } },
    async (req, reply) => {
      const p = sessionUser(req);
      if (deps.security.require2faForAdmins && p.role === 'admin') throw errors.validation('two-factor authentication is required for admins on this server');
      try {
        await deps.totp.disable(p.userId, req.body.code);
      } catch (err) {
        await deps.audit.record({ actor: `user:${p.username}`, action: 'user.totp_disable', target: `user:${p.username}`, ...requestMeta(req), outcome: 'failure' });
        throw err;
      }
      await deps.audit.record({ actor: `user:${p.username}`, action: 'user.totp_disable', target: `user:${p.username}`, ...requestMeta(req), outcome: 'success' });
      return reply.status(204).send();
    },
  );
}
