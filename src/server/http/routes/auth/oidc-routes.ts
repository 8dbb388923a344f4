import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { OidcError } from '../../../auth/oidc/oidc-login.js';
import { errors } from '../../../core/errors.js';
import type { AppDeps } from '../../app-deps.js';
import { requestMeta, startSession } from './auth-routes.js';

/** Cookie carrying the sealed pending SSO login between start and callback. */
const PENDING_COOKIE = 'vigil_oidc';
const PENDING_PATH = '/api/v1/auth/oidc';

const StartQuery = Type.Object({ returnTo: Type.Optional(Type.String({ maxLength: 500 })) }, { additionalProperties: false });
const CallbackQuery = Type.Object(
  {
    code: Type.Optional(Type.String({ maxLength: 2048 })),
    state: Type.Optional(Type.String({ maxLength: 512 })),
    error: Type.Optional(Type.String({ maxLength: 256 })),
    error_description: Type.Optional(Type.String({ maxLength: 2048 })),
    iss: Type.Optional(Type.String({ maxLength: 2048 })),
    session_state: Type.Optional(Type.String({ maxLength: 2048 })),
  },
  { additionalProperties: false },
);

/** Where the provider sends the browser back: the public URL when configured, else this request's origin. */
function redirectUri(deps: AppDeps, req: FastifyRequest): string {
  const origin = deps.http.publicOrigin ?? `${deps.http.tls ? 'https' : 'http'}://${req.headers.host ?? 'localhost'}`;
  return `${origin}${PENDING_PATH}/callback`;
}

/** Login methods for the login page, and the OpenID Connect login (authorization code + PKCE). */
export async function oidcRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  app.get('/api/v1/auth/providers', { config: { access: 'public' }, schema: { tags: ['auth'], summary: 'Login methods offered (password, SSO)' } }, async () => ({
    password: true,
    oidc: deps.oidc ? { label: deps.oidc.settings.label, loginUrl: `${PENDING_PATH}/login` } : null,
  }));

  app.get<{ Querystring: Static<typeof StartQuery> }>(
    `${PENDING_PATH}/login`,
    { config: { access: 'public' }, schema: { tags: ['auth'], summary: 'Start SSO: redirects to the provider', querystring: StartQuery } },
    async (req, reply) => {
      if (!deps.oidc) throw errors.notFound('single sign-on (not configured)');
      let started;
      try {
        started = await deps.oidc.start(redirectUri(deps, req), req.query.returnTo);
      } catch (err) {
        return reply.redirect(`/login?sso_error=${err instanceof OidcError ? err.code : 'provider_unavailable'}`, 303);
      }
      reply.setCookie(PENDING_COOKIE, started.pending, { httpOnly: true, sameSite: 'lax', secure: deps.http.tls, path: PENDING_PATH, maxAge: 600 });
      return reply.redirect(started.url, 303);
    },
  );

  app.get<{ Querystring: Static<typeof CallbackQuery> }>(
    `${PENDING_PATH}/callback`,
    { config: { access: 'public' }, schema: { tags: ['auth'], summary: 'SSO callback: checks state, exchanges the code, starts a session', querystring: CallbackQuery } },
    async (req, reply) => {
      if (!deps.oidc) throw errors.notFound('single sign-on (not configured)');
      reply.clearCookie(PENDING_COOKIE, { path: PENDING_PATH });
      try {
        const { user, returnTo, claims } = await deps.oidc.finish(req.query, req.cookies[PENDING_COOKIE]);
        await startSession(deps, req, reply, user);
        await deps.audit.record({ actor: `user:${user.username}`, action: 'auth.login', ...requestMeta(req), outcome: 'success', details: { factor: 'oidc', role: user.role, subject: claims.sub } });
        return reply.redirect(returnTo, 303);
      } catch (err) {
        const code = err instanceof OidcError ? err.code : 'provider_error';
        await deps.audit.record({ actor: 'anonymous', action: 'auth.login', ...requestMeta(req), outcome: 'failure', details: { factor: 'oidc', reason: code, message: err instanceof Error ? err.message : String(err) } });
        if (!(err instanceof OidcError)) req.log.error({ err }, 'SSO callback failed');
        return reply.redirect(`/login?sso_error=${code}`, 303);
      }
    },
  );
}
