import { buildForecast, checkHorizon } from '../build-forecast.js';
import { constantFit } from '../constant-fit.js';
import { badOption, tooShort } from '../forecast-input-error.js';
import type { FittedModel, ForecastModel, ModelOptions } from '../forecast-model.js';
import { nelderMead } from '../numeric/nelder-mead.js';
import { OptionReader } from '../option-reader.js';
import type { PreparedSeries } from '../prepare-series.js';
import { lastTs } from '../prepare-series.js';
import { residualStats } from '../residual-stats.js';
import type { EmpiricalErrors } from '../empirical-errors.js';
import { empiricalErrors } from '../empirical-errors.js';
import type { HwConfig, HwFilterResult, HwStates, HwTrace } from './holt-winters-filter.js';
import { hwFilter, hwForecastFrom, hwForecastSe, hwInitialStates, hwPointForecast } from './holt-winters-filter.js';
import type { SeasonChoice } from './season-length.js';
import { resolveSeasonLength } from './season-length.js';

/** Options of Holt-Winters. Every smoothing constant left out is fitted. */
export interface HoltWintersOptions {
  /** Season from the step: `daily`, `weekly`, `none`, or `auto` (default; see `resolveSeasonLength`). */
  season?: SeasonChoice;
  /** Explicit season length in steps (≥ 2); overrides `season`. */
  seasonLength?: number;
  /** `additive`, `multiplicative` (needs all values > 0) or `auto` (default: lower AIC). */
  seasonality?: 'additive' | 'multiplicative' | 'auto';
  /** Include a trend (default true). */
  trend?: boolean;
  /** Damped trend: true, false, or `auto` (default: lower AIC). */
  damped?: boolean | 'auto';
  /**
   * How the bands are computed: `model` (ψ-weights of the state-space form, as R's
   * `predict.HoltWinters`) or `empirical` (quantiles of the fit's own in-sample h-step errors,
   * see `empiricalErrors`). Default `empirical`: one-step fitting on minute data drives α
   * towards 1 and the model bands then grow like a random walk, far wider than the errors the
   * backtests show (see docs/forecasting.md).
   */
  intervals?: 'model' | 'empirical';
  /** Fixed level smoothing α in (0, 1]. */
  alpha?: number;
  /** Fixed trend smoothing β in [0, 1]. */
  beta?: number;
  /** Fixed seasonal smoothing γ in [0, 1]. */
  gamma?: number;
  /** Fixed damping φ in (0, 1]; with `damped: 'auto'` a fixed φ < 1 implies damped. */
  phi?: number;
  /**
   * Initial states at t = −1 (filtering then starts at index 0) instead of R's decomposition
   * start. `season` has one value per season position 0..m−1.
   */
  initial?: { level: number; trend: number; season: readonly number[] };
}

/** Bounds of the fitted parameters: the "usual" region of R's `ets`. */
const BOUNDS = { alpha: [1e-4, 0.9999], beta: [0, 0.9999], gamma: [0, 0.9999], phi: [0.8, 0.98] } as const;
const START = { alpha: 0.3, beta: 0.1, gamma: 0.1, phi: 0.95 } as const;
type ParamName = keyof typeof BOUNDS;

interface VariantFit {
  cfg: HwConfig;
  init: HwStates;
  fin: HwFilterResult;
  free: number;
  aic: number;
}

/** Fewest finite points of non-seasonal Holt. Seasonal needs 2 seasons + 2 points. */
export const HOLT_MIN_POINTS = 6;

/**
 * Holt-Winters exponential smoothing with additive or multiplicative seasonality and optional
 * damped trend. Smoothing constants minimise the in-sample one-step squared error with
 * Nelder–Mead (logistic transform into the bounds α∈[1e-4, 0.9999], β, γ∈[0, 0.9999],
 * φ∈[0.8, 0.98]; start α=0.3, β=0.1, γ=0.1 as R). Initial states as R's `HoltWinters`.
 * `auto` seasonality/damping fits every allowed variant and keeps the lowest
 * AIC = N·ln(SSE/N) + 2k. Gaps: see `hwFilter`. Bands: empirical by default, ψ-weights with
 * `intervals: 'model'` (see {@link HoltWintersOptions.intervals}).
 */
export function fitHoltWinters(series: PreparedSeries, options: HoltWintersOptions = {}): FittedModel {
  const { y } = series;
  const m = resolveSeasonLength('holt-winters', y, series.stepMs, options.season ?? 'auto', options.seasonLength);
  const trend = options.trend ?? true;
  const needed = m > 0 ? 2 * m + 2 : HOLT_MIN_POINTS;
  if (series.observed < needed) {
    tooShort('holt-winters', needed, series.observed, m > 0 ? `two seasons of ${m} steps plus 2` : '');
  }
  if (series.constant) return constantFit('holt-winters', series);
  if (options.initial && m > 0 && options.initial.season.length !== m) {
    badOption('holt-winters', 'initial.season', `${m} values (one per season position)`, options.initial.season.length);
  }
  const { mults, dampeds } = variantsToFit(y, m, trend, options);
  let best: VariantFit | undefined;
  for (const multiplicative of mults) {
    for (const damped of dampeds) {
      // Later variants start from the best solution so far (smoothing constants of the
      // variants are usually close), which roughly halves their optimisation cost.
      const v = fitVariant(y, m, multiplicative, trend, damped, options, best?.cfg);
      if (v && (!best || v.aic < best.aic)) best = v;
    }
  }
  if (!best) tooShort('holt-winters', needed, series.observed, 'no variant could be fitted');
  return finish(series, best, options.intervals ?? 'empirical');
}

