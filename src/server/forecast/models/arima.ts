import { buildForecast, checkHorizon } from '../build-forecast.js';
import { constantFit } from '../constant-fit.js';
import { badOption, tooShort } from '../forecast-input-error.js';
import type { FittedModel, ForecastModel, ModelOptions } from '../forecast-model.js';
import { OptionReader } from '../option-reader.js';
import type { PreparedSeries } from '../prepare-series.js';
import { lastTs } from '../prepare-series.js';
import { arimaCss, constantOf, cssWork } from './arima-css.js';
import type { ArimaCoefficients } from './arima-css.js';
import { arimaLagPolys, psiWeightsSparse } from './arima-polynomials.js';
import type { ArimaOrder, Candidate } from './arima-search.js';
import { chooseD, fitOrder, fixedCandidate, searchOrder, seasonalDifference } from './arima-search.js';
import type { SeasonChoice } from './season-length.js';
import { resolveSeasonLength, seasonalStrength } from './season-length.js';

export { chooseD } from './arima-search.js';

/** Options of ARIMA. */
export interface ArimaOptions {
  /** Fixed order [p, d, q]; default: d by KPSS, (p, q) by AIC over the grid. */
  order?: readonly [number, number, number];
  /** Fixed seasonal order [P, D, Q] with P, D, Q ∈ {0, 1}; needs a season. */
  seasonalOrder?: readonly [number, number, number];
  /** Season for the seasonal part: as Holt-Winters (`auto` default; `none` disables it). */
  season?: SeasonChoice;
  /** Explicit season length in steps (overrides `season`). */
  seasonLength?: number;
  /** Largest AR order searched (default 3, max 5). */
  maxP?: number;
  /** Largest MA order searched (default 2, max 5). */
  maxQ?: number;
  /** Largest differencing order (default 2). */
  maxD?: number;
  /**
   * Constant term: the mean when d + D = 0, the drift when d + D = 1 (never otherwise). `auto`
   * (default): always a mean when d + D = 0; drift chosen by AIC when d + D = 1.
   */
  constant?: boolean | 'auto';
  /** Fixed coefficients (requires `order`): no optimisation, e.g. a warm start from a previous fit. */
  coefficients?: { phi: readonly number[]; theta: readonly number[]; sphi?: readonly number[]; stheta?: readonly number[]; mu?: number };
}

/** Fewest finite points ARIMA accepts. */
export const ARIMA_MIN_POINTS = 16;

/** Seasonal strength above which `auto` differences seasonally (the threshold of forecast::nsdiffs). */
export const SEASONAL_DIFF_STRENGTH = 0.64;

/**
 * (Seasonal) ARIMA(p,d,q)(P,D,Q)_m fitted by conditional sum of squares (CSS, as R's
 * `arima(method = "CSS")`); stationarity and invertibility are enforced by optimising partial
 * autocorrelations (tanh transform). Order selection as `auto.arima`: D = 1 when the daily /
 * weekly seasonal strength is ≥ 0.64, d by repeated KPSS tests on the (seasonally differenced)
 * series, then (p, q) in 0..maxP × 0..maxQ by AIC and, with a season, (P, Q) ∈ {0, 1}² by AIC —
 * all candidates conditioned on the same initial points so their AICs compare like with like.
 * The search scores the most recent `ARIMA_SEARCH_WINDOW` points (plus conditioning); the
 * winner is refitted on the whole series. Forecast: the recursion with future errors 0; bands
 * from ψ-weights, var_h = σ² Σ_{j<h} ψ_j². Gaps take the model's one-step prediction.
 */
export function fitArima(series: PreparedSeries, options: ArimaOptions = {}): FittedModel {
  const { y } = series;
  if (series.observed < ARIMA_MIN_POINTS) tooShort('arima', ARIMA_MIN_POINTS, series.observed);
  if (series.constant) return constantFit('arima', series);
  const { m, D } = seasonalPart(y, series.stepMs, options);
  const x = D > 0 ? seasonalDifference(y, m) : y;
  const d = options.order ? options.order[1] : chooseD(x, options.maxD ?? 2);
  const work = cssWork(y.length);
  let best: Candidate;
  if (options.order) {
    const [p, , q] = options.order;
    const [P, , Q] = options.seasonalOrder ?? [0, D, 0];
    const order: ArimaOrder = { p, d, q, P, D, Q, m };
    const ncond = d + D * m + p + P * m;
    if (y.length < ncond + q + Q * m + 8) tooShort('arima', ncond + q + Q * m + 8, series.observed, `order ${describe(order)}`);
    const constant = options.constant === 'auto' || options.constant === undefined ? d + D === 0 : options.constant && d + D < 2;
    best = options.coefficients ? fixedCandidate(y, order, constant, options.coefficients, work) : fitOrder(y, order, constant, ncond, work);
  } else {
    best = searchOrder(y, { d, D, m }, options, work);
  }
  return finish(series, best, work);
}

function seasonalPart(y: Float64Array, stepMs: number, o: ArimaOptions): { m: number; D: number } {
  if (o.seasonalOrder) {
    const m = resolveSeasonLength('arima', y, stepMs, o.season === undefined || o.season === 'auto' ? 'daily' : o.season, o.seasonLength);
    if (m < 2) badOption('arima', 'seasonalOrder', 'used with a season (season "daily"/"weekly" or seasonLength)', 'no season');
    return { m, D: o.seasonalOrder[1] };
  }
  if (o.order && o.season === undefined && o.seasonLength === undefined) return { m: 0, D: 0 };
  const m = resolveSeasonLength('arima', y, stepMs, o.season ?? 'auto', o.seasonLength);
  if (m < 2 || y.length < 3 * m) return { m: 0, D: 0 };
  const block = Math.max(1, Math.floor(Math.min(m / 24, 3_600_000 / stepMs)));
  return seasonalStrength(y, m, block) >= SEASONAL_DIFF_STRENGTH ? { m, D: 1 } : { m: 0, D: 0 };
}

