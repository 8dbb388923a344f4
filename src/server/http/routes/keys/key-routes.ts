import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { PERMISSIONS } from '../../../auth/policy.js';
import { actorOf, type UserPrincipal } from '../../../auth/principal.js';
import { errors } from '../../../core/errors.js';
import type { ApiKeyRecord } from '../../../storage/api-key-repo.js';
import type { AppDeps } from '../../app-deps.js';
import { requestMeta } from '../auth/auth-routes.js';

const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
const ListQuery = Type.Object(
  {
    kind: Type.Optional(Type.Union([Type.Literal('user'), Type.Literal('agent')])),
    userId: Type.Optional(Type.String({ format: 'uuid' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
    offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000_000 })),
  },
  { additionalProperties: false },
);
const CreateBody = Type.Union([
  Type.Object(
    {
      kind: Type.Literal('user'),
      name: Type.String({ minLength: 1, maxLength: 100 }),
      scopes: Type.Optional(Type.Array(Type.Union(PERMISSIONS.map((p) => Type.Literal(p))), { maxItems: PERMISSIONS.length, uniqueItems: true })),
      expiresInDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 3650 })),
      userId: Type.Optional(Type.String({ format: 'uuid', description: 'Another user (needs write:users); default: yourself' })),
    },
    { additionalProperties: false },
  ),
  Type.Object({ kind: Type.Literal('agent'), name: Type.String({ minLength: 1, maxLength: 100 }), agentId: Type.String({ format: 'uuid' }) }, { additionalProperties: false }),
]);

/** A key as listed: never the hash or the secret. */
export function keyView(k: ApiKeyRecord) {
  return { id: k.id, kind: k.kind, name: k.name, prefix: k.prefix, userId: k.userId, agentId: k.agentId, scopes: k.scopes, createdAt: k.createdAt, createdBy: k.createdBy, lastUsedAt: k.lastUsedAt, expiresAt: k.expiresAt, revokedAt: k.revokedAt };
}

function userOf(req: FastifyRequest): UserPrincipal {
  const p = req.principal;
  if (p?.kind !== 'user') throw errors.unauthenticated();
  return p;
}

/**
 * Whether `p` may see or revoke key `k`: their own user tokens; any user token with
 * `write:users`; agent keys with `write:agents`. Keys a caller may not see answer 404, exactly
 * like keys that do not exist (no probing for ids).
 */
function mayManage(p: UserPrincipal, k: ApiKeyRecord): boolean {
  if (k.kind === 'user') return k.userId === p.userId || p.permissions.includes('write:users');
  return p.permissions.includes('write:agents');
}

/** API keys: user tokens (optionally scoped and expiring) and agent ingest keys; secrets shown once. */
export async function keyRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  app.get<{ Querystring: Static<typeof ListQuery> }>(
    '/api/v1/keys',
    { config: { access: 'authenticated' }, schema: { tags: ['keys'], summary: 'Keys you may manage (newest first, limit ≤ 1000, default 500): your tokens; all tokens with write:users; agent keys with write:agents', querystring: ListQuery } },
    async (req) => {
      const p = userOf(req);
      const filter = { ...(req.query.kind ? { kind: req.query.kind } : {}), ...(req.query.userId ? { userId: req.query.userId } : {}) };
      const keys = (await deps.keys.list(filter)).filter((k) => mayManage(p, k));
      const offset = req.query.offset ?? 0;
      return { keys: keys.slice(offset, offset + (req.query.limit ?? 500)).map(keyView), total: keys.length };
    },
  );

  app.post<{ Body: Static<typeof CreateBody> }>(
    '/api/v1/keys',
    { config: { access: 'authenticated' }, schema: { tags: ['keys'], summary: 'Create a key; the secret is in this answer only', body: CreateBody } },
    async (req, reply) => {
      const p = userOf(req);
      // Minting credentials needs a real sign-in: a leaked token must not be able to mint more.
      if (p.via !== 'session') throw errors.forbidden('a signed-in session (API tokens cannot create keys)');
      const body = req.body;
      let created;
      if (body.kind === 'agent') {
        if (!p.permissions.includes('write:agents')) throw await deniedKey(deps, req, 'write:agents');
        const agent = await deps.storage.agents.get(body.agentId);
        if (!agent) throw errors.notFound('agent');
        created = await deps.keys.createAgentKey(agent.id, body.name, actorOf(p));
      } else {
        const userId = body.userId ?? p.userId;
        if (userId !== p.userId && !p.permissions.includes('write:users')) throw await deniedKey(deps, req, 'write:users');
        const owner = await deps.users.get(userId);
        // A token never grants more than its creator holds (scopes are intersected again at use).
        const scopes = body.scopes ?? [];
        const beyond = userId === p.userId ? scopes.filter((s) => !p.permissions.includes(s)) : [];
        if (beyond.length) throw errors.validation(`you do not hold ${beyond.join(', ')}`);
        const expiresAt = body.expiresInDays ? deps.clock.now() + body.expiresInDays * 86_400_000 : null;
        created = await deps.keys.createUserToken(owner.id, body.name, scopes, expiresAt, actorOf(p));
      }
      const target = created.record.kind === 'agent' ? `agent-key:${created.record.id}` : `user-token:${created.record.id}`;
      await deps.audit.record({ actor: actorOf(p), action: 'key.create', target, ...requestMeta(req), outcome: 'success', details: { kind: created.record.kind, name: created.record.name, scopes: created.record.scopes } });
      return reply.status(201).send({ key: keyView(created.record), secret: created.secret });
    },
  );

  app.delete<{ Params: Static<typeof IdParams> }>(
    '/api/v1/keys/:id',
    { config: { access: 'authenticated' }, schema: { tags: ['keys'], summary: 'Revoke a key (effective immediately)', params: IdParams } },
    async (req, reply) => {
      const p = userOf(req);
      const key = await deps.storage.apiKeys.get(req.params.id);
      if (!key || !mayManage(p, key)) throw errors.notFound('key');
      const revoked = await deps.keys.revoke(key.id);
      if (revoked && key.kind === 'agent') deps.hub.disconnectWhere((x) => x.kind === 'agent' && x.keyId === key.id, 'key revoked');
      if (revoked && key.kind === 'user') deps.hub.disconnectWhere((x) => x.kind === 'user' && x.keyId === key.id, 'key revoked');
      await deps.audit.record({ actor: actorOf(p), action: 'key.revoke', target: `${key.kind}-key:${key.id}`, ...requestMeta(req), outcome: revoked ? 'success' : 'failure', details: revoked ? null : { reason: 'already revoked' } });
      return reply.status(204).send();
    },
  );
}

async function deniedKey(deps: AppDeps, req: FastifyRequest, permission: string) {
  await deps.audit.record({ actor: actorOf(req.principal), action: 'authz.denied', target: `${req.method} ${req.routeOptions.url ?? req.url}`, ...requestMeta(req), outcome: 'denied', details: { permission } });
  return errors.forbidden(permission);
}
