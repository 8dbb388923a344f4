/** A counter's state after a hit: how many hits in the current window and when it ends (ms). */
export interface WindowCount {
  count: number;
  resetAt: number;
}

/**
 * Fixed-window counters shared by the limiters. Keys are opaque strings; the window is part of
 * the stored key, so a counter never needs resetting, only expiring. In memory by default, in
 * Redis when several replicas must share them.
 */
export interface RateLimitStore {
  /** Adds `by` (default 1) to the counter of `key` in the window containing `now`. */
  hit(key: string, windowMs: number, now: number, by?: number): Promise<WindowCount>;
  /** Reads the counter without changing it. */
  peek(key: string, windowMs: number, now: number): Promise<WindowCount>;
  close(): Promise<void>;
}

/** Start of the fixed window containing `now`. */
export function windowStart(now: number, windowMs: number): number {
  return Math.floor(now / windowMs) * windowMs;
}
