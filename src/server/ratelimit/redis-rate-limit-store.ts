import { Redis } from 'ioredis';
import { MemoryRateLimitStore } from './memory-rate-limit-store.js';
import { windowStart, type RateLimitStore, type WindowCount } from './rate-limit-store.js';

// INCRBY then set the expiry on first use, atomically (one round trip, no race between replicas).
const HIT_SCRIPT = `
local c = redis.call('INCRBY', KEYS[1], ARGV[1])
if c == tonumber(ARGV[1]) then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return c`;

/** Options of {@link RedisRateLimitStore}. */
export interface RedisRateLimitStoreOptions {
  url: string;
  /** Key prefix (default `vigil:rl:`). */
  prefix?: string;
  /** Per-command timeout, ms (default 250): a slow Redis must not slow every request. */
  commandTimeoutMs?: number;
  /** Called when Redis fails and the in-memory fallback answered instead. */
  onError?: (err: unknown) => void;
}

/**
 * Counters in Redis, shared by every replica. When Redis errors or is slow, the request is
 * counted in a local in-memory store instead (per-replica limits still hold: the limiter
 * degrades, it never fails fully open), and `onError` is told so it can be logged and counted.
 */
export class RedisRateLimitStore implements RateLimitStore {
  private readonly redis: Redis;
  private readonly prefix: string;
  private readonly fallback = new MemoryRateLimitStore();
  private readonly onError: (err: unknown) => void;
  /** How many hits the in-memory fallback answered. */
  fallbacks = 0;

  constructor(opts: RedisRateLimitStoreOptions) {
    this.prefix = opts.prefix ?? 'vigil:rl:';
    this.onError = opts.onError ?? (() => {});
    this.redis = new Redis(opts.url, {
      lazyConnect: false,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      commandTimeout: opts.commandTimeoutMs ?? 250,
      retryStrategy: (times) => Math.min(times * 200, 5000),
    });
    // Connection errors are reported per command through the fallback path.
    this.redis.on('error', () => {});
    // Sent once, then called by its SHA (EVALSHA): each hit is one short round trip.
    this.redis.defineCommand('vigilHit', { numberOfKeys: 1, lua: HIT_SCRIPT });
  }

  async hit(key: string, windowMs: number, now: number, by = 1): Promise<WindowCount> {
    const start = windowStart(now, windowMs);
    try {
      const hit = (this.redis as unknown as { vigilHit(key: string, by: string, ttl: string): Promise<number> }).vigilHit;
      const count = await hit.call(this.redis, `${this.prefix}${key}@${start}`, String(by), String(windowMs + 1000));
      return { count: Number(count), resetAt: start + windowMs };
    } catch (err) {
      this.fallbacks++;
      this.onError(err);
      return this.fallback.hitSync(key, windowMs, now, by);
    }
  }

  async peek(key: string, windowMs: number, now: number): Promise<WindowCount> {
    const start = windowStart(now, windowMs);
    try {
      const v = await this.redis.get(`${this.prefix}${key}@${start}`);
      return { count: v === null ? 0 : Number(v), resetAt: start + windowMs };
    } catch (err) {
      this.fallbacks++;
      this.onError(err);
      return this.fallback.peek(key, windowMs, now);
    }
  }

  /** Waits until connected (tests and startup checks), at most `timeoutMs`. */
  async ready(timeoutMs = 2000): Promise<boolean> {
    if (this.redis.status === 'ready') return true;
    return new Promise((resolve) => {
      const t = setTimeout(() => resolve(false), timeoutMs);
      this.redis.once('ready', () => {
        clearTimeout(t);
        resolve(true);
      });
    });
  }

  async close(): Promise<void> {
    this.redis.disconnect();
    await this.fallback.close();
  }
}
