/**
 * Standard error of a model's forecast as a function of the horizon, measured on the series itself
 * ("empirical prediction intervals", Williams & Goodman 1971): for horizons 1, 2, 4, 8, … up to
 * `min(horizon, n/2)`, the RMS of `y[t+h] − predict(t, h)` over every origin `t` where both exist.
 * Between measured horizons the variance is interpolated linearly in log(h); beyond the longest
 * measured horizon it grows linearly in h (random-walk growth: conservative on purpose, because
 * the series holds no evidence about longer horizons). The result is made non-decreasing.
 *
 * `predict(t, h)` is the model's h-step forecast made at origin `t` (after observing y[t]; NaN
 * where undefined); origins before `firstOrigin` are not used.
 */
export function empiricalHorizonSe(y: Float64Array, predict: (t: number, h: number) => number, horizon: number, firstOrigin = 0): Float64Array {
  const n = y.length - firstOrigin;
  const maxMeasured = Math.max(1, Math.min(horizon, Math.floor(n / 2)));
  const hs: number[] = [];
  for (let h = 1; h <= maxMeasured; h *= 2) hs.push(h);
  if (hs[hs.length - 1] !== maxMeasured) hs.push(maxMeasured);
  const mse: number[] = [];
  for (const h of hs) {
    let s = 0;
    let c = 0;
    for (let t = firstOrigin; t + h < y.length; t++) {
      const e = (y[t + h] as number) - predict(t, h);
      if (Number.isFinite(e)) {
        s += e * e;
        c++;
      }
    }
    mse.push(c > 0 ? s / c : Number.NaN);
  }
  // Horizons without any pair (tiny series) borrow the previous measurement.
  for (let i = 0; i < mse.length; i++) if (!Number.isFinite(mse[i] as number)) mse[i] = i > 0 ? (mse[i - 1] as number) : 0;
  for (let i = 1; i < mse.length; i++) mse[i] = Math.max(mse[i] as number, mse[i - 1] as number);
  const out = new Float64Array(horizon);
  let j = 0;
  const last = hs.length - 1;
  for (let h = 1; h <= horizon; h++) {
    let v: number;
    if (h >= (hs[last] as number)) {
      v = (mse[last] as number) * (h / (hs[last] as number));
    } else {
      while ((hs[j + 1] as number) < h) j++;
      const h0 = hs[j] as number;
      const h1 = hs[j + 1] as number;
      const w = h === h0 ? 0 : Math.log(h / h0) / Math.log(h1 / h0);
      v = (mse[j] as number) * (1 - w) + (mse[j + 1] as number) * w;
    }
    out[h - 1] = Math.sqrt(v);
  }
  return out;
}
