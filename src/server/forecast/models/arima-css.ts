import type { LagPoly } from './arima-polynomials.js';
import { arimaLagPolys, expandAr } from './arima-polynomials.js';

/** One (seasonal) ARIMA specification with coefficients (R's sign convention: θ enters with +). */
export interface ArimaCoefficients {
  /** AR coefficients φ_1..φ_p. */
  phi: readonly number[];
  /** Differencing order. */
  d: number;
  /** MA coefficients θ_1..θ_q: y'_t = … + e_t + Σ θ_j e_{t−j}. */
  theta: readonly number[];
  /** Mean of the differenced series (the series mean when d = D = 0, the drift per step when d + D = 1). */
  mu: number;
  /** Season length in steps (0 or absent: non-seasonal). */
  m?: number;
  /** Seasonal differencing order. */
  D?: number;
  /** Seasonal AR coefficients Φ_1..Φ_P (lags m, 2m, …). */
  sphi?: readonly number[];
  /** Seasonal MA coefficients Θ_1..Θ_Q (lags m, 2m, …). */
  stheta?: readonly number[];
}

/** Result of {@link arimaCss}. */
export interface CssResult {
  /** Sum of squared residuals over finite observations from index `ncond`. */
  sse: number;
  /** Number of residuals in `sse`. */
  count: number;
}

/** Work buffers reused across objective evaluations (the optimiser calls this thousands of times). */
export interface CssWork {
  /** Levels with gaps filled by the model's own prediction. */
  yImp: Float64Array;
  /** Residuals; 0 before `ncond` and at gaps. */
  e: Float64Array;
}

/** Allocates {@link CssWork} for a series of length n. */
export function cssWork(n: number): CssWork {
  return { yImp: new Float64Array(n), e: new Float64Array(n) };
}

/**
 * Conditional sum of squares of an ARIMA(p,d,q) on levels (R's `arima(method = "CSS")`):
 * residuals e_t = y_t − c − Σ φ*_i y_{t−i} − Σ θ_j e_{t−j} from t = ncond (≥ p + d), with
 * e = 0 before, φ* the AR polynomial times (1 − B)^d and c = μ·(1 − Σ φ_i). On differenced data
 * this is exactly R's recursion. A gap (NaN) takes the one-step prediction as its value and a
 * zero residual, and is not counted.
 */
export function arimaCss(y: Float64Array, c: ArimaCoefficients, ncond: number, work: CssWork): CssResult {
  if (!c.m) return cssWithExpanded(y, expandAr(c.phi, c.d), c.theta, constantOf(c), ncond, work);
  const { ar, ma } = arimaLagPolys(c);
  return cssSparse(y, ar, ma, constantOf(c), ncond, work);
}

/** The intercept c of the level recursion: μ·(1 − Σφ)·(1 − ΣΦ). */
export function constantOf(c: ArimaCoefficients): number {
  let s = 1;
  for (const v of c.phi) s -= v;
  let ss = 1;
  for (const v of c.sphi ?? []) ss -= v;
  return c.mu * s * ss;
}

/** {@link arimaCss} for sparse (seasonal) polynomials; same conventions. */
export function cssSparse(y: Float64Array, ar: LagPoly, ma: LagPoly, constant: number, ncond: number, work: CssWork): CssResult {
  const n = y.length;
  const { yImp, e } = work;
  fillConditioning(y, ncond, work);
  const arL = Int32Array.from(ar.lags);
  const arC = Float64Array.from(ar.coefs);
  const maL = Int32Array.from(ma.lags);
  const maC = Float64Array.from(ma.coefs);
  let sse = 0;
  let count = 0;
  for (let t = ncond; t < n; t++) {
    let pred = constant;
    for (let k = 0; k < arL.length; k++) pred += (arC[k] as number) * (yImp[t - (arL[k] as number)] as number);
    // e is 0 before ncond, which is R's "MA terms only from the conditioning point on".
    for (let k = 0; k < maL.length; k++) {
      const l = maL[k] as number;
      if (l <= t) pred += (maC[k] as number) * (e[t - l] as number);
    }
    const v = y[t] as number;
    if (v === v) {
      const r = v - pred;
      e[t] = r;
      yImp[t] = v;
      sse += r * r;
      count++;
    } else {
      e[t] = 0;
      yImp[t] = pred;
    }
  }
  return { sse, count };
}

