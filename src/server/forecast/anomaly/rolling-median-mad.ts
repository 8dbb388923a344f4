import { sortedMad, sortedMedian, upperBound } from './robust-stats.js';

/** Trailing-window robust statistics, aligned with the input. */
export interface RollingRobust {
  /** Median of the finite values in y[t−window .. t−1]; NaN with fewer than `minCount`. */
  median: Float64Array;
  /** MAD of the same values (not scaled to σ). */
  mad: Float64Array;
}

/**
 * Median and MAD over a trailing window that excludes the current point (so a spike cannot
 * hide itself). Keeps the window sorted and updates it by binary-search insert/delete:
 * O(n · window) element moves in the worst case, O(n log window) comparisons.
 */
export function rollingMedianMad(y: Float64Array, window: number, minCount: number): RollingRobust {
  const n = y.length;
  const median = new Float64Array(n).fill(Number.NaN);
  const mad = new Float64Array(n).fill(Number.NaN);
  const sorted = new Float64Array(window);
  let len = 0;
  for (let t = 0; t < n; t++) {
    if (len >= minCount && len > 0) {
      const m = sortedMedian(sorted, len);
      median[t] = m;
      mad[t] = sortedMad(sorted, m, len);
    }
    // Slide: drop y[t − window], then add y[t] (so the buffer never exceeds `window`).
    const old = t - window >= 0 ? (y[t - window] as number) : Number.NaN;
    if (old === old) {
      const at = upperBound(sorted, old, len) - 1; // an index holding `old`
      sorted.copyWithin(at, at + 1, len);
      len--;
    }
    const v = y[t] as number;
    if (v === v) {
      const at = upperBound(sorted, v, len);
      sorted.copyWithin(at + 1, at, len);
      sorted[at] = v;
      len++;
    }
  }
  return { median, mad };
}
