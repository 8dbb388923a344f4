import type { RollupColumns } from '../codec/rollup-block.js';

/** Aggregates of one query bucket (same shape as `BucketStats` of the sample store). */
export interface GridBucket {
  min: number;
  max: number;
  sum: number;
  count: number;
  last: number;
}

/**
 * The buckets of one series for one range query: `n` buckets of `step` ms starting at `first`
 * (a multiple of `step`). Samples and rollup buckets are added in ascending time order; anything
 * outside `[rangeStart, rangeEnd)` is ignored.
 */
export class BucketGrid {
  /** One entry per bucket, null until something lands in it. */
  readonly buckets: (GridBucket | null)[];
  /** Samples or rollup buckets that landed in the grid. */
  scanned = 0;

  constructor(
    readonly first: number,
    readonly step: number,
    n: number,
    private readonly rangeStart: number,
    private readonly rangeEnd: number,
  ) {
    this.buckets = new Array<GridBucket | null>(n).fill(null);
  }

  /** Adds samples `ts[i], values[i]` (ascending ts). */
  addSamples(ts: ArrayLike<number>, values: ArrayLike<number>): void {
    for (let i = 0; i < ts.length; i++) this.addSample(ts[i]!, values[i]!);
  }

  /** Adds one sample (calls must come in ascending ts order). */
  addSample(t: number, v: number): void {
    if (t < this.rangeStart || t >= this.rangeEnd) return;
    this.add(t, v, v, v, 1, v);
  }

  /**
   * Adds finer rollup buckets (ascending starts); a bucket counts when its start is in the grid's
   * range and in `[from, to)`.
   */
  addColumns(cols: RollupColumns, from = -Infinity, to = Infinity): void {
    const lo = Math.max(from, this.rangeStart);
    const hi = Math.min(to, this.rangeEnd);
    for (let i = 0; i < cols.start.length; i++) {
      const t = cols.start[i]!;
      if (t < lo || t >= hi) continue;
      this.add(t, cols.min[i]!, cols.max[i]!, cols.sum[i]!, cols.count[i]!, cols.last[i]!);
    }
  }

  private add(t: number, min: number, max: number, sum: number, count: number, last: number): void {
    const idx = Math.floor((t - this.first) / this.step);
    if (idx < 0 || idx >= this.buckets.length) return;
    this.scanned++;
    const b = this.buckets[idx];
    if (!b) {
      this.buckets[idx] = { min, max, sum, count, last };
      return;
    }
    if (min < b.min) b.min = min;
    if (max > b.max) b.max = max;
    b.sum += sum;
    b.count += count;
    b.last = last;
  }
}
