import { badOption, tooShort } from '../forecast-input-error.js';
import { nelderMead } from '../numeric/nelder-mead.js';
import { isConstant } from '../prepare-series.js';
import type { ArimaCoefficients, CssWork } from './arima-css.js';
import { arimaCss } from './arima-css.js';
import { arToPacf, pacfToAr } from './arima-polynomials.js';
import { hannanRissanen } from './hannan-rissanen.js';
import { kpssTest } from './kpss-test.js';

/**
 * The order search scores candidates on the most recent 2,000 points (plus the points they
 * condition on): AIC is a valid comparison on any common sample, and this keeps the grid search
 * within the interactive budget for week-long 1-minute series. The chosen order is then fitted
 * on the whole series.
 */
export const ARIMA_SEARCH_WINDOW = 2000;

/** A (seasonal) ARIMA order; m = 0 and P = D = Q = 0 for a non-seasonal model. */
export interface ArimaOrder {
  p: number;
  d: number;
  q: number;
  P: number;
  D: number;
  Q: number;
  m: number;
}

/** One fitted order during the search. */
export interface Candidate {
  order: ArimaOrder;
  constant: boolean;
  coef: ArimaCoefficients;
  sse: number;
  count: number;
  /** Unconstrained optimiser coordinates of `coef` (for warm restarts). */
  u: number[];
}

/** Search bounds (see `ArimaOptions`). */
export interface SearchOptions {
  maxP?: number;
  maxQ?: number;
  constant?: boolean | 'auto';
}

/** Number of differences: difference while KPSS rejects level stationarity (5 %), up to maxD (forecast::ndiffs). */
export function chooseD(y: Float64Array, maxD: number): number {
  let x: Float64Array = y;
  for (let d = 0; d < maxD; d++) {
    if (isConstant(x) || !kpssTest(x).rejects) return d;
    x = difference(x, 1);
  }
  return maxD;
}

/** x_t − x_{t−lag} (length n − lag). */
export function difference(x: Float64Array, lag: number): Float64Array {
  const out = new Float64Array(Math.max(0, x.length - lag));
  for (let i = lag; i < x.length; i++) out[i - lag] = (x[i] as number) - (x[i - lag] as number);
  return out;
}

/** y_t − y_{t−m}. */
export function seasonalDifference(y: Float64Array, m: number): Float64Array {
  return difference(y, m);
}

/** Gaussian AIC of a CSS fit: N(ln 2πσ² + 1) + 2(k + 1), σ² = SSE/N. */
export function cssAic(c: Candidate): number {
  const o = c.order;
  const k = o.p + o.q + o.P + o.Q + (c.constant ? 1 : 0);
  return c.count * (Math.log((2 * Math.PI * c.sse) / c.count) + 1) + 2 * (k + 1);
}

/**
 * Searches (p, q) with P = Q = 0, then (P, Q) ∈ {0, 1}² for the best (p, q) when there is a
 * season, then drift when d + D = 1 — every candidate conditioned on the same points so the
 * AICs are comparable — and refits the winner on the whole series. The search runs on the
 * differenced window w = (1 − B)^d (1 − B^m)^D y as an ARMA (the same CSS when the window has
 * no gaps; gaps then only make the search approximate), so the common low orders take the
 * dense fast path; the final fit is on levels.
 */
export function searchOrder(yAll: Float64Array, base: { d: number; D: number; m: number }, o: SearchOptions, work: CssWork): Candidate {
  const { d, D, m } = base;
  const maxP = o.maxP ?? 3;
  const maxQ = o.maxQ ?? 2;
  const ncondLevels = d + D * m + maxP + (m > 0 ? m : 0);
  const y = yAll.length > ARIMA_SEARCH_WINDOW + ncondLevels ? yAll.subarray(yAll.length - ARIMA_SEARCH_WINDOW - ncondLevels) : yAll;
  let w = y;
  for (let k = 0; k < D; k++) w = difference(w, m);
  for (let k = 0; k < d; k++) w = difference(w, 1);
  const ncond = maxP + (m > 0 ? m : 0);
  const gridConstant = d + D === 0 ? o.constant !== false : d + D === 1 && o.constant === true;
  let best: Candidate | undefined;
  let bestAic = Infinity;
  const consider = (c: Candidate): void => {
    const aic = cssAic(c);
    if (aic < bestAic) {
      bestAic = aic;
      best = c;
    }
  };
  const arma = (p: number, q: number, P: number, Q: number): ArimaOrder => ({ p, d: 0, q, P, D: 0, Q, m: P + Q > 0 ? m : 0 });
  for (let p = 0; p <= maxP; p++) {
    for (let q = 0; q <= maxQ; q++) {
      if (w.length < ncond + p + q + 8) continue;
      consider(fitOrder(w, arma(p, q, 0, 0), gridConstant, ncond, work));
    }
  }
  if (!best) tooShort('arima', ncondLevels + 8, yAll.length);
  const b0: Candidate = best;
  if (m > 0) {
    for (const [P, Q] of [
      [0, 1],
      [1, 0],
      [1, 1],
    ] as const) {
      consider(fitOrder(w, arma(b0.order.p, b0.order.q, P, Q), b0.constant, ncond, work));
    }
  }
  const b1: Candidate = best;
  if (d + D === 1 && (o.constant === 'auto' || o.constant === undefined)) consider(fitOrder(w, b1.order, true, ncond, work));
  const win: Candidate = best;
  const lv: ArimaOrder = { p: win.order.p, d, q: win.order.q, P: win.order.P, D, Q: win.order.Q, m: win.order.P + win.order.Q + D > 0 ? m : 0 };
  return fitOrder(yAll, lv, win.constant, lv.d + lv.D * lv.m + lv.p + lv.P * lv.m, work, win.u);
}