/** Which seasonality/damping variants `auto` compares (multiplicative only for positive data). */
function variantsToFit(y: Float64Array, m: number, trend: boolean, options: HoltWintersOptions): { mults: boolean[]; dampeds: boolean[] } {
  const allPositive = y.every((v) => !(v <= 0));
  const wantMult = options.seasonality ?? 'auto';
  if (wantMult === 'multiplicative' && !allPositive) badOption('holt-winters', 'seasonality', '"additive" for a series with values ≤ 0', wantMult);
  const mults = m === 0 ? [false] : wantMult === 'auto' ? (allPositive ? [false, true] : [false]) : [wantMult === 'multiplicative'];
  const dampedOpt = options.damped ?? 'auto';
  const dampeds = !trend ? [false] : dampedOpt === 'auto' ? (options.phi !== undefined ? [options.phi < 1] : [false, true]) : [dampedOpt];
  return { mults, dampeds };
}

function fitVariant(
  y: Float64Array,
  m: number,
  multiplicative: boolean,
  trend: boolean,
  damped: boolean,
  o: HoltWintersOptions,
  warm?: HwConfig,
): VariantFit | undefined {
  const init: HwStates = o.initial
    ? { level: o.initial.level, trend: o.initial.trend, season: Float64Array.from(o.initial.season), start: 0 }
    : hwInitialStates(y, m, multiplicative, trend);
  const fixed: Partial<Record<ParamName, number>> = { alpha: o.alpha, beta: o.beta, gamma: o.gamma, phi: o.phi };
  const free: ParamName[] = ['alpha'];
  if (trend) free.push('beta');
  if (m > 0) free.push('gamma');
  if (damped) free.push('phi');
  const toFit = free.filter((p) => fixed[p] === undefined);
  const cfgFrom = (x: readonly number[]): HwConfig => {
    const val = (p: ParamName, dflt: number): number => {
      const f = fixed[p];
      if (f !== undefined) return f;
      const i = toFit.indexOf(p);
      if (i < 0) return dflt;
      const [lo, hi] = BOUNDS[p];
      return lo + (hi - lo) / (1 + Math.exp(-(x[i] as number)));
    };
    return {
      m,
      multiplicative,
      trend,
      alpha: val('alpha', 0.5),
      beta: trend ? val('beta', 0) : 0,
      gamma: m > 0 ? val('gamma', 0) : 0,
      phi: damped ? val('phi', 1) : 1,
    };
  };
  let cfg = cfgFrom([]);
  if (toFit.length > 0) {
    const x0 = toFit.map((p) => {
      const [lo, hi] = BOUNDS[p];
      const from = warm && !(p === 'phi' && warm.phi >= 1) ? warm[p] : START[p];
      const r = Math.min(0.999, Math.max(0.001, (from - lo) / (hi - lo)));
      return Math.log(r / (1 - r));
    });
    const res = nelderMead((x) => hwFilter(y, cfgFrom(x), init).sse, x0, {
      step: warm ? 0.5 : 1,
      maxEvals: 150 * toFit.length,
      fTol: 1e-9,
      xTol: 1e-5,
    });
    cfg = cfgFrom(res.x);
  }
  const fin = hwFilter(y, cfg, init);
  if (!Number.isFinite(fin.sse) || fin.count === 0) return undefined;
  const k = free.length;
  const aic = fin.count * Math.log(Math.max(fin.sse, Number.MIN_VALUE) / fin.count) + 2 * k;
  return { cfg, init, fin, free: k, aic };
}

