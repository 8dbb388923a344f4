import type { RollupColumns } from '../codec/rollup-block.js';

/** Rollup tier resolutions in ms: `1m` = 60,000, `1h` = 3,600,000. */
export const TIER_RESOLUTION_MS = { '1m': 60_000, '1h': 3_600_000 } as const;

/**
 * Aggregates samples `[from, to)` (timestamps in ms, ascending) into buckets aligned at multiples
 * of `resolutionMs`, appending to `out`. A sample falling into `out`'s last bucket merges into it,
 * so consecutive chunks of one series can be fed one after another.
 */
export function rollupSamples(ts: ArrayLike<number>, values: ArrayLike<number>, resolutionMs: number, out: RollupColumns, from = 0, to = ts.length): void {
  let last = out.start.length - 1;
  let bucket = last >= 0 ? out.start[last]! : -1;
  for (let i = from; i < to; i++) {
    const t = ts[i]!;
    const v = values[i]!;
    const b = t - (t % resolutionMs);
    if (b !== bucket) {
      bucket = b;
      out.start.push(b);
      out.min.push(v);
      out.max.push(v);
      out.sum.push(v);
      out.count.push(1);
      out.last.push(v);
      last++;
      continue;
    }
    if (v < out.min[last]!) out.min[last] = v;
    if (v > out.max[last]!) out.max[last] = v;
    out.sum[last]! += v;
    out.count[last]!++;
    out.last[last] = v;
  }
}

/**
 * Re-aggregates buckets `src` (ascending) into the coarser `resolutionMs` (a multiple of theirs),
 * appending to `out` and merging into its last bucket when the start matches. min/max/sum/count/
 * last of the coarse bucket are exact.
 */
export function rollupColumns(src: RollupColumns, resolutionMs: number, out: RollupColumns): void {
  let last = out.start.length - 1;
  let bucket = last >= 0 ? out.start[last]! : -1;
  for (let i = 0; i < src.start.length; i++) {
    const s = src.start[i]!;
    const b = s - (s % resolutionMs);
    if (b !== bucket) {
      bucket = b;
      out.start.push(b);
      out.min.push(src.min[i]!);
      out.max.push(src.max[i]!);
      out.sum.push(src.sum[i]!);
      out.count.push(src.count[i]!);
      out.last.push(src.last[i]!);
      last++;
      continue;
    }
    if (src.min[i]! < out.min[last]!) out.min[last] = src.min[i]!;
    if (src.max[i]! > out.max[last]!) out.max[last] = src.max[i]!;
    out.sum[last]! += src.sum[i]!;
    out.count[last]! += src.count[i]!;
    out.last[last] = src.last[i]!;
  }
}
