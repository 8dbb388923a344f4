/**
 * Per-second rates from monotonically increasing kernel counters. The first reading of a key
 * has no rate; a counter that went backwards (wrap, device re-created, counter reset) yields no
 * rate for that reading and restarts from the new value, so a reset never shows up as a huge
 * or negative spike. Keys not seen in a collection are forgotten by `sweep`.
 */
export class CounterRates {
  private readonly last = new Map<string, { value: number; at: number; seen: number }>();
  private generation = 0;

  /** Starts a collection pass (used by `sweep` to forget keys that disappeared). */
  begin(): void {
    this.generation++;
  }

  /**
   * Records `value` at `at` (ms) and returns the rate per second since the previous reading of
   * `key`, or null when there is none, time did not advance, or the counter went backwards.
   */
  rate(key: string, value: number, at: number): number | null {
    const prev = this.last.get(key);
    this.last.set(key, { value, at, seen: this.generation });
    if (!prev || at <= prev.at || value < prev.value) return null;
    return ((value - prev.value) * 1000) / (at - prev.at);
  }

  /** Forgets keys not updated since the last `begin` (e.g. a removed network interface). */
  sweep(): void {
    for (const [k, v] of this.last) if (v.seen !== this.generation) this.last.delete(k);
  }
}
