import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { actorOf } from '../../../auth/principal.js';
import { hashToken } from '../../../auth/token-hash.js';
import { errors } from '../../../core/errors.js';
import { ROLES, type Role } from '../../../storage/user-repo.js';
import type { SessionRecord } from '../../../storage/session-repo.js';
import type { AppDeps } from '../../app-deps.js';
import { adminUserView } from '../auth/user-view.js';
import { requestMeta } from '../auth/auth-routes.js';

const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
const SessionParams = Type.Object({ id: Type.String({ format: 'uuid' }), sessionId: Type.String({ pattern: '^[0-9a-f]{32}$' }) });
const RoleSchema = Type.Union(ROLES.map((r) => Type.Literal(r)));
const CreateBody = Type.Object({ username: Type.String({ minLength: 1, maxLength: 64 }), password: Type.String({ minLength: 1, maxLength: 4096 }), role: RoleSchema }, { additionalProperties: false });
const PatchBody = Type.Object({ role: Type.Optional(RoleSchema), disabled: Type.Optional(Type.Boolean()) }, { additionalProperties: false, minProperties: 1 });
const PasswordBody = Type.Object({ password: Type.String({ minLength: 1, maxLength: 4096 }) }, { additionalProperties: false });
const PageQuery = Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })), offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000 })) }, { additionalProperties: false });

/** Public handle of a session: half of the stored id hash (the cookie value cannot be derived from it). */
export function sessionHandle(idHash: string): string {
  return idHash.slice(0, 32);
}

function sessionView(s: SessionRecord, currentIdHash: string | null) {
  return { id: sessionHandle(s.idHash), createdAt: s.createdAt, lastSeenAt: s.lastSeenAt, expiresAt: s.expiresAt, ip: s.ip, userAgent: s.userAgent, current: s.idHash === currentIdHash };
}

