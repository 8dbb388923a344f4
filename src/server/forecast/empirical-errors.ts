import { Z80, Z95 } from './numeric/normal-quantile.js';

/** Fewest (origin, target) pairs a horizon needs to be measured. */
export const MIN_PAIRS = 5;

/** Empirical forecast-error profile by horizon (see {@link empiricalErrors}). */
export interface EmpiricalErrors {
  /** RMS of the h-step errors, index h − 1 (the forecast's `se`). */
  se: Float64Array;
  /** 80 % quantile of |h-step error|: the half-width of the 80 % band. */
  half80: Float64Array;
  /** 95 % quantile of |h-step error|: the half-width of the 95 % band. */
  half95: Float64Array;
}

/**
 * Forecast errors as a function of the horizon, measured on the series itself ("empirical
 * prediction intervals", Williams & Goodman 1971): for horizons 1, 2, 4, 8, … up to
 * `min(horizon, n/2)`, the errors `y[t+h] − predict(t, h)` over every origin `t` where both
 * exist. The bands use the 80 % / 95 % quantiles of |error| rather than a normal multiple of the
 * RMS, so heavy-tailed series (bursty CPU) get honest widths at both levels. Between measured
 * horizons values are interpolated linearly in log(h) (on the variance scale); beyond the
 * longest measured horizon they grow like √h (random-walk growth: conservative on purpose,
 * because the series holds no evidence about longer horizons). Each profile is made
 * non-decreasing.
 *
 * `predict(t, h)` is the model's h-step forecast made at origin `t` (after observing y[t]; NaN
 * where undefined); origins before `firstOrigin` are not used, unless that would leave fewer than
 * 5 one-step pairs. A horizon with fewer than {@link MIN_PAIRS} pairs borrows the shorter
 * horizon's value; if even h = 1 has too few, the normal band of `fallbackSigma` (the model's
 * one-step σ) is used, so a short series never gets zero-width bands.
 */
export function empiricalErrors(
  y: Float64Array,
  predict: (t: number, h: number) => number,
  horizon: number,
  firstOrigin: number,
  fallbackSigma: number,
): EmpiricalErrors {
  firstOrigin = Math.max(0, Math.min(firstOrigin, y.length - 1 - MIN_PAIRS));
  const n = y.length - firstOrigin;
  const maxMeasured = Math.max(1, Math.min(horizon, Math.floor(n / 2)));
  const hs: number[] = [];
  for (let h = 1; h <= maxMeasured; h *= 2) hs.push(h);
  if (hs[hs.length - 1] !== maxMeasured) hs.push(maxMeasured);
  // Squared profiles (variance scale) at the measured horizons.
  const v: number[][] = [[], [], []];
  const abs = new Float64Array(Math.max(0, y.length));
  for (const h of hs) {
    let s = 0;
    let c = 0;
    for (let t = Math.max(0, firstOrigin); t + h < y.length; t++) {
      const e = (y[t + h] as number) - predict(t, h);
      if (Number.isFinite(e)) {
        s += e * e;
        abs[c++] = Math.abs(e);
      }
    }
    if (c < MIN_PAIRS) {
      if (v[0]?.length === 0) {
        v[0].push(fallbackSigma ** 2);
        v[1]?.push((Z80 * fallbackSigma) ** 2);
        v[2]?.push((Z95 * fallbackSigma) ** 2);
      } else for (const arr of v) arr.push(Number.NaN);
      continue;
    }
    const sorted = abs.subarray(0, c).sort();
    v[0]?.push(s / c);
    v[1]?.push(quantile(sorted, 0.8) ** 2);
    v[2]?.push(quantile(sorted, 0.95) ** 2);
  }
  const [se, half80, half95] = v.map((prof) => expand(prof, hs, horizon)) as [Float64Array, Float64Array, Float64Array];
  return { se, half80, half95 };
}

/** Type-7 (R default) quantile of sorted values. */
function quantile(sorted: Float64Array, p: number): number {
  const pos = (sorted.length - 1) * p;
  const lo = Math.floor(pos);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return (sorted[lo] as number) + (pos - lo) * ((sorted[hi] as number) - (sorted[lo] as number));
}

/** Variance-scale profile at horizons `hs` → standard-deviation scale for 1..horizon. */
function expand(prof: number[], hs: number[], horizon: number): Float64Array {
  // Horizons without any pair (tiny series) borrow the previous measurement.
  for (let i = 0; i < prof.length; i++) if (!Number.isFinite(prof[i] as number)) prof[i] = i > 0 ? (prof[i - 1] as number) : 0;
  for (let i = 1; i < prof.length; i++) prof[i] = Math.max(prof[i] as number, prof[i - 1] as number);
  const out = new Float64Array(horizon);
  let j = 0;
  const last = hs.length - 1;
  for (let h = 1; h <= horizon; h++) {
    let val: number;
    if (h >= (hs[last] as number)) {
      val = (prof[last] as number) * (h / (hs[last] as number));
    } else {
      while ((hs[j + 1] as number) < h) j++;
      const h0 = hs[j] as number;
      const h1 = hs[j + 1] as number;
      const w = h === h0 ? 0 : Math.log(h / h0) / Math.log(h1 / h0);
      val = (prof[j] as number) * (1 - w) + (prof[j + 1] as number) * w;
    }
    out[h - 1] = Math.sqrt(val);
  }
  return out;
}
