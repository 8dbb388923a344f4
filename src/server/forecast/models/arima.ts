import { buildForecast, checkHorizon } from '../build-forecast.js';
import { constantFit } from '../constant-fit.js';
import { badOption, tooShort } from '../forecast-input-error.js';
import type { FittedModel, ForecastModel, ModelOptions } from '../forecast-model.js';
import { nelderMead } from '../numeric/nelder-mead.js';
import { OptionReader } from '../option-reader.js';
import type { PreparedSeries } from '../prepare-series.js';
import { isConstant, lastTs } from '../prepare-series.js';
import type { ArimaCoefficients, CssWork } from './arima-css.js';
import { constantOf, cssWithExpanded, cssWork } from './arima-css.js';
import { arToPacf, expandAr, pacfToAr, psiWeights } from './arima-polynomials.js';
import { hannanRissanen } from './hannan-rissanen.js';
import { kpssTest } from './kpss-test.js';

/**
 * The order search scores candidates on the most recent 2,000 points only (AIC is a valid
 * comparison on any common sample); the chosen order is then fitted on the whole series. Keeps
 * the grid search within the interactive budget for week-long 1-minute series.
 */
export const ARIMA_SEARCH_WINDOW = 2000;

/** Options of ARIMA. */
export interface ArimaOptions {
  /** Fixed order [p, d, q]; default: d by KPSS, (p, q) by AIC over the grid. */
  order?: readonly [number, number, number];
  /** Largest AR order searched (default 3, max 5). */
  maxP?: number;
  /** Largest MA order searched (default 2, max 5). */
  maxQ?: number;
  /** Largest differencing order (default 2). */
  maxD?: number;
  /**
   * Constant term: the mean when d = 0, the drift when d = 1 (never with d = 2). `auto`
   * (default): always a mean for d = 0; drift chosen by AIC for d = 1.
   */
  constant?: boolean | 'auto';
  /** Fixed coefficients (requires `order`): no optimisation, e.g. a warm start from a previous fit. */
  coefficients?: { phi: readonly number[]; theta: readonly number[]; mu?: number };
}

/** Fewest finite points ARIMA accepts. */
export const ARIMA_MIN_POINTS = 16;

interface Candidate {
  p: number;
  d: number;
  q: number;
  constant: boolean;
  coef: ArimaCoefficients;
  sse: number;
  count: number;
  /** Unconstrained optimiser coordinates of `coef` (for warm restarts). */
  u: number[];
}

/**
 * ARIMA(p, d, q) fitted by conditional sum of squares (CSS, as R's `arima(method = "CSS")`),
 * stationarity and invertibility enforced by optimising partial autocorrelations (tanh
 * transform). Order: d by repeated KPSS tests (as `auto.arima`), then (p, q) in
 * 0..maxP × 0..maxQ by AIC, all candidates conditioned on the same first d + maxP points so
 * their AICs compare like with like; the winner is refitted conditioning on d + p only.
 * Forecast: the recursion with future errors 0; bands from ψ-weights, var_h = σ² Σ_{j<h} ψ_j².
 * Gaps take the model's one-step prediction (see `arimaCss`).
 */
export function fitArima(series: PreparedSeries, options: ArimaOptions = {}): FittedModel {
  const { y } = series;
  if (series.observed < ARIMA_MIN_POINTS) tooShort('arima', ARIMA_MIN_POINTS, series.observed);
  if (series.constant) return constantFit('arima', series);
  const maxD = options.maxD ?? 2;
  const d = options.order ? options.order[1] : chooseD(y, maxD);
  const work = cssWork(y.length);
  let best: Candidate;
  if (options.order) {
    const [p, , q] = options.order;
    if (y.length < p + d + q + 8) tooShort('arima', p + d + q + 8, series.observed, `order (${p},${d},${q})`);
    const constant = options.constant === 'auto' || options.constant === undefined ? d === 0 : options.constant && d < 2;
    best = options.coefficients
      ? fixedCandidate(y, p, d, q, constant, options.coefficients, work)
      : fitOrder(y, p, d, q, constant, d + p, work);
  } else {
    best = searchOrder(y, d, options, work);
  }
  return finish(series, best, work);
}

