/**
 * How long the agent waits for the collectors of one tick before it builds the batch without the
 * late ones, in ms: the interval minus 250 ms, at least 500 ms. A late collector's result is
 * discarded and it is skipped until it finishes, so it can never delay or overlap the next tick.
 */
export function collectDeadlineMs(intervalMs: number): number {
  return Math.max(500, intervalMs - 250);
}
