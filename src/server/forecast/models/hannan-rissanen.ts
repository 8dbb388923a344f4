import { NormalEquations } from '../numeric/least-squares.js';

/** Starting values for an ARMA(p, q) fit. */
export interface ArmaStart {
  phi: number[];
  theta: number[];
  /** Mean of the (differenced) series. */
  mu: number;
}

/**
 * Hannan–Rissanen (1982) estimates of an ARMA(p, q) on `w` (a differenced series, gaps = NaN):
 * (1) a long AR(k) by least squares gives innovation estimates ê; (2) least squares of w_t on
 * p lags of w and q lags of ê gives φ and θ. Cheap (two regressions) and close to the CSS
 * optimum, so Nelder–Mead only has to polish. For q = 0 step (2) alone is the exact CSS fit.
 */
export function hannanRissanen(w: Float64Array, p: number, q: number, withMean: boolean): ArmaStart {
  const n = w.length;
  let mu = 0;
  if (withMean) {
    let c = 0;
    for (let i = 0; i < n; i++) {
      const v = w[i] as number;
      if (v === v) {
        mu += v;
        c++;
      }
    }
    mu = c > 0 ? mu / c : 0;
  }
  const x = new Float64Array(n);
  for (let i = 0; i < n; i++) x[i] = (w[i] as number) - mu;
  const ehat = new Float64Array(n).fill(Number.NaN);
  if (q > 0) {
    const k = Math.min(Math.max(p + q + 2, Math.round(Math.log(n) ** 1.5)), Math.floor(n / 4), 20);
    const b = regress(x, x, k, 0, ehat, k);
    if (b) {
      for (let t = k; t < n; t++) {
        let pred = 0;
        for (let i = 0; i < k; i++) pred += (b[i] as number) * (x[t - i - 1] as number);
        ehat[t] = (x[t] as number) - pred;
      }
    }
  }
  const start = q > 0 ? Math.max(p, q) + Math.min(Math.max(p + q + 2, Math.round(Math.log(n) ** 1.5)), Math.floor(n / 4), 20) : p;
  const coef = regress(x, x, p, q, ehat, start);
  if (!coef) return { phi: new Array<number>(p).fill(0), theta: new Array<number>(q).fill(0), mu };
  return { phi: coef.slice(0, p), theta: coef.slice(p, p + q), mu };
}

/** Least squares of y_t on p lags of x and q lags of e, for t ≥ start; rows with NaN are skipped. */
function regress(y: Float64Array, x: Float64Array, p: number, q: number, e: Float64Array, start: number): number[] | undefined {
  const k = p + q;
  if (k === 0) return [];
  const ne = new NormalEquations(k);
  const row = new Float64Array(k);
  outer: for (let t = start; t < y.length; t++) {
    const yt = y[t] as number;
    if (yt !== yt) continue;
    for (let i = 0; i < p; i++) {
      const v = x[t - i - 1] as number;
      if (v !== v) continue outer;
      row[i] = v;
    }
    for (let j = 0; j < q; j++) {
      const v = e[t - j - 1] as number;
      if (v !== v) continue outer;
      row[p + j] = v;
    }
    ne.add(row, yt);
  }
  return ne.rows > k ? ne.solve() : undefined;
}