function differencedStats(y: Float64Array, d: number, D: number, m: number): { mean: number; sd: number } {
  let x = y;
  for (let k = 0; k < D; k++) x = difference(x, m);
  for (let k = 0; k < d; k++) x = difference(x, 1);
  let s = 0;
  let c = 0;
  for (const v of x) {
    if (v === v) {
      s += v;
      c++;
    }
  }
  const mean = c > 0 ? s / c : 0;
  let ss = 0;
  for (const v of x) if (v === v) ss += (v - mean) * (v - mean);
  const sd = Math.sqrt(ss / Math.max(1, c - 1));
  return { mean: Number.isFinite(mean) ? mean : 0, sd: sd > 0 && Number.isFinite(sd) ? sd : 1 };
}

/** Maps optimiser coordinates to coefficients: PACF (tanh) for φ, θ; tanh for Φ, Θ; scaled μ. */
function decode(u: readonly number[], o: ArimaOrder, constant: boolean, center: number, scale: number): ArimaCoefficients {
  const phi = pacfToAr(u.slice(0, o.p).map(Math.tanh));
  const theta = pacfToAr(u.slice(o.p, o.p + o.q).map(Math.tanh)).map((v) => -v);
  let k = o.p + o.q;
  const sphi = o.P > 0 ? [Math.tanh(u[k++] as number)] : [];
  const stheta = o.Q > 0 ? [Math.tanh(u[k++] as number)] : [];
  const mu = constant ? center + scale * (u[k] as number) : 0;
  return o.m > 0 ? { phi, d: o.d, theta, mu, m: o.m, D: o.D, sphi, stheta } : { phi, d: o.d, theta, mu };
}

const clampAtanh = (v: number): number => Math.atanh(Math.max(-0.98, Math.min(0.98, Number.isFinite(v) ? v : 0)));

/** Hannan–Rissanen start for (p, q) on the differenced series, seasonal terms at 0. */
function hrStart(y: Float64Array, o: ArimaOrder, constant: boolean, center: number, scale: number): number[] {
  let w = y;
  for (let k = 0; k < o.D; k++) w = difference(w, o.m);
  for (let k = 0; k < o.d; k++) w = difference(w, 1);
  const hr = hannanRissanen(w, o.p, o.q, constant);
  const u = [...arToPacf(hr.phi).map(clampAtanh), ...arToPacf(hr.theta.map((v) => -v)).map(clampAtanh)];
  for (let k = 0; k < o.P + o.Q; k++) u.push(0);
  if (constant) u.push((hr.mu - center) / scale);
  return u;
}

/** Fits one order by minimising the CSS with Nelder–Mead from a Hannan–Rissanen start (or `start`). */
export function fitOrder(y: Float64Array, o: ArimaOrder, constant: boolean, ncond: number, work: CssWork, start?: number[]): Candidate {
  const { mean, sd } = differencedStats(y, o.d, o.D, o.m);
  const center = constant ? mean : 0;
  const k = o.p + o.q + o.P + o.Q + (constant ? 1 : 0);
  const objective = (u: readonly number[]): number => arimaCss(y, decode(u, o, constant, center, sd), ncond, work).sse;
  const warm = start !== undefined && start.length === k;
  let u = warm ? start : hrStart(y, o, constant, center, sd);
  // From a warm start (the search window's optimum) only a polish is needed: smaller simplex.
  if (k > 0) u = nelderMead(objective, u, { step: warm ? 0.03 : 0.1, maxEvals: (warm ? 50 : 80) * k + 40, fTol: 1e-10, xTol: 1e-6 }).x;
  const coef = decode(u, o, constant, center, sd);
  const r = arimaCss(y, coef, ncond, work);
  return { order: o, constant, coef, sse: r.sse, count: r.count, u };
}

/** A candidate with given coefficients (no optimisation). */
export function fixedCandidate(
  y: Float64Array,
  o: ArimaOrder,
  constant: boolean,
  given: { phi: readonly number[]; theta: readonly number[]; sphi?: readonly number[]; stheta?: readonly number[]; mu?: number },
  work: CssWork,
): Candidate {
  if (given.phi.length !== o.p) badOption('arima', 'coefficients.phi', `${o.p} values`, given.phi.length);
  if (given.theta.length !== o.q) badOption('arima', 'coefficients.theta', `${o.q} values`, given.theta.length);
  const sphi = [...(given.sphi ?? [])];
  const stheta = [...(given.stheta ?? [])];
  if (sphi.length !== o.P) badOption('arima', 'coefficients.sphi', `${o.P} values`, sphi.length);
  if (stheta.length !== o.Q) badOption('arima', 'coefficients.stheta', `${o.Q} values`, stheta.length);
  const mu = constant ? (given.mu ?? 0) : 0;
  const coef: ArimaCoefficients = o.m > 0 ? { phi: [...given.phi], d: o.d, theta: [...given.theta], mu, m: o.m, D: o.D, sphi, stheta } : { phi: [...given.phi], d: o.d, theta: [...given.theta], mu };
  const r = arimaCss(y, coef, o.d + o.D * o.m + o.p + o.P * o.m, work);
  const { sd, mean } = differencedStats(y, o.d, o.D, o.m);
  const u = [...arToPacf(coef.phi).map(clampAtanh), ...arToPacf(coef.theta.map((v) => -v)).map(clampAtanh), ...sphi.map(clampAtanh), ...stheta.map(clampAtanh)];
  if (constant) u.push((mu - mean) / sd);
  return { order: o, constant, coef, sse: r.sse, count: r.count, u };
}
