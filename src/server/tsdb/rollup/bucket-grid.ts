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
 * outside `[rangeStart, rangeEnd)` is ignored. Aggregates live in typed arrays (a query may add
 * hundreds of thousands of samples); `buckets` builds the objects once at the end.
 */
export class BucketGrid {
  /** Samples or rollup buckets that landed in the grid. */
  scanned = 0;
  private readonly min: Float64Array;
  private readonly max: Float64Array;
  private readonly sum: Float64Array;
  private readonly count: Float64Array;
  private readonly last: Float64Array;
  /** Newest sample timestamp added, for `addRun`'s de-duplication. */
  private newest = -Infinity;

  constructor(
    readonly first: number,
    readonly step: number,
    private readonly n: number,
    private readonly rangeStart: number,
    private readonly rangeEnd: number,
  ) {
    this.min = new Float64Array(n);
    this.max = new Float64Array(n);
    this.sum = new Float64Array(n);
    this.count = new Float64Array(n);
    this.last = new Float64Array(n);
  }

  /** One entry per bucket, null where nothing landed. */
  get buckets(): (GridBucket | null)[] {
    const out = new Array<GridBucket | null>(this.n);
    for (let i = 0; i < this.n; i++) {
      out[i] = this.count[i] === 0 ? null : { min: this.min[i]!, max: this.max[i]!, sum: this.sum[i]!, count: this.count[i]!, last: this.last[i]! };
    }
    return out;
  }

  /** Adds samples `ts[i], values[i]` (ascending ts). */
  addSamples(ts: ArrayLike<number>, values: ArrayLike<number>): void {
    for (let i = 0; i < ts.length; i++) this.addSample(ts[i]!, values[i]!);
  }

  /**
   * Adds the samples of a run (ascending) within `[from, to)` that belong after everything added
   * so far, skipping timestamps not newer than the newest sample already added (a chunk seen
   * twice while it moves from the head to storage).
   */
  addRun(ts: Float64Array, values: Float64Array, from = -Infinity, to = Infinity): void {
    const lo = Math.max(this.rangeStart, from, this.newest + 1);
    const hi = Math.min(this.rangeEnd, to);
    let i = 0;
    // Chunks are short and mostly inside the range: a linear skip is cheaper than a search.
    while (i < ts.length && ts[i]! < lo) i++;
    const { first, step, min, max, sum, count, last, n } = this;
    let added = 0;
    for (; i < ts.length; i++) {
      const t = ts[i]!;
      if (t >= hi) break;
      const b = Math.floor((t - first) / step);
      if (b < 0 || b >= n) continue;
      const v = values[i]!;
      if (count[b] === 0) {
        min[b] = v;
        max[b] = v;
        sum[b] = v;
      } else {
        if (v < min[b]!) min[b] = v;
        if (v > max[b]!) max[b] = v;
        sum[b]! += v;
      }
      count[b]!++;
      last[b] = v;
      this.newest = t;
      added++;
    }
    this.scanned += added;
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

  private add(t: number, mn: number, mx: number, sm: number, cnt: number, lst: number): void {
    const b = Math.floor((t - this.first) / this.step);
    if (b < 0 || b >= this.n) return;
    this.scanned++;
    if (this.count[b] === 0) {
      this.min[b] = mn;
      this.max[b] = mx;
      this.sum[b] = sm;
    } else {
      if (mn < this.min[b]!) this.min[b] = mn;
      if (mx > this.max[b]!) this.max[b] = mx;
      this.sum[b]! += sm;
    }
    this.count[b]! += cnt;
    this.last[b] = lst;
    if (t > this.newest) this.newest = t;
  }
}
