/** Retry schedule of notifications. */
export interface BackoffPolicy {
  /** Delay before the second attempt, ms (default 5 s). */
  baseMs: number;
  /** Longest delay between attempts, ms (default 5 min). */
  maxMs: number;
}

/** Default: 5 s doubling up to 5 min — about 9 attempts in the first 10 minutes of an outage. */
export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 5_000, maxMs: 300_000 };

/**
 * Delay after failed attempt number `attempt` (1 = the first attempt failed): exponential with a
 * cap and "equal jitter" (half fixed, half random), so many failing notifications do not retry in
 * lock-step. `random` returns [0, 1).
 */
export function backoffDelay(attempt: number, p: BackoffPolicy, random: () => number = Math.random): number {
  const exp = Math.min(p.maxMs, p.baseMs * 2 ** Math.min(30, Math.max(0, attempt - 1)));
  return Math.round(exp / 2 + random() * (exp / 2));
}