function describe(o: ArimaOrder): string {
  return `ARIMA(${o.p},${o.d},${o.q})` + (o.m > 0 ? `(${o.P},${o.D},${o.Q})[${o.m}]` : '');
}

function finish(series: PreparedSeries, c: Candidate, work: ReturnType<typeof cssWork>): FittedModel {
  const { y } = series;
  const n = y.length;
  const o = c.order;
  const { ar, ma } = arimaLagPolys(c.coef);
  const cst = constantOf(c.coef);
  const ncond = o.d + o.D * o.m + o.p + o.P * o.m;
  const r = arimaCss(y, c.coef, ncond, work);
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
  const k = o.p + o.q + o.P + o.Q + (c.constant ? 1 : 0);
  const aic = r.count * (Math.log(2 * Math.PI * sigma2) + 1) + 2 * (k + 1);
  const spec = describe(o) + (c.constant ? (o.d + o.D === 0 ? ' with mean' : ' with drift') : '');
  const origin = lastTs(series);
  const coef: ArimaCoefficients = c.coef;
  return {
    model: 'arima',
    spec,
    params: {
      p: o.p,
      d: o.d,
      q: o.q,
      P: o.P,
      D: o.D,
      Q: o.Q,
      seasonLength: o.m,
      phi: coef.phi,
      theta: coef.theta,
      sphi: coef.sphi ?? [],
      stheta: coef.stheta ?? [],
      constant: c.constant,
      mu: coef.mu,
      sigma2,
    },
    t0: series.t0,
    stepMs: series.stepMs,
    fitted,
    residuals,
    sigma,
    aic,
    warmStart: {
      order: [o.p, o.d, o.q],
      ...(o.m > 0 ? { seasonalOrder: [o.P, o.D, o.Q], seasonLength: o.m } : {}),
      constant: c.constant,
      coefficients: { phi: [...coef.phi], theta: [...coef.theta], sphi: [...(coef.sphi ?? [])], stheta: [...(coef.stheta ?? [])], mu: coef.mu },
    },
    forecast(horizon: number) {
      const h = checkHorizon(horizon);
      const maxLag = Math.max(0, ...ar.lags, ...ma.lags);
      const hist = new Float64Array(maxLag + h);
      const res = new Float64Array(maxLag + h);
      for (let i = 0; i < maxLag; i++) {
        const t = n - maxLag + i;
        hist[i] = t >= 0 ? (yImp[t] as number) : 0;
        res[i] = t >= 0 ? (e[t] as number) : 0;
      }
      const mean = new Float64Array(h);
      for (let k2 = 0; k2 < h; k2++) {
        const at = maxLag + k2;
        let v = cst;
        for (let i = 0; i < ar.lags.length; i++) v += (ar.coefs[i] as number) * (hist[at - (ar.lags[i] as number)] as number);
        for (let j = 0; j < ma.lags.length; j++) v += (ma.coefs[j] as number) * (res[at - (ma.lags[j] as number)] as number);
        hist[at] = v;
        mean[k2] = v;
      }
      const psi = psiWeightsSparse(ar, ma, h);
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
  description: 'Seasonal ARIMA by conditional sum of squares; D by seasonal strength, d by KPSS, orders by AIC; ψ-weight bands.',
  fit(series: PreparedSeries, options?: ModelOptions): FittedModel {
    return fitArima(series, readArimaOptions(options));
  },
};

function readOrder(r: OptionReader, name: string, maxPq: number): [number, number, number] | undefined {
  const order = r.numbers(name, { minLength: 3, maxLength: 3 });
  if (!order) return undefined;
  const [p, d, q] = order as [number, number, number];
  const maxD = name === 'order' ? 2 : 1;
  const ok = [p, d, q].every((v) => Number.isInteger(v) && v >= 0) && p <= maxPq && q <= maxPq && d <= maxD;
  if (!ok) badOption('arima', name, `[a, b, c] with integers a, c in 0..${maxPq} and b in 0..${maxD}`, order.join(','));
  return [p, d, q];
}

/** Validates untyped ARIMA options (API input) into {@link ArimaOptions}. */
export function readArimaOptions(options?: ModelOptions): ArimaOptions {
  const r = new OptionReader('arima', options);
  const o: ArimaOptions = {};
  const order = readOrder(r, 'order', 5);
  if (order) o.order = order;
  const seasonalOrder = readOrder(r, 'seasonalOrder', 1);
  if (seasonalOrder) o.seasonalOrder = seasonalOrder;
  // Absent ≠ 'auto' here: a fixed `order` without a season stays non-seasonal.
  const season = r.optionalChoice('season', ['auto', 'daily', 'weekly', 'none'] as const);
  if (season !== undefined) o.season = season;
  const seasonLength = r.number('seasonLength', { min: 2, max: 50_000, integer: true });
  if (seasonLength !== undefined) o.seasonLength = seasonLength;
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
    const sphi = cr.numbers('sphi', { minLength: 0, maxLength: 1 });
    const stheta = cr.numbers('stheta', { minLength: 0, maxLength: 1 });
    const mu = cr.number('mu', { min: -1e100, max: 1e100 });
    cr.done();
    o.coefficients = { phi, theta, ...(sphi ? { sphi } : {}), ...(stheta ? { stheta } : {}), ...(mu === undefined ? {} : { mu }) };
  }
  r.done();
  return o;
}
