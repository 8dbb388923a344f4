import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { VigilError } from '../../../core/errors.js';
import type { AppDeps } from '../../app-deps.js';
import { sessionCookieName } from '../../plugins/authenticate.js';
import { userView } from './user-view.js';

const LoginBody = Type.Object({ username: Type.String({ minLength: 1, maxLength: 200 }), password: Type.String({ minLength: 1, maxLength: 1024 }) }, { additionalProperties: false });

const UserOut = Type.Object({ id: Type.String(), username: Type.String(), role: Type.String(), permissions: Type.Array(Type.String()) });

/** Login, logout and "who am I" for the dashboard session. */
export async function authRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const cookie = sessionCookieName(deps.http.tls);

  app.post<{ Body: Static<typeof LoginBody> }>(
    '/api/v1/auth/login',
    { config: { access: 'public' }, schema: { tags: ['auth'], summary: 'Log in and receive the session cookie', body: LoginBody, response: { 200: Type.Object({ user: UserOut }) } } },
    async (req, reply) => {
      const { username, password } = req.body;
      const result = await deps.users.login(username, password);
      const meta = { ip: req.ip, userAgent: req.headers['user-agent'] ?? null };
      if (!result.ok) {
        await deps.audit.record({ actor: `user:${username}`, action: 'auth.login', ip: meta.ip, userAgent: meta.userAgent, outcome: 'failure', details: { reason: result.reason } });
        throw new VigilError('VIGIL_ERR_INVALID_CREDENTIALS', 'invalid username or password');
      }
      const previous = req.cookies[cookie];
      if (previous) await deps.sessions.destroy(previous);
      const session = await deps.sessions.create(result.user.id, meta);
      await deps.audit.record({ actor: `user:${username}`, action: 'auth.login', ip: meta.ip, userAgent: meta.userAgent, outcome: 'success' });
      setSessionCookie(reply, cookie, session.id, deps);
      return { user: userView(result.user) };
    },
  );

  app.post('/api/v1/auth/logout', { config: { access: 'authenticated' }, schema: { tags: ['auth'], summary: 'End the current session' } }, async (req: FastifyRequest, reply) => {
    const sid = req.cookies[cookie];
    if (sid) await deps.sessions.destroy(sid);
    const p = req.principal;
    if (p?.kind === 'user' && p.sessionIdHash) deps.hub.disconnectWhere((c) => c.kind === 'user' && c.sessionIdHash === p.sessionIdHash, 'logged out');
    await deps.audit.record({ actor: p?.kind === 'user' ? `user:${p.username}` : 'anonymous', action: 'auth.logout', ip: req.ip, userAgent: req.headers['user-agent'] ?? null, outcome: 'success' });
    reply.clearCookie(cookie, { path: '/' });
    return reply.status(204).send();
  });

  app.get('/api/v1/auth/me', { config: { access: 'authenticated' }, schema: { tags: ['auth'], summary: 'The current user', response: { 200: Type.Object({ user: UserOut }) } } }, async (req) => {
    const p = req.principal;
    if (p?.kind !== 'user') throw new VigilError('VIGIL_ERR_UNAUTHENTICATED', 'not a user session');
    return { user: { id: p.userId, username: p.username, role: p.role, permissions: [...p.permissions] } };
  });
}

function setSessionCookie(reply: FastifyReply, name: string, id: string, deps: AppDeps): void {
  reply.setCookie(name, id, {
    httpOnly: true,
    sameSite: 'lax',
    secure: deps.http.tls,
    path: '/',
    maxAge: Math.floor(deps.http.sessionAbsoluteTimeoutMs / 1000),
  });
}