/** Copies the first `ncond` levels (gaps filled with the previous value) and zeroes their residuals. */
function fillConditioning(y: Float64Array, ncond: number, work: CssWork): void {
  const { yImp, e } = work;
  let lastSeen = Number.NaN;
  for (let t = 0; t < y.length && lastSeen !== lastSeen; t++) lastSeen = y[t] as number;
  for (let t = 0; t < Math.min(ncond, y.length); t++) {
    const v = y[t] as number;
    if (v === v) lastSeen = v;
    yImp[t] = v === v ? v : lastSeen;
    e[t] = 0;
  }
}

/** {@link arimaCss} with the AR polynomial already expanded (hot loop). */
export function cssWithExpanded(
  y: Float64Array,
  arStar: readonly number[],
  theta: readonly number[],
  constant: number,
  ncond: number,
  work: CssWork,
): CssResult {
  const n = y.length;
  const P = arStar.length;
  const Q = theta.length;
  const { yImp, e } = work;
  let sse = 0;
  let count = 0;
  fillConditioning(y, ncond, work);
  if (P <= 4 && Q <= 3) return cssLowOrder(y, arStar, theta, constant, ncond, work, sse, count);
  for (let t = ncond; t < n; t++) {
    let pred = constant;
    for (let i = 0; i < P; i++) pred += (arStar[i] as number) * (yImp[t - i - 1] as number);
    const lim = Math.min(Q, t - ncond);
    for (let j = 0; j < lim; j++) pred += (theta[j] as number) * (e[t - j - 1] as number);
    const v = y[t] as number;
    if (v === v) {
      const r = v - pred;
      e[t] = r;
      yImp[t] = v;
      sse += r * r;
      count++;
    } else {
      e[t] = 0;
      yImp[t] = pred;
    }
  }
  return { sse, count };
}

/**
 * The same recursion for P ≤ 4, Q ≤ 3 with the recent values in locals: the loop is
 * latency-bound (each residual feeds the next prediction), so keeping the chain short matters —
 * the MA terms are added last, after the AR part that does not depend on the previous residual.
 */
function cssLowOrder(
  y: Float64Array,
  arStar: readonly number[],
  theta: readonly number[],
  constant: number,
  ncond: number,
  work: CssWork,
  sse0: number,
  count0: number,
): CssResult {
  const n = y.length;
  const P = arStar.length;
  const Q = theta.length;
  const { yImp, e } = work;
  const a1 = P > 0 ? (arStar[0] as number) : 0;
  const a2 = P > 1 ? (arStar[1] as number) : 0;
  const a3 = P > 2 ? (arStar[2] as number) : 0;
  const a4 = P > 3 ? (arStar[3] as number) : 0;
  const b1 = Q > 0 ? (theta[0] as number) : 0;
  const b2 = Q > 1 ? (theta[1] as number) : 0;
  const b3 = Q > 2 ? (theta[2] as number) : 0;
  const at = (k: number): number => (ncond - k >= 0 ? (yImp[ncond - k] as number) : 0);
  let y1 = at(1);
  let y2 = at(2);
  let y3 = at(3);
  let y4 = at(4);
  let e1 = 0;
  let e2 = 0;
  let e3 = 0;
  let sse = sse0;
  let count = count0;
  for (let t = ncond; t < n; t++) {
    const ar = constant + a1 * y1 + a2 * y2 + a3 * y3 + a4 * y4 + b3 * e3 + b2 * e2;
    const pred = ar + b1 * e1;
    const v = y[t] as number;
    let r = 0;
    let yy = pred;
    if (v === v) {
      r = v - pred;
      yy = v;
      sse += r * r;
      count++;
    }
    e[t] = r;
    yImp[t] = yy;
    y4 = y3;
    y3 = y2;
    y2 = y1;
    y1 = yy;
    e3 = e2;
    e2 = e1;
    e1 = r;
  }
  return { sse, count };
}