function finish(series: PreparedSeries, v: VariantFit, intervals: 'model' | 'empirical'): FittedModel {
  const { y } = series;
  const n = y.length;
  const fitted = new Float64Array(n).fill(Number.NaN);
  const trace: HwTrace = { level: new Float64Array(n), trend: new Float64Array(n), season: new Float64Array(n) };
  hwFilter(y, v.cfg, v.init, fitted, trace);
  const { residuals } = residualStats(y, fitted);
  const dof = Math.max(1, v.fin.count - v.free);
  const sigma = Math.sqrt(v.fin.sse / dof);
  // Multiplicative bands run on the deseasonalised scale (see hwForecastSe).
  const bandSigma = v.cfg.multiplicative ? Math.sqrt(v.fin.sseRelative / dof) : sigma;
  const { cfg } = v;
  const kind = cfg.m === 0 ? 'non-seasonal' : cfg.multiplicative ? 'multiplicative' : 'additive';
  const spec =
    `Holt-Winters ${kind}` +
    (cfg.trend ? (cfg.phi < 1 ? `, damped trend (φ=${cfg.phi.toFixed(3)})` : ', trend') : ', no trend') +
    (cfg.m > 0 ? `, season ${cfg.m} steps` : '');
  const origin = lastTs(series);
  return {
    model: 'holt-winters',
    spec,
    params: {
      alpha: cfg.alpha,
      beta: cfg.beta,
      gamma: cfg.gamma,
      phi: cfg.phi,
      seasonLength: cfg.m,
      seasonality: cfg.m === 0 ? 'none' : cfg.multiplicative ? 'multiplicative' : 'additive',
      trend: cfg.trend,
      damped: cfg.phi < 1,
      level: v.fin.level,
      slope: v.fin.trend,
      sse: v.fin.sse,
    },
    t0: series.t0,
    stepMs: series.stepMs,
    fitted,
    residuals,
    sigma,
    aic: v.aic,
    warmStart: {
      ...(cfg.m > 0 ? { seasonLength: cfg.m, seasonality: cfg.multiplicative ? 'multiplicative' : 'additive', gamma: cfg.gamma } : { season: 'none' }),
      trend: cfg.trend,
      damped: cfg.phi < 1,
      alpha: cfg.alpha,
      ...(cfg.trend ? { beta: cfg.beta } : {}),
      ...(cfg.phi < 1 ? { phi: cfg.phi } : {}),
      intervals,
    },
    forecast(horizon: number) {
      const h = checkHorizon(horizon);
      const mean = hwPointForecast(cfg, v.fin, n, h);
      if (intervals === 'model') return buildForecast('holt-winters', origin, series.stepMs, mean, hwForecastSe(cfg, v.fin, n, bandSigma, h));
      const emp = empiricalBands(y, cfg, v.init, trace, h, sigma);
      return buildForecast('holt-winters', origin, series.stepMs, mean, emp.se, emp);
    },
  };
}

function empiricalBands(y: Float64Array, cfg: HwConfig, init: HwStates, trace: HwTrace, h: number, sigma: number): EmpiricalErrors {
  const maxH = Math.min(h, y.length);
  const dampSum = new Float64Array(maxH + 1);
  for (let k = 1, pk = 1; k <= maxH; k++) {
    pk *= cfg.phi;
    dampSum[k] = (dampSum[k - 1] as number) + pk;
  }
  // Skip the first season after the start: its seasonal states have not been updated yet.
  const first = init.start + Math.max(cfg.m, 10);
  return empiricalErrors(y, (t, k) => hwForecastFrom(cfg, init, trace, dampSum, t, k), h, first, sigma);
}

/** Registry entry for {@link fitHoltWinters}. */
export const holtWintersModel: ForecastModel = {
  name: 'holt-winters',
  description: 'Holt-Winters smoothing: level, (damped) trend, additive or multiplicative daily/weekly season.',
  fit(series: PreparedSeries, options?: ModelOptions): FittedModel {
    return fitHoltWinters(series, readHoltWintersOptions(options));
  },
};

/** Validates untyped Holt-Winters options (API input) into {@link HoltWintersOptions}. */
export function readHoltWintersOptions(options?: ModelOptions): HoltWintersOptions {
  const r = new OptionReader('holt-winters', options);
  const o: HoltWintersOptions = {
    season: r.choice('season', ['auto', 'daily', 'weekly', 'none'] as const, 'auto'),
    seasonality: r.choice('seasonality', ['additive', 'multiplicative', 'auto'] as const, 'auto'),
    damped: r.boolOrAuto('damped', 'auto'),
    intervals: r.choice('intervals', ['model', 'empirical'] as const, 'empirical'),
  };
  const seasonLength = r.number('seasonLength', { min: 2, max: 50_000, integer: true });
  if (seasonLength !== undefined) o.seasonLength = seasonLength;
  const trend = r.boolOrAuto('trend', true);
  if (trend === 'auto') badOption('holt-winters', 'trend', 'true or false', trend);
  o.trend = trend;
  for (const p of ['alpha', 'beta', 'gamma', 'phi'] as const) {
    const v = r.number(p, { min: p === 'alpha' || p === 'phi' ? 1e-6 : 0, max: 1 });
    if (v !== undefined) o[p] = v;
  }
  const initial = r.raw('initial');
  if (initial !== undefined) {
    const ir = new OptionReader('holt-winters.initial', initial as ModelOptions);
    const level = ir.number('level', { min: -1e100, max: 1e100 });
    const tr = ir.number('trend', { min: -1e100, max: 1e100, default: 0 });
    const season = ir.numbers('season', { minLength: 0, maxLength: 50_000 }) ?? [];
    ir.done();
    if (level === undefined) badOption('holt-winters', 'initial.level', 'a number', undefined);
    o.initial = { level, trend: tr, season };
  }
  r.done();
  return o;
}
