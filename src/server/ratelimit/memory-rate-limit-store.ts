import { windowStart, type RateLimitStore, type WindowCount } from './rate-limit-store.js';

/** Options of {@link MemoryRateLimitStore}. */
export interface MemoryRateLimitStoreOptions {
  /** Most counters kept (default 100 000); expired ones are pruned first, then the oldest. */
  maxKeys?: number;
}

/**
 * Counters in this process (one replica). Bounded: past `maxKeys` the expired counters are
 * dropped, then the oldest, so a flood of distinct client keys costs bounded memory (IPv6
 * clients are grouped by /64 upstream so one host cannot mint keys cheaply).
 */
export class MemoryRateLimitStore implements RateLimitStore {
  private readonly counters = new Map<string, { count: number; resetAt: number }>();
  private readonly maxKeys: number;

  constructor(opts: MemoryRateLimitStoreOptions = {}) {
    this.maxKeys = opts.maxKeys ?? 100_000;
  }

  async hit(key: string, windowMs: number, now: number, by = 1): Promise<WindowCount> {
    return this.hitSync(key, windowMs, now, by);
  }

  /** Synchronous {@link hit} (the fallback path of the Redis store uses it). */
  hitSync(key: string, windowMs: number, now: number, by = 1): WindowCount {
    const start = windowStart(now, windowMs);
    const k = `${key}@${start}`;
    let c = this.counters.get(k);
    if (!c) {
      if (this.counters.size >= this.maxKeys) this.evict(now);
      c = { count: 0, resetAt: start + windowMs };
      this.counters.set(k, c);
    }
    c.count += by;
    return { count: c.count, resetAt: c.resetAt };
  }

  async peek(key: string, windowMs: number, now: number): Promise<WindowCount> {
    const start = windowStart(now, windowMs);
    const c = this.counters.get(`${key}@${start}`);
    return { count: c?.count ?? 0, resetAt: start + windowMs };
  }

  /** Counters currently held (for tests and the self-metrics). */
  get size(): number {
    return this.counters.size;
  }

  private evict(now: number): void {
    for (const [k, c] of this.counters) if (c.resetAt <= now) this.counters.delete(k);
    // Still full: drop the oldest tenth (Map iterates in insertion order).
    if (this.counters.size >= this.maxKeys) {
      let n = Math.ceil(this.maxKeys / 10);
      for (const k of this.counters.keys()) {
        if (n-- <= 0) break;
        this.counters.delete(k);
      }
    }
  }

  async close(): Promise<void> {
    this.counters.clear();
  }
}
