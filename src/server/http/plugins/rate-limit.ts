import type { FastifyReply, FastifyRequest } from 'fastify';
import { actorOf } from '../../auth/principal.js';
import { errors } from '../../core/errors.js';
import { clientKey } from '../../ratelimit/client-key.js';
import { rateLimitHeader, rateLimitPolicyHeader, type RateLimitGroup } from '../../ratelimit/rate-limiter.js';
import type { AppDeps } from '../app-deps.js';

/** The rate-limit key of the request's client (its IP after trusted proxies, IPv6 per /64). */
export function requestClientKey(req: FastifyRequest): string {
  return clientKey(req.ip);
}

/** Sets the IETF `RateLimit-Policy` and `RateLimit` fields for a decision. */
export function setRateLimitHeaders(reply: FastifyReply, d: { group: string; limit: number; windowMs: number; remaining: number; resetSeconds: number }): void {
  reply.header('RateLimit-Policy', rateLimitPolicyHeader(d));
  reply.header('RateLimit', rateLimitHeader(d));
}

/** Counts a request in a group and refuses it with 429 when over budget. */
export type RateLimitEnforcer = (req: FastifyRequest, reply: FastifyReply, group: RateLimitGroup, key: string) => Promise<void>;

/**
 * Builds the enforcer of one app: counts the request in `group` under `key`, sets the RateLimit
 * fields, refuses with 429 + `Retry-After` when over budget. The first refusal of each window
 * is audited (later ones are not, so a flood cannot flood the audit log too) and every refusal
 * is counted in `vigil_rate_limited_total`.
 */
export function createRateLimitEnforcer(deps: AppDeps): RateLimitEnforcer {
  const refused = deps.metrics.counter('vigil_rate_limited_total', 'Requests refused with 429 by the rate limiter, by group.');
  return async (req, reply, group, key) => {
    if (!deps.rateLimit) return;
    const d = await deps.rateLimit.check(group, key);
    setRateLimitHeaders(reply, d);
    if (d.allowed) return;
    refused.inc({ group });
    if (d.firstViolation) {
      await deps.audit.record({
        actor: actorOf(req.principal),
        action: 'ratelimit.exceeded',
        target: `${req.method} ${req.routeOptions.url ?? req.url}`,
        ip: req.ip,
        userAgent: req.headers['user-agent'] ?? null,
        outcome: 'denied',
        details: { group, limit: d.limit, windowSeconds: Math.ceil(d.windowMs / 1000) },
      });
    }
    throw errors.rateLimited(d.resetSeconds, `rate limit of the "${group}" group exceeded (${d.limit} requests per ${Math.ceil(d.windowMs / 1000)} s); retry after ${d.resetSeconds} s`);
  };
}