/** Number of differences: difference while KPSS rejects level stationarity (5 %), up to maxD. */
export function chooseD(y: Float64Array, maxD: number): number {
  let x: Float64Array = y;
  for (let d = 0; d < maxD; d++) {
    if (isConstant(x) || !kpssTest(x).rejects) return d;
    const next = new Float64Array(x.length - 1);
    for (let i = 1; i < x.length; i++) next[i - 1] = (x[i] as number) - (x[i - 1] as number);
    x = next;
  }
  return maxD;
}

function searchOrder(yAll: Float64Array, d: number, o: ArimaOptions, work: CssWork): Candidate {
  const y = yAll.length > ARIMA_SEARCH_WINDOW ? yAll.subarray(yAll.length - ARIMA_SEARCH_WINDOW) : yAll;
  const maxP = o.maxP ?? 3;
  const maxQ = o.maxQ ?? 2;
  const ncond = d + maxP;
  // Drift (d = 1, constant 'auto') is decided by AIC for the best order only: a second full grid
  // would double the cost for a choice that rarely changes the order.
  const gridConstant = d === 0 ? o.constant !== false : d === 1 && o.constant === true;
  let best: Candidate | undefined;
  let bestAic = Infinity;
  for (let p = 0; p <= maxP; p++) {
    for (let q = 0; q <= maxQ; q++) {
      if (y.length < ncond + p + q + 8) continue;
      const c = fitOrder(y, p, d, q, gridConstant, ncond, work);
      const aic = cssAic(c);
      if (aic < bestAic) {
        bestAic = aic;
        best = c;
      }
    }
  }
  if (best && d === 1 && (o.constant === 'auto' || o.constant === undefined)) {
    const withDrift = fitOrder(y, best.p, d, best.q, true, ncond, work);
    if (cssAic(withDrift) < bestAic) best = withDrift;
  }
  if (!best) tooShort('arima', d + maxP + 8, y.length);
  // Refit the winner on the whole series with its own conditioning (d + p), from the grid solution.
  return fitOrder(yAll, best.p, d, best.q, best.constant, d + best.p, work, best.u);
}

/** Gaussian AIC of a CSS fit: N(ln 2πσ² + 1) + 2(k + 1), σ² = SSE/N. */
function cssAic(c: Candidate): number {
  const k = c.p + c.q + (c.constant ? 1 : 0);
  return c.count * (Math.log((2 * Math.PI * c.sse) / c.count) + 1) + 2 * (k + 1);
}

function differencedStats(y: Float64Array, d: number): { mean: number; sd: number } {
  let x = Array.from(y);
  for (let k = 0; k < d; k++) x = x.slice(1).map((v, i) => v - (x[i] as number));
  const f = x.filter((v) => v === v);
  const mean = f.reduce((a, v) => a + v, 0) / Math.max(1, f.length);
  const sd = Math.sqrt(f.reduce((a, v) => a + (v - mean) * (v - mean), 0) / Math.max(1, f.length - 1));
  return { mean: Number.isFinite(mean) ? mean : 0, sd: sd > 0 && Number.isFinite(sd) ? sd : 1 };
}

function decode(u: readonly number[], p: number, q: number, d: number, constant: boolean, center: number, scale: number): ArimaCoefficients {
  const phi = pacfToAr(u.slice(0, p).map(Math.tanh));
  const theta = pacfToAr(u.slice(p, p + q).map(Math.tanh)).map((v) => -v);
  const mu = constant ? center + scale * (u[p + q] as number) : 0;
  return { phi, d, theta, mu };
}

