/**
 * The recent history of one series on a regular grid (bucket averages), as forecast and anomaly
 * rules need it: `stepMs` buckets aligned at multiples of the step, at most `capacity` buckets
 * (older ones are dropped). Memory is two Float64Arrays of `capacity`, whatever the sample rate.
 */
export class SeriesGrid {
  private readonly sums: Float64Array;
  private readonly counts: Float64Array;
  /** Bucket index (`floor(ts / stepMs)`) of the newest bucket; -Infinity when empty. */
  private newest = -Infinity;
  /** Timestamp of the newest sample, ms. */
  newestTs = -Infinity;

  constructor(
    readonly stepMs: number,
    readonly capacity: number,
  ) {
    this.sums = new Float64Array(capacity);
    this.counts = new Float64Array(capacity);
  }

  /** Adds a sample. Samples older than the kept buckets and non-finite values are ignored. */
  push(ts: number, value: number): void {
    if (!Number.isFinite(value) || !Number.isFinite(ts)) return;
    const b = Math.floor(ts / this.stepMs);
    if (b > this.newest) this.advanceTo(b);
    if (b <= this.newest - this.capacity) return;
    const slot = this.slot(b);
    this.sums[slot] = (this.sums[slot] as number) + value;
    this.counts[slot] = (this.counts[slot] as number) + 1;
    if (ts > this.newestTs) this.newestTs = ts;
  }

  private slot(b: number): number {
    return ((b % this.capacity) + this.capacity) % this.capacity;
  }

  /** Clears the buckets between the current newest and `b` (they are reused as a ring). */
  private advanceTo(b: number): void {
    const from = this.newest === -Infinity ? b - this.capacity + 1 : Math.max(this.newest + 1, b - this.capacity + 1);
    for (let i = from; i <= b; i++) {
      const s = this.slot(i);
      this.sums[s] = 0;
      this.counts[s] = 0;
    }
    this.newest = b;
  }

  /**
   * Bucket averages of the buckets starting in `[at − spanMs, at)` (NaN for empty buckets),
   * with the timestamp of the first bucket. Buckets after `at` are not read, so an evaluation at
   * `at` never sees later data.
   */
  read(at: number, spanMs: number): { t0: number; y: Float64Array } {
    const last = Math.ceil(at / this.stepMs) - 1;
    const first = Math.max(last - Math.ceil(spanMs / this.stepMs) + 1, last - this.capacity + 1, this.newest - this.capacity + 1);
    const n = Math.max(0, last - first + 1);
    const y = new Float64Array(n).fill(Number.NaN);
    for (let b = first; b <= last; b++) {
      if (b > this.newest) break;
      const s = this.slot(b);
      const c = this.counts[s] as number;
      if (c > 0) y[b - first] = (this.sums[s] as number) / c;
    }
    return { t0: first * this.stepMs, y };
  }
}
