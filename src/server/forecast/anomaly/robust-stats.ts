/** Consistency constant: 1.4826 · MAD estimates σ for normal data. */
export const MAD_TO_SIGMA = 1.4826;

/** Median of a sorted array (NaN when empty). */
export function sortedMedian(s: ArrayLike<number>, len = s.length): number {
  if (len === 0) return Number.NaN;
  const h = len >> 1;
  return len % 2 === 1 ? (s[h] as number) : ((s[h - 1] as number) + (s[h] as number)) / 2;
}

/**
 * Median absolute deviation from `med` of a sorted array, in O(len) by walking outwards from
 * the median (the deviations on each side are already sorted).
 */
export function sortedMad(s: ArrayLike<number>, med: number, len = s.length): number {
  if (len === 0) return Number.NaN;
  // Left deviations: med - s[i] for i = lo, lo-1, …; right: s[j] - med for j = hi, hi+1, …
  let lo = upperBound(s, med, len) - 1; // last index with s <= med
  let hi = lo + 1;
  const need = len >> 1; // 0-based rank(s) of the median deviation
  let prev = 0;
  let cur = 0;
  for (let k = 0; k <= need; k++) {
    const dl = lo >= 0 ? med - (s[lo] as number) : Infinity;
    const dr = hi < len ? (s[hi] as number) - med : Infinity;
    prev = cur;
    if (dl <= dr) {
      cur = dl;
      lo--;
    } else {
      cur = dr;
      hi++;
    }
  }
  if (len % 2 === 1) return cur;
  // Even length: mean of the deviations ranked need−1 and need.
  return (prev + cur) / 2;
}

/** Index of the first element > v in sorted `s[0..len)`. */
export function upperBound(s: ArrayLike<number>, v: number, len = s.length): number {
  let a = 0;
  let b = len;
  while (a < b) {
    const m = (a + b) >> 1;
    if ((s[m] as number) <= v) a = m + 1;
    else b = m;
  }
  return a;
}

/** Median and MAD of arbitrary finite values (copies and sorts). */
export function medianMad(values: readonly number[]): { median: number; mad: number } {
  const s = Float64Array.from(values).sort();
  const median = sortedMedian(s);
  return { median, mad: sortedMad(s, median) };
}