function fitOrder(y: Float64Array, p: number, d: number, q: number, constant: boolean, ncond: number, work: CssWork, start?: number[]): Candidate {
  const { mean, sd } = differencedStats(y, d);
  const center = constant ? mean : 0;
  const k = p + q + (constant ? 1 : 0);
  const objective = (u: readonly number[]): number => {
    const c = decode(u, p, q, d, constant, center, sd);
    return cssWithExpanded(y, expandAr(c.phi, d), c.theta, constantOf(c), ncond, work).sse;
  };
  let u = start ?? hrStart(y, p, d, q, constant, center, sd);
  if (k > 0) {
    const res = nelderMead(objective, u, { step: 0.1, maxEvals: 80 * k + 40, fTol: 1e-10, xTol: 1e-6 });
    u = res.x;
  }
  const coef = decode(u, p, q, d, constant, center, sd);
  const r = cssWithExpanded(y, expandAr(coef.phi, d), coef.theta, constantOf(coef), ncond, work);
  return { p, d, q, constant, coef, sse: r.sse, count: r.count, u };
}

/** Hannan–Rissanen start mapped into the optimiser's coordinates (PACFs clamped inside ±0.98). */
function hrStart(y: Float64Array, p: number, d: number, q: number, constant: boolean, center: number, scale: number): number[] {
  let w = y;
  for (let k = 0; k < d; k++) {
    const next = new Float64Array(w.length - 1);
    for (let i = 1; i < w.length; i++) next[i - 1] = (w[i] as number) - (w[i - 1] as number);
    w = next;
  }
  const hr = hannanRissanen(w, p, q, constant);
  const clampAtanh = (v: number): number => Math.atanh(Math.max(-0.98, Math.min(0.98, Number.isFinite(v) ? v : 0)));
  const u = [...arToPacf(hr.phi).map(clampAtanh), ...arToPacf(hr.theta.map((v) => -v)).map(clampAtanh)];
  if (constant) u.push((hr.mu - center) / scale);
  return u;
}

function fixedCandidate(
  y: Float64Array,
  p: number,
  d: number,
  q: number,
  constant: boolean,
  given: { phi: readonly number[]; theta: readonly number[]; mu?: number },
  work: CssWork,
): Candidate {
  if (given.phi.length !== p) badOption('arima', 'coefficients.phi', `${p} values`, given.phi.length);
  if (given.theta.length !== q) badOption('arima', 'coefficients.theta', `${q} values`, given.theta.length);
  const coef: ArimaCoefficients = { phi: [...given.phi], d, theta: [...given.theta], mu: constant ? (given.mu ?? 0) : 0 };
  const r = cssWithExpanded(y, expandAr(coef.phi, d), coef.theta, constantOf(coef), d + p, work);
  const { sd, mean } = differencedStats(y, d);
  const pac = arToPacf(coef.phi);
  const mac = arToPacf(coef.theta.map((v) => -v));
  const u = [...pac.map((v) => Math.atanh(Math.max(-0.999999, Math.min(0.999999, v)))), ...mac.map((v) => Math.atanh(Math.max(-0.999999, Math.min(0.999999, v))))];
  if (constant) u.push((coef.mu - mean) / sd);
  return { p, d, q, constant, coef, sse: r.sse, count: r.count, u };
}

