import type { FastifyInstance, FastifyRequest } from 'fastify';
import { agentOrPermission, effectivePermissions, PERMISSIONS, type Access, type Permission } from '../../auth/policy.js';
import type { Principal, UserPrincipal } from '../../auth/principal.js';
import { actorOf } from '../../auth/principal.js';
import { hashToken } from '../../auth/token-hash.js';
import { errors, VigilError } from '../../core/errors.js';
import type { RateLimitGroup } from '../../ratelimit/rate-limiter.js';
import type { UserRecord } from '../../storage/user-repo.js';
import type { AppDeps } from '../app-deps.js';
import { createRateLimitEnforcer, requestClientKey } from './rate-limit.js';

/** Session cookie name; `__Host-` prefixed (Secure, no Domain, Path=/) behind TLS. */
export function sessionCookieName(tls: boolean): string {
  return tls ? '__Host-vigil_sid' : 'vigil_sid';
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Header every cookie-authenticated mutation must carry (forces a CORS preflight cross-site). */
export const CSRF_HEADER = 'x-requested-with';
/** The value {@link CSRF_HEADER} must have. */
export const CSRF_HEADER_VALUE = 'vigil';

/**
 * Fails at startup when a route does not declare its access (DESIGN.md §6), and records every
 * route with its access in `app.routeTable` (read by the route × role tests).
 */
export function requireAccessDeclarations(app: FastifyInstance): void {
  const table: RouteAccess[] = [];
  app.decorate('routeTable', table);
  app.addHook('onRoute', (route) => {
    const access = (route.config as { access?: Access } | undefined)?.access;
    const valid = access !== undefined && (['public', 'authenticated', 'agent'].includes(access) || (PERMISSIONS as readonly string[]).includes(access) || agentOrPermission(access) !== null);
    if (!valid) throw new Error(`route ${route.method} ${route.url} does not declare a valid config.access`);
    for (const method of [route.method].flat()) table.push({ method, url: route.url, access });
  });
}

/** One row of the route table. */
export interface RouteAccess {
  method: string;
  url: string;
  access: Access;
}

/** How the request presented credentials: none, an `Authorization` header, or the session cookie. */
type CredentialVia = 'bearer' | 'cookie' | null;

/** Resolves the principal from `Authorization: Bearer` (API key) or the session cookie; never throws for bad credentials. */
async function resolvePrincipal(deps: AppDeps, req: FastifyRequest, bearerOnly: boolean): Promise<{ principal: Principal | null; via: CredentialVia; malformed: boolean }> {
  const auth = req.headers.authorization;
  if (auth !== undefined) {
    const m = /^Bearer\s+(\S+)$/i.exec(auth);
    if (!m) return { principal: null, via: 'bearer', malformed: true };
    return { principal: await principalFromKey(deps, m[1] as string), via: 'bearer', malformed: false };
  }
  // Key-authenticated endpoints never accept cookies, so a cross-site form cannot reach them.
  if (bearerOnly) return { principal: null, via: null, malformed: false };
  const sid = req.cookies[sessionCookieName(deps.http.tls)];
  if (!sid) return { principal: null, via: null, malformed: false };
  const live = await deps.sessions.validate(sid);
  if (!live) return { principal: null, via: 'cookie', malformed: false };
  const { user } = live;
  return { principal: userPrincipal(deps, user, [], 'session', hashToken(sid), null), via: 'cookie', malformed: false };
}

function userPrincipal(deps: AppDeps, user: UserRecord, scopes: readonly string[], via: 'session' | 'token', sessionIdHash: string | null, keyId: string | null): UserPrincipal {
  const mfaEnrollmentRequired = deps.security.require2faForAdmins && user.role === 'admin' && !user.totpEnabled;
  return {
    kind: 'user',
    userId: user.id,
    username: user.username,
    role: user.role,
    // Until the second factor is enrolled the admin holds no permission at all.
    permissions: mfaEnrollmentRequired ? [] : effectivePermissions(user.role, scopes),
    via,
    sessionIdHash,
    keyId,
    ...(mfaEnrollmentRequired ? { mfaEnrollmentRequired } : {}),
  };
}

async function principalFromKey(deps: AppDeps, secret: string): Promise<Principal | null> {
  const key = await deps.keys.authenticate(secret);
  if (!key) return null;
  if (key.kind === 'agent' && key.agentId) {
    const agent = await deps.storage.agents.get(key.agentId);
    if (!agent || agent.disabled) return null;
    return { kind: 'agent', agentId: agent.id, agentName: agent.name, keyId: key.id };
  }
  if (key.kind === 'user' && key.userId) {
    const user = await deps.storage.users.get(key.userId);
    if (!user || user.disabled) return null;
    return userPrincipal(deps, user, key.scopes, 'token', null, key.id);
  }
  return null;
}

/** Same-origin check for cookie-authenticated mutations (custom header + Origin). */
function checkCsrf(deps: AppDeps, req: FastifyRequest): void {
  if (req.headers[CSRF_HEADER] !== CSRF_HEADER_VALUE) throw new VigilError('VIGIL_ERR_CSRF', `state-changing requests must send the header "X-Requested-With: ${CSRF_HEADER_VALUE}"`);
  const origin = req.headers.origin;
  if (origin === undefined) return;
  const expected = deps.http.publicOrigin ?? `${deps.http.tls ? 'https' : 'http'}://${req.headers.host ?? ''}`;
  if (origin !== expected) throw new VigilError('VIGIL_ERR_CSRF', 'cross-origin request rejected');
}

/** Public routes that take credentials: they count in the `login` budget per client IP. */
const LOGIN_ROUTES = new Set(['POST /api/v1/auth/login', 'GET /api/v1/auth/oidc/login', 'GET /api/v1/auth/oidc/callback']);

/** Routes a user who must first enrol a second factor may still use. */
const MFA_ENROLLMENT_ROUTES = new Set(['GET /api/v1/auth/me', 'POST /api/v1/auth/logout', 'POST /api/v1/auth/totp/setup', 'POST /api/v1/auth/totp/enable']);

/** The budget a request counts against (see docs/security.md, "Rate limits"). */
function rateLimitBucket(req: FastifyRequest, access: Access, principal: Principal | null, via: CredentialVia): { group: RateLimitGroup; key: string } {
  const ip = requestClientKey(req);
  if (access === 'public') return LOGIN_ROUTES.has(`${req.method} ${req.routeOptions.url ?? ''}`) ? { group: 'login', key: ip } : { group: 'public', key: ip };
  // Invalid API keys count with login attempts: guessing keys is guessing passwords.
  if (!principal) return via === 'bearer' ? { group: 'login', key: ip } : { group: 'api', key: ip };
  if (principal.kind === 'agent') return access === 'agent' || agentOrPermission(access) !== null ? { group: 'ingest', key: principal.keyId } : { group: 'api', key: ip };
  return principal.via === 'session' ? { group: 'ui', key: principal.userId } : { group: 'api', key: ip };
}

/**
 * Authenticates every request, applies its rate limit, then enforces the route's declared
 * access — all before the body is parsed, so unauthenticated or over-budget callers cannot make
 * the server do parsing work. Denials are audited.
 */
export function installAuthentication(app: FastifyInstance, deps: AppDeps): void {
  const limit = createRateLimitEnforcer(deps);
  app.decorateRequest('principal', null);
  app.addHook('onRequest', async (req, reply) => {
    const access = req.routeOptions.config.access ?? 'public';
    if (access === 'public') {
      await limit(req, reply, rateLimitBucket(req, access, null, null).group, requestClientKey(req));
      if (req.url.startsWith('/api/v1/auth/login') && req.method === 'POST') checkCsrf(deps, req);
      return;
    }
    const { principal, via, malformed } = await resolvePrincipal(deps, req, access === 'agent');
    req.principal = principal;
    const bucket = rateLimitBucket(req, access, principal, via);
    await limit(req, reply, bucket.group, bucket.key);
    if (malformed) throw errors.unauthenticated('Authorization must be "Bearer <key>"');
    if (!principal) {
      if (access === 'agent' && via === null) throw errors.unauthenticated('send the agent key as "Authorization: Bearer <key>"');
      throw errors.unauthenticated(via === 'bearer' ? 'the API key is invalid, expired or revoked' : 'log in first (session missing or expired)');
    }
    if (access === 'agent') {
      if (principal.kind !== 'agent') throw await denied(deps, req, 'agent key required');
      return;
    }
    const agentOr = agentOrPermission(access);
    if (agentOr !== null && principal.kind === 'agent') return;
    if (principal.kind !== 'user') throw await denied(deps, req, 'agent keys may only ingest');
    if (via === 'cookie' && !SAFE_METHODS.has(req.method)) checkCsrf(deps, req);
    if (principal.mfaEnrollmentRequired && !MFA_ENROLLMENT_ROUTES.has(`${req.method} ${req.routeOptions.url ?? ''}`)) {
      throw new VigilError('VIGIL_ERR_MFA_ENROLLMENT_REQUIRED', 'admins must set up two-factor authentication first (POST /api/v1/auth/totp/setup)');
    }
    const needed = agentOr ?? access;
    if (needed !== 'authenticated' && !principal.permissions.includes(needed as Permission)) throw await denied(deps, req, needed);
  });
}
async function denied(deps: AppDeps, req: FastifyRequest, permission: string): Promise<VigilError> {
  await deps.audit.record({
    actor: actorOf(req.principal),
    action: 'authz.denied',
    target: `${req.method} ${req.routeOptions.url ?? req.url}`,
    ip: req.ip,
    userAgent: req.headers['user-agent'] ?? null,
    outcome: 'denied',
    details: { permission },
  });
  return errors.forbidden(permission);
}
