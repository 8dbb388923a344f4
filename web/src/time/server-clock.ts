/** Offsets smaller than this (ms) are ignored: the `Date` header only has 1 s resolution. */
export const SERVER_CLOCK_TOLERANCE_MS = 1500;

/**
 * Estimates how far the server's clock is from the browser's, so that "updated 3 s ago" is
 * computed against the server's timestamps even when the laptop clock is off. Keeps the median of
 * the last few estimates (one outlier from a slow response does not move it).
 */
export class ServerClock {
  private readonly samples: number[] = [];
  private offset = 0;

  /** @param now the browser clock (ms since epoch) */
  constructor(private readonly now: () => number = () => Date.now()) {}

  /** Records one estimate of server − client in ms. */
  observe(offsetMs: number): void {
    if (!Number.isFinite(offsetMs)) return;
    this.samples.push(offsetMs);
    if (this.samples.length > 7) this.samples.shift();
    const sorted = [...this.samples].sort((a, b) => a - b);
    const median = sorted[Math.floor(sorted.length / 2)] as number;
    this.offset = Math.abs(median) < SERVER_CLOCK_TOLERANCE_MS ? 0 : median;
  }

  /** Current estimate of server − client in ms (0 when within tolerance). */
  get offsetMs(): number {
    return this.offset;
  }

  /** Converts a browser time (ms since epoch) to the server's clock. */
  toServerTime(browserMs: number): number {
    return browserMs + this.offset;
  }

  /** The current time on the server's clock. */
  serverNow(): number {
    return this.now() + this.offset;
  }
}
