import type { Clock } from '../core/clock.js';
import type { RateLimitStore } from './rate-limit-store.js';

/**
 * Route groups with their own budgets: `api` (per client IP: tokens and unauthenticated
 * calls), `ui` (per signed-in dashboard user), `ingest` (per agent key), `login` (login attempts
 * and invalid API keys per client IP), `public` (static files and health per client IP).
 */
export const RATE_LIMIT_GROUPS = ['api', 'ui', 'ingest', 'login', 'public'] as const;
/** A rate-limit group name. */
export type RateLimitGroup = (typeof RATE_LIMIT_GROUPS)[number];

/** Budget of one group: `limit` requests per `windowMs`. */
export interface RateLimitPolicy {
  limit: number;
  windowMs: number;
}

/** The limiter's answer for one request. */
export interface RateLimitDecision {
  group: RateLimitGroup;
  allowed: boolean;
  limit: number;
  /** Requests left in this window after this one (0 when refused). */
  remaining: number;
  windowMs: number;
  /** Seconds until the window resets (≥ 1 when refused; includes the jitter). */
  resetSeconds: number;
  /** True for exactly the first refused request of a window (audit it once, not every time). */
  firstViolation: boolean;
}

/** Options of {@link RateLimiter}. */
export interface RateLimiterOptions {
  policies: Record<RateLimitGroup, RateLimitPolicy>;
  /**
   * Random source in [0, 1) for the reset jitter (default Math.random). Refused clients are
   * told to come back up to 10 % of the window later than the reset, spread out, so they do
   * not all return in the same second (RateLimit draft §8.5). Tests pass `() => 0`.
   */
  random?: () => number;
}

/**
 * Fixed-window request limiter over a {@link RateLimitStore}. A fixed window may let up to twice
 * the limit through around a window boundary; that is accepted for O(1) state per client.
 */
export class RateLimiter {
  private readonly random: () => number;

  constructor(
    private readonly store: RateLimitStore,
    private readonly clock: Clock,
    private readonly opts: RateLimiterOptions,
  ) {
    this.random = opts.random ?? Math.random;
  }

  /** The budget of `group`. */
  policy(group: RateLimitGroup): RateLimitPolicy {
    return this.opts.policies[group];
  }

  /** Counts one request of `key` in `group` and says whether it may proceed. */
  async check(group: RateLimitGroup, key: string): Promise<RateLimitDecision> {
    const { limit, windowMs } = this.opts.policies[group];
    const now = this.clock.now();
    const { count, resetAt } = await this.store.hit(`${group}:${key}`, windowMs, now);
    const allowed = count <= limit;
    const untilReset = Math.max(0, resetAt - now);
    const jitter = allowed ? 0 : Math.floor(this.random() * windowMs * 0.1);
    return {
      group,
      allowed,
      limit,
      remaining: Math.max(0, limit - count),
      windowMs,
      resetSeconds: Math.max(allowed ? 0 : 1, Math.ceil((untilReset + jitter) / 1000)),
      firstViolation: count === limit + 1,
    };
  }
}

/** `RateLimit-Policy` field value (draft-ietf-httpapi-ratelimit-headers-10): `"api";q=100;w=60`. */
export function rateLimitPolicyHeader(d: { group: string; limit: number; windowMs: number }): string {
  return `"${d.group}";q=${d.limit};w=${Math.ceil(d.windowMs / 1000)}`;
}

/** `RateLimit` field value: `"api";r=0;t=37` (remaining quota, seconds until it resets). */
export function rateLimitHeader(d: { group: string; remaining: number; resetSeconds: number }): string {
  return `"${d.group}";r=${d.remaining};t=${d.resetSeconds}`;
}
