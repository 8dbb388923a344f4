import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { errors, VigilError } from '../../../core/errors.js';
import type { UserRecord } from '../../../storage/user-repo.js';
import type { AppDeps } from '../../app-deps.js';
import { sessionCookieName } from '../../plugins/authenticate.js';
import { setRateLimitHeaders } from '../../plugins/rate-limit.js';
import { userView } from './user-view.js';

const LoginBody = Type.Object(
  {
    username: Type.String({ minLength: 1, maxLength: 200 }),
    password: Type.String({ minLength: 1, maxLength: 1024 }),
    totp: Type.Optional(Type.String({ maxLength: 16, description: '6-digit code when the user has two-factor authentication' })),
  },
  { additionalProperties: false },
);

const PasswordBody = Type.Object({ currentPassword: Type.String({ minLength: 1, maxLength: 1024 }), newPassword: Type.String({ minLength: 1, maxLength: 4096 }) }, { additionalProperties: false });

const UserOut = Type.Object({ id: Type.String(), username: Type.String(), role: Type.String(), permissions: Type.Array(Type.String()), totpEnabled: Type.Boolean(), mfaEnrollmentRequired: Type.Boolean() });

/** Cookie that marks a browser where this user logged in before (its own failed-login budget). */
export const DEVICE_COOKIE = 'vigil_device';

/** Request metadata recorded with sessions and audit entries. */
export function requestMeta(req: FastifyRequest): { ip: string; userAgent: string | null } {
  return { ip: req.ip, userAgent: req.headers['user-agent'] ?? null };
}

/**
 * Starts a session for `user` (rotating any session id the browser had, so a planted id is
 * useless) and sets the cookies. Shared by password and SSO logins.
 */
export async function startSession(deps: AppDeps, req: FastifyRequest, reply: FastifyReply, user: UserRecord): Promise<void> {
  const cookie = sessionCookieName(deps.http.tls);
  const previous = req.cookies[cookie];
  if (previous) await deps.sessions.destroy(previous);
  const session = await deps.sessions.create(user.id, requestMeta(req));
  reply.setCookie(cookie, session.id, { httpOnly: true, sameSite: 'lax', secure: deps.http.tls, path: '/', maxAge: Math.floor(deps.http.sessionAbsoluteTimeoutMs / 1000) });
  reply.setCookie(DEVICE_COOKIE, deps.loginThrottle.issueDeviceToken(user.username), {
    httpOnly: true,
    sameSite: 'strict',
    secure: deps.http.tls,
    path: '/api/v1/auth',
    maxAge: 365 * 86_400,
  });
}