/** User administration (admins): list, create, change role, disable, reset password, sessions, 2FA reset. */
export async function userRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const audit = (req: FastifyRequest, action: string, target: string, details?: Record<string, unknown>) =>
    deps.audit.record({ actor: actorOf(req.principal), action, target, ...requestMeta(req), outcome: 'success', details: details ?? null });
  const currentHash = (req: FastifyRequest) => (req.principal?.kind === 'user' ? req.principal.sessionIdHash : null);
  /** Ends the user's sessions and live connections (after disable, demotion or password reset). */
  const kick = async (userId: string, reason: string) => {
    await deps.sessions.destroyAllForUser(userId);
    deps.hub.disconnectWhere((p) => p.kind === 'user' && p.userId === userId, reason);
  };

  app.get<{ Querystring: Static<typeof PageQuery> }>(
    '/api/v1/users',
    { config: { access: 'read:users' }, schema: { tags: ['users'], summary: 'Users by name, a page at a time (limit ≤ 1000, default 500)', querystring: PageQuery } },
    async (req) => {
      const all = await deps.users.list();
      const offset = req.query.offset ?? 0;
      const limit = req.query.limit ?? 500;
      return { users: all.slice(offset, offset + limit).map(adminUserView), total: all.length };
    },
  );

  app.post<{ Body: Static<typeof CreateBody> }>(
    '/api/v1/users',
    { config: { access: 'write:users' }, schema: { tags: ['users'], summary: 'Create a user with a password', body: CreateBody } },
    async (req, reply) => {
      const user = await deps.users.create(req.body.username, req.body.password, req.body.role);
      await audit(req, 'user.create', `user:${user.username}`, { role: user.role });
      return reply.status(201).send({ user: adminUserView(user) });
    },
  );

  app.get<{ Params: Static<typeof IdParams> }>('/api/v1/users/:id', { config: { access: 'read:users' }, schema: { tags: ['users'], summary: 'One user', params: IdParams } }, async (req) => ({
    user: adminUserView(await deps.users.get(req.params.id)),
  }));

  app.patch<{ Params: Static<typeof IdParams>; Body: Static<typeof PatchBody> }>(
    '/api/v1/users/:id',
    { config: { access: 'write:users' }, schema: { tags: ['users'], summary: 'Change role and/or disable (takes effect on the next request)', params: IdParams, body: PatchBody } },
    async (req) => {
      const before = await deps.users.get(req.params.id);
      let user = before;
      if (req.body.role !== undefined && req.body.role !== before.role) {
        user = await deps.users.setRole(before.id, req.body.role as Role);
        // Sessions re-read the role on every request; live connections re-authorize on reconnect.
        deps.hub.disconnectWhere((p) => p.kind === 'user' && p.userId === before.id, 'role changed');
        await audit(req, 'user.role_change', `user:${before.username}`, { from: before.role, to: user.role });
      }
      if (req.body.disabled !== undefined && req.body.disabled !== before.disabled) {
        user = await deps.users.setDisabled(before.id, req.body.disabled);
        if (req.body.disabled) await kick(before.id, 'user disabled');
        await audit(req, req.body.disabled ? 'user.disable' : 'user.enable', `user:${before.username}`);
      }
      return { user: adminUserView(user) };
    },
  );

  app.post<{ Params: Static<typeof IdParams>; Body: Static<typeof PasswordBody> }>(
    '/api/v1/users/:id/password',
    { config: { access: 'write:users' }, schema: { tags: ['users'], summary: "Reset a user's password (ends all their sessions)", params: IdParams, body: PasswordBody } },
    async (req, reply) => {
      const user = await deps.users.get(req.params.id);
      if (user.source !== 'local') throw errors.validation('single sign-on users have no Vigil password');
      await deps.users.setPassword(user.id, req.body.password);
      await kick(user.id, 'password reset');
      await audit(req, 'user.password_reset', `user:${user.username}`);
      return reply.status(204).send();
    },
  );

  app.delete<{ Params: Static<typeof IdParams> }>(
    '/api/v1/users/:id/totp',
    { config: { access: 'write:users' }, schema: { tags: ['users'], summary: "Reset a user's two-factor authentication (lost device)", params: IdParams } },
    async (req, reply) => {
      const user = await deps.users.get(req.params.id);
      await deps.totp.disable(user.id, null);
      await audit(req, 'user.totp_reset', `user:${user.username}`);
      return reply.status(204).send();
    },
  );

  app.get<{ Params: Static<typeof IdParams> }>(
    '/api/v1/users/:id/sessions',
    { config: { access: 'read:users' }, schema: { tags: ['users'], summary: "A user's live sessions", params: IdParams } },
    async (req) => {
      const user = await deps.users.get(req.params.id);
      const now = deps.clock.now();
      const sessions = (await deps.storage.sessions.listForUser(user.id)).filter((s) => s.expiresAt > now);
      return { sessions: sessions.map((s) => sessionView(s, currentHash(req))) };
    },
  );

  app.delete<{ Params: Static<typeof SessionParams> }>(
    '/api/v1/users/:id/sessions/:sessionId',
    { config: { access: 'write:users' }, schema: { tags: ['users'], summary: 'Revoke one session', params: SessionParams } },
    async (req, reply) => {
      const user = await deps.users.get(req.params.id);
      const s = (await deps.storage.sessions.listForUser(user.id)).find((x) => sessionHandle(x.idHash) === req.params.sessionId);
      if (!s) throw errors.notFound('session');
      await deps.storage.sessions.delete(s.idHash);
      deps.hub.disconnectWhere((p) => p.kind === 'user' && p.sessionIdHash === s.idHash, 'session revoked');
      await audit(req, 'session.revoke', `user:${user.username}`, { session: req.params.sessionId });
      return reply.status(204).send();
    },
  );

  app.delete<{ Params: Static<typeof IdParams> }>(
    '/api/v1/users/:id/sessions',
    { config: { access: 'write:users' }, schema: { tags: ['users'], summary: 'Revoke every session of a user', params: IdParams } },
    async (req) => {
      const user = await deps.users.get(req.params.id);
      const keep = user.id === (req.principal?.kind === 'user' ? req.principal.userId : null) ? (currentHash(req) ?? undefined) : undefined;
      const revoked = await deps.sessions.destroyAllForUser(user.id, keep);
      deps.hub.disconnectWhere((p) => p.kind === 'user' && p.userId === user.id && p.sessionIdHash !== (keep ?? null), 'sessions revoked');
      await audit(req, 'session.revoke_all', `user:${user.username}`, { revoked });
      return { revoked };
    },
  );
}

/** The handle of the session behind a session cookie value (what the session list shows for it). */
export const sessionHandleOfCookie = (cookieValue: string): string => sessionHandle(hashToken(cookieValue));
