/**
 * How recent a host's data is, compared with its collection interval:
 * `fresh` (green) when younger than 2 intervals, `late` (yellow) up to 6 intervals,
 * `stale` (red) beyond that or when the host never reported.
 */
export type Freshness = 'fresh' | 'late' | 'stale';

/** Interval assumed when the agent did not report one, in ms (the agent's default, 10 s). */
export const DEFAULT_INTERVAL_MS = 10_000;

/** Multiples of the interval at which the stamp turns yellow and then red. */
export const FRESHNESS_THRESHOLDS = { late: 2, stale: 6 } as const;

/**
 * Classifies the age of the last report.
 * @param lastSeen ms since epoch of the last report, or null if never
 * @param now current time in ms since epoch
 * @param intervalMs the agent's collection interval in ms (default {@link DEFAULT_INTERVAL_MS})
 */
export function freshnessOf(lastSeen: number | null, now: number, intervalMs: number | null = DEFAULT_INTERVAL_MS): Freshness {
  if (lastSeen === null) return 'stale';
  const interval = intervalMs && intervalMs > 0 ? intervalMs : DEFAULT_INTERVAL_MS;
  const age = now - lastSeen;
  if (age < FRESHNESS_THRESHOLDS.late * interval) return 'fresh';
  if (age < FRESHNESS_THRESHOLDS.stale * interval) return 'late';
  return 'stale';
}
