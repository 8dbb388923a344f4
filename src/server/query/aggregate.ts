import type { Aggregation } from '../../protocol/query.js';
import type { BucketStats, RawSeries } from '../storage/sample-store.js';

/** Reduces one series' bucket to a single value for aggregation `agg` (temporal reduction). */
export function reduceBucket(b: BucketStats | null, agg: Aggregation): number | null {
  if (!b || b.count === 0) return null;
  switch (agg) {
    case 'min':
      return b.min;
    case 'max':
      return b.max;
    case 'last':
      return b.last;
    case 'count':
      return b.count;
    case 'avg':
    case 'sum':
    case 'p95':
      return b.sum / b.count;
  }
}

/** Combines the per-series values of one bucket across a group (spatial reduction). */
export function combine(values: readonly number[], agg: Aggregation): number | null {
  if (values.length === 0) return null;
  switch (agg) {
    case 'min':
      return Math.min(...values);
    case 'max':
      return Math.max(...values);
    case 'sum':
    case 'count':
      return values.reduce((a, b) => a + b, 0);
    case 'avg':
    case 'last':
      return values.reduce((a, b) => a + b, 0) / values.length;
    case 'p95':
      return quantile(values, 0.95);
  }
}

/** Linear-interpolated quantile (type 7, as in R and NumPy) of unsorted values; `q` in [0, 1]. */
export function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  const a = sorted[lo] as number;
  const b = sorted[hi] as number;
  return a + (b - a) * (pos - lo);
}

/**
 * p95 per bucket over the raw samples of all series in a group (pooled), because a percentile
 * of per-series averages would hide the spikes p95 is asked for.
 */
export function pooledQuantileBuckets(series: readonly RawSeries[], first: number, step: number, n: number, q: number): (number | null)[] {
  const pools: number[][] = Array.from({ length: n }, () => []);
  for (const s of series) {
    for (let i = 0; i < s.ts.length; i++) {
      const b = Math.floor(((s.ts[i] as number) - first) / step);
      if (b >= 0 && b < n) (pools[b] as number[]).push(s.values[i] as number);
    }
  }
  return pools.map((p) => (p.length ? quantile(p, q) : null));
}
