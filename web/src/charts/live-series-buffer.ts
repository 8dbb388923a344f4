import type { ChartData, ChartSeries } from './chart-data.js';

/** How a live point combines with a value already in its bucket. */
export type LiveMerge = 'avg' | 'min' | 'max' | 'last';

/** One live sample destined for a chart series. */
export interface LivePoint {
  key: string;
  /** Legend text used if the series is new to the chart. */
  label: string;
  /** ms since epoch. */
  ts: number;
  value: number;
}

/**
 * Chart data in live mode. Starts from a range-query answer and folds in samples pushed over
 * the WebSocket without refetching: each point lands in the bucket `floor(ts / step) * step` —
 * the same bucketing as the query API, so live and queried points line up. A point in an
 * existing bucket is combined with `merge` (for `avg`, a bucket that came from the server counts
 * as one sample: the server does not say how many it averaged, and the error fades as soon as the
 * next bucket starts). Buckets that end before the window start are dropped.
 */
export class LiveSeriesBuffer {
  private data: ChartData;
  /** Samples folded into each bucket, for running averages: bucket → line key → count. */
  private readonly counts = new Map<number, Map<string, number>>();

  /**
   * @param initial the queried data (copied; the caller's arrays are not modified)
   * @param step bucket width in ms (the query's step)
   * @param merge how to combine points in one bucket (default `avg`)
   */
  constructor(
    initial: ChartData,
    private readonly step: number,
    private readonly merge: LiveMerge = 'avg',
  ) {
    this.data = { timestamps: [...initial.timestamps], series: initial.series.map((s) => ({ ...s, values: [...s.values] })) };
  }

  /** Current data. A new object after every change, so UI state updates see the change. */
  get current(): ChartData {
    return this.data;
  }

  /**
   * Adds points, then drops buckets that end at or before `windowStartMs`. Non-finite values and
   * points older than the window are ignored.
   * @returns true when the data changed
   */
  append(points: readonly LivePoint[], windowStartMs: number): boolean {
    let changed = false;
    const timestamps = [...this.data.timestamps];
    const series = this.data.series.map((s) => ({ ...s, values: [...s.values] }));
    const byKey = new Map(series.map((s) => [s.key, s]));
    for (const p of points) {
      if (!Number.isFinite(p.value) || !Number.isFinite(p.ts)) continue;
      const bucket = Math.floor(p.ts / this.step) * this.step;
      if (bucket + this.step <= windowStartMs) continue;
      const i = this.bucketIndex(timestamps, series, bucket);
      let target = byKey.get(p.key);
      if (!target) {
        target = { key: p.key, label: p.label, values: new Array<number | null>(timestamps.length).fill(null) };
        series.push(target);
        byKey.set(p.key, target);
      }
      target.values[i] = this.combine(target, bucket, target.values[i] ?? null, p.value);
      changed = true;
    }
    changed = this.trim(timestamps, series, windowStartMs) || changed;
    if (changed) this.data = { timestamps, series };
    return changed;
  }

  /** Drops buckets that end at or before `windowStartMs` (the window moves even without data). */
  trimTo(windowStartMs: number): boolean {
    const timestamps = [...this.data.timestamps];
    const series = this.data.series.map((s) => ({ ...s, values: [...s.values] }));
    const changed = this.trim(timestamps, series, windowStartMs);
    if (changed) this.data = { timestamps, series };
    return changed;
  }

  /** Index of `bucket` in `timestamps`, inserting it (and nulls in every series) if missing. */
  private bucketIndex(timestamps: number[], series: ChartSeries[], bucket: number): number {
    // Live points are almost always in the last bucket or a new one: search from the end.
    let i = timestamps.length - 1;
    while (i >= 0 && (timestamps[i] as number) > bucket) i--;
    if (i >= 0 && timestamps[i] === bucket) return i;
    const at = i + 1;
    timestamps.splice(at, 0, bucket);
    for (const s of series) s.values.splice(at, 0, null);
    return at;
  }

  private combine(target: ChartSeries, bucket: number, old: number | null, value: number): number {
    let inBucket = this.counts.get(bucket);
    if (!inBucket) this.counts.set(bucket, (inBucket = new Map()));
    if (old === null) {
      inBucket.set(target.key, 1);
      return value;
    }
    switch (this.merge) {
      case 'last':
        return value;
      case 'min':
        return Math.min(old, value);
      case 'max':
        return Math.max(old, value);
      case 'avg': {
        const n = inBucket.get(target.key) ?? 1;
        inBucket.set(target.key, n + 1);
        return old + (value - old) / (n + 1);
      }
    }
  }

  private trim(timestamps: number[], series: ChartSeries[], windowStartMs: number): boolean {
    let drop = 0;
    while (drop < timestamps.length && (timestamps[drop] as number) + this.step <= windowStartMs) drop++;
    if (drop === 0) return false;
    const lastDropped = timestamps[drop - 1] as number;
    timestamps.splice(0, drop);
    for (const s of series) s.values.splice(0, drop);
    for (const bucket of this.counts.keys()) if (bucket <= lastDropped) this.counts.delete(bucket);
    return true;
  }
}