function finish(series: PreparedSeries, c: Candidate, work: CssWork): FittedModel {
  const { y } = series;
  const n = y.length;
  const arStar = expandAr(c.coef.phi, c.d);
  const cst = constantOf(c.coef);
  const ncond = c.d + c.p;
  const r = cssWithExpanded(y, arStar, c.coef.theta, cst, ncond, work);
  const yImp = Float64Array.from(work.yImp);
  const e = Float64Array.from(work.e);
  const fitted = new Float64Array(n).fill(Number.NaN);
  const residuals = new Float64Array(n).fill(Number.NaN);
  for (let t = ncond; t < n; t++) {
    const v = y[t] as number;
    if (v === v) {
      fitted[t] = v - (e[t] as number);
      residuals[t] = e[t] as number;
    } else {
      fitted[t] = yImp[t] as number;
    }
  }
  const sigma2 = r.sse / Math.max(1, r.count);
  const sigma = Math.sqrt(sigma2);
  const k = c.p + c.q + (c.constant ? 1 : 0);
  const aic = r.count * (Math.log(2 * Math.PI * sigma2) + 1) + 2 * (k + 1);
  const theta = c.coef.theta;
  const spec = `ARIMA(${c.p},${c.d},${c.q})` + (c.constant ? (c.d === 0 ? ' with mean' : ' with drift') : '');
  const origin = lastTs(series);
  return {
    model: 'arima',
    spec,
    params: { p: c.p, d: c.d, q: c.q, phi: c.coef.phi, theta, constant: c.constant, mu: c.coef.mu, sigma2 },
    t0: series.t0,
    stepMs: series.stepMs,
    fitted,
    residuals,
    sigma,
    aic,
    forecast(horizon: number) {
      const h = checkHorizon(horizon);
      const P = arStar.length;
      const Q = theta.length;
      const hist = new Float64Array(P + h);
      for (let i = 0; i < P; i++) hist[i] = yImp[n - P + i] as number;
      const mean = new Float64Array(h);
      for (let k2 = 0; k2 < h; k2++) {
        let v = cst;
        for (let i = 1; i <= P; i++) v += (arStar[i - 1] as number) * (hist[P + k2 - i] as number);
        for (let j = k2 + 1; j <= Q; j++) v += (theta[j - 1] as number) * (e[n - 1 + k2 + 1 - j] as number);
        hist[P + k2] = v;
        mean[k2] = v;
      }
      const psi = psiWeights(arStar, theta, h);
      const se = new Float64Array(h);
      let acc = 0;
      for (let j = 0; j < h; j++) {
        acc += (psi[j] as number) * (psi[j] as number);
        se[j] = sigma * Math.sqrt(acc);
      }
      return buildForecast('arima', origin, series.stepMs, mean, se);
    },
  };
}

/** Registry entry for {@link fitArima}. */
export const arimaModel: ForecastModel = {
  name: 'arima',
  description: 'ARIMA(p,d,q) by conditional sum of squares; d by KPSS, order by AIC; ψ-weight bands.',
  fit(series: PreparedSeries, options?: ModelOptions): FittedModel {
    return fitArima(series, readArimaOptions(options));
  },
};

/** Validates untyped ARIMA options (API input) into {@link ArimaOptions}. */
export function readArimaOptions(options?: ModelOptions): ArimaOptions {
  const r = new OptionReader('arima', options);
  const o: ArimaOptions = {};
  const order = r.numbers('order', { minLength: 3, maxLength: 3 });
  if (order) {
    const [p, d, q] = order as [number, number, number];
    const ok = [p, d, q].every((v) => Number.isInteger(v) && v >= 0) && p <= 5 && q <= 5 && d <= 2;
    if (!ok) badOption('arima', 'order', '[p, d, q] with integers p, q in 0..5 and d in 0..2', order.join(','));
    o.order = [p, d, q];
  }
  const maxP = r.number('maxP', { min: 0, max: 5, integer: true });
  const maxQ = r.number('maxQ', { min: 0, max: 5, integer: true });
  const maxD = r.number('maxD', { min: 0, max: 2, integer: true });
  if (maxP !== undefined) o.maxP = maxP;
  if (maxQ !== undefined) o.maxQ = maxQ;
  if (maxD !== undefined) o.maxD = maxD;
  o.constant = r.boolOrAuto('constant', 'auto');
  const coefficients = r.raw('coefficients');
  if (coefficients !== undefined) {
    if (!o.order) badOption('arima', 'coefficients', 'given together with "order"', 'coefficients without order');
    const cr = new OptionReader('arima.coefficients', coefficients as ModelOptions);
    const phi = cr.numbers('phi', { minLength: 0, maxLength: 5 }) ?? [];
    const theta = cr.numbers('theta', { minLength: 0, maxLength: 5 }) ?? [];
    const mu = cr.number('mu', { min: -1e100, max: 1e100 });
    cr.done();
    o.coefficients = mu === undefined ? { phi, theta } : { phi, theta, mu };
  }
  r.done();
  return o;
}
