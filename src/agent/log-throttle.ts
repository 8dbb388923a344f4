/**
 * Limits repeated log lines: a problem that recurs every tick (a failing plugin, a server that
 * answers 401) is logged the first time and then at most once per window, with a count of the
 * occurrences in between, so a 1 s interval does not flood the log.
 */
export class LogThrottle {
  private readonly state = new Map<string, { at: number; suppressed: number }>();

  /** @param windowMs minimum time between two lines for the same key, in ms (default 10 min). */
  constructor(private readonly windowMs = 600_000) {}

  /**
   * Returns null when the line for `key` should be skipped, else the number of occurrences that
   * were skipped since the previous line (0 the first time).
   */
  check(key: string, now: number): number | null {
    const s = this.state.get(key);
    if (s && now - s.at < this.windowMs && now >= s.at) {
      s.suppressed++;
      return null;
    }
    this.state.set(key, { at: now, suppressed: 0 });
    return s?.suppressed ?? 0;
  }

  /** Forgets `key`, so the next occurrence is logged at once (e.g. after a recovery). */
  reset(key: string): void {
    this.state.delete(key);
  }
}
