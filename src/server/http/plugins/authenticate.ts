import type { FastifyInstance, FastifyRequest } from 'fastify';
import { effectivePermissions, PERMISSIONS, type Access, type Permission } from '../../auth/policy.js';
import type { Principal } from '../../auth/principal.js';
import { actorOf } from '../../auth/principal.js';
import { hashToken } from '../../auth/token-hash.js';
import { errors, VigilError } from '../../core/errors.js';
import type { AppDeps } from '../app-deps.js';

/** Session cookie name; `__Host-` prefixed (Secure, no Domain, Path=/) behind TLS. */
export function sessionCookieName(tls: boolean): string {
  return tls ? '__Host-vigil_sid' : 'vigil_sid';
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Header every cookie-authenticated mutation must carry (forces a CORS preflight cross-site). */
export const CSRF_HEADER = 'x-requested-with';
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
    const valid = access !== undefined && (['public', 'authenticated', 'agent'].includes(access) || (PERMISSIONS as readonly string[]).includes(access));
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

/** Resolves the principal from `Authorization: Bearer` (API key) or the session cookie. */
async function resolvePrincipal(deps: AppDeps, req: FastifyRequest, bearerOnly: boolean): Promise<{ principal: Principal | null; sessionId: string | null; via: 'bearer' | 'cookie' | null }> {
  const auth = req.headers.authorization;
  if (auth !== undefined) {
    const m = /^Bearer\s+(\S+)$/i.exec(auth);
    if (!m) throw errors.unauthenticated('Authorization must be "Bearer <key>"');
    return { principal: await principalFromKey(deps, m[1] as string), sessionId: null, via: 'bearer' };
  }
  // Key-authenticated endpoints never accept cookies, so a cross-site form cannot reach them.
  if (bearerOnly) return { principal: null, sessionId: null, via: null };
  const sid = req.cookies[sessionCookieName(deps.http.tls)];
  if (!sid) return { principal: null, sessionId: null, via: null };
  const live = await deps.sessions.validate(sid);
  if (!live) return { principal: null, sessionId: null, via: 'cookie' };
  const { user } = live;
  return {
    principal: { kind: 'user', userId: user.id, username: user.username, role: user.role, permissions: effectivePermissions(user.role), via: 'session', sessionIdHash: hashToken(sid), keyId: null },
    sessionId: sid,
    via: 'cookie',
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
    return { kind: 'user', userId: user.id, username: user.username, role: user.role, permissions: effectivePermissions(user.role, key.scopes), via: 'token', sessionIdHash: null, keyId: key.id };
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

/**
 * Authenticates every request and enforces the route's declared access before the body is
 * parsed, so unauthenticated callers cannot make the server do parsing work. Denials are
 * audited.
 */
export function installAuthentication(app: FastifyInstance, deps: AppDeps): void {
  app.decorateRequest('principal', null);
  app.addHook('onRequest', async (req) => {
    const access = req.routeOptions.config.access ?? 'public';
    if (access === 'public') {
      if (req.url.startsWith('/api/v1/auth/login') && req.method === 'POST') checkCsrf(deps, req);
      return;
    }
    const { principal, via } = await resolvePrincipal(deps, req, access === 'agent');
    req.principal = principal;
    if (!principal) {
      if (access === 'agent' && via === null) throw errors.unauthenticated('send the agent key as "Authorization: Bearer <key>"');
      throw errors.unauthenticated(via === 'bearer' ? 'the API key is invalid, expired or revoked' : 'log in first (session missing or expired)');
    }
    if (access === 'agent') {
      if (principal.kind !== 'agent') throw await denied(deps, req, 'agent key required');
      return;
    }
    if (principal.kind !== 'user') throw await denied(deps, req, 'agent keys may only ingest');
    if (via === 'cookie' && !SAFE_METHODS.has(req.method)) checkCsrf(deps, req);
    if (access !== 'authenticated' && !principal.permissions.includes(access as Permission)) throw await denied(deps, req, access);
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
