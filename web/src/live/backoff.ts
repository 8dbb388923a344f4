/** Bounds of the reconnect backoff, in ms. */
export interface BackoffOptions {
  /** First delay's upper bound (default 500 ms). */
  minMs?: number;
  /** Largest delay (default 15 s: a dashboard should come back quickly after a server restart). */
  maxMs?: number;
}

/**
 * Delay before reconnect attempt number `attempt` (0-based): exponential growth capped at
 * `maxMs`, with "equal jitter" — a random point in the upper half of the window — so that many
 * browsers reconnecting after a server restart spread out instead of arriving together, while no
 * attempt fires immediately.
 * @param random a uniform random number in [0, 1)
 */
export function backoffDelay(attempt: number, random: number, options: BackoffOptions = {}): number {
  const minMs = options.minMs ?? 500;
  const maxMs = options.maxMs ?? 15_000;
  const exp = Math.min(Math.max(0, Math.floor(attempt)), 30);
  const cap = Math.min(maxMs, minMs * 2 ** exp);
  const r = Math.min(Math.max(random, 0), 1);
  return Math.round(cap / 2 + (cap / 2) * r);
}