/** Login, logout, "who am I" and the user's own password change. */
export async function authRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const cookie = sessionCookieName(deps.http.tls);

  app.post<{ Body: Static<typeof LoginBody> }>(
    '/api/v1/auth/login',
    {
      config: { access: 'public' },
      schema: { tags: ['auth'], summary: 'Log in and receive the session cookie (429 after too many failures for the account)', body: LoginBody, response: { 200: Type.Object({ user: UserOut }) } },
    },
    async (req, reply) => {
      const { username, password, totp } = req.body;
      const meta = requestMeta(req);
      const audit = (outcome: 'success' | 'failure' | 'denied', details?: Record<string, unknown>) =>
        deps.audit.record({ actor: `user:${username}`, action: 'auth.login', ip: meta.ip, userAgent: meta.userAgent, outcome, details: details ?? null });
      // Checked before any hashing: a throttled account costs the server nothing.
      const gate = await deps.loginThrottle.check(username, req.cookies[DEVICE_COOKIE]);
      if (!gate.allowed) {
        await audit('denied', { reason: 'throttled', scope: gate.scope });
        setRateLimitHeaders(reply, { group: 'login-account', ...deps.loginThrottle.budget, remaining: 0, resetSeconds: gate.retryAfterSeconds });
        throw errors.rateLimited(gate.retryAfterSeconds, `too many failed logins for this account; retry after ${gate.retryAfterSeconds} s`);
      }
      const fail = async (reason: string): Promise<VigilError> => {
        const { failures, locked } = await deps.loginThrottle.recordFailure(gate);
        await audit('failure', { reason, failures, ...(locked ? { throttled: true } : {}) });
        return new VigilError('VIGIL_ERR_INVALID_CREDENTIALS', 'invalid username or password');
      };
      const result = await deps.users.login(username, password);
      if (!result.ok) throw await fail(result.reason);
      if (result.user.totpEnabled) {
        if (totp === undefined || totp === '') {
          await audit('failure', { reason: 'totp_required' });
          throw new VigilError('VIGIL_ERR_TOTP_REQUIRED', 'enter the code from your authenticator app');
        }
        if (!(await deps.totp.check(result.user, totp))) throw await fail('bad_totp');
      }
      await startSession(deps, req, reply, result.user);
      await audit('success', result.user.totpEnabled ? { factor: 'password+totp' } : { factor: 'password' });
      return { user: userView(result.user, deps.security.require2faForAdmins) };
    },
  );

  app.post('/api/v1/auth/logout', { config: { access: 'authenticated' }, schema: { tags: ['auth'], summary: 'End the current session' } }, async (req: FastifyRequest, reply) => {
    const sid = req.cookies[cookie];
    if (sid) await deps.sessions.destroy(sid);
    const p = req.principal;
    if (p?.kind === 'user' && p.sessionIdHash) deps.hub.disconnectWhere((c) => c.kind === 'user' && c.sessionIdHash === p.sessionIdHash, 'logged out');
    await deps.audit.record({ actor: p?.kind === 'user' ? `user:${p.username}` : 'anonymous', action: 'auth.logout', ...requestMeta(req), outcome: 'success' });
    reply.clearCookie(cookie, { path: '/' });
    return reply.status(204).send();
  });

  app.get('/api/v1/auth/me', { config: { access: 'authenticated' }, schema: { tags: ['auth'], summary: 'The current user', response: { 200: Type.Object({ user: UserOut }) } } }, async (req) => {
    const p = req.principal;
    if (p?.kind !== 'user') throw new VigilError('VIGIL_ERR_UNAUTHENTICATED', 'not a user session');
    const user = await deps.users.get(p.userId);
    return { user: { id: p.userId, username: p.username, role: p.role, permissions: [...p.permissions], totpEnabled: user.totpEnabled, mfaEnrollmentRequired: p.mfaEnrollmentRequired === true } };
  });

  app.post<{ Body: Static<typeof PasswordBody> }>(
    '/api/v1/auth/password',
    { config: { access: 'authenticated' }, schema: { tags: ['auth'], summary: 'Change your own password; ends your other sessions and starts a fresh one', body: PasswordBody } },
    async (req, reply) => {
      const p = req.principal;
      if (p?.kind !== 'user' || p.via !== 'session') throw errors.forbidden('a signed-in session (API tokens cannot change passwords)');
      try {
        await deps.users.changeOwnPassword(p.userId, req.body.currentPassword, req.body.newPassword);
      } catch (err) {
        await deps.audit.record({ actor: `user:${p.username}`, action: 'user.password_change', target: `user:${p.username}`, ...requestMeta(req), outcome: 'failure', details: { reason: err instanceof VigilError ? err.code : 'error' } });
        throw err;
      }
      // Every session predating the change is dead now (including this one): start a new one.
      await deps.sessions.destroyAllForUser(p.userId);
      deps.hub.disconnectWhere((c) => c.kind === 'user' && c.userId === p.userId, 'password changed');
      await startSession(deps, req, reply, await deps.users.get(p.userId));
      await deps.audit.record({ actor: `user:${p.username}`, action: 'user.password_change', target: `user:${p.username}`, ...requestMeta(req), outcome: 'success' });
      return reply.status(204).send();
    },
  );
}
