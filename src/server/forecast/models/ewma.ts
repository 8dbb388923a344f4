import { buildForecast, checkHorizon } from '../build-forecast.js';
import { constantFit } from '../constant-fit.js';
import { empiricalErrors } from '../empirical-errors.js';
import { tooShort } from '../forecast-input-error.js';
import type { FittedModel, ForecastModel, ModelOptions } from '../forecast-model.js';
import { minimizeScalar } from '../numeric/minimize-scalar.js';
import { OptionReader } from '../option-reader.js';
import type { PreparedSeries } from '../prepare-series.js';
import { lastTs } from '../prepare-series.js';
import { residualStats, sigmaFrom } from '../residual-stats.js';

/** Options of the EWMA (simple exponential smoothing). */
export interface EwmaOptions {
  /** Smoothing constant α in (0, 1]. Default: minimises the in-sample one-step SSE (Brent on [0, 1]). */
  alpha?: number;
  /**
   * Bands: `model` (σ²·(1 + (h−1)·α²), the ETS(A,N,N) variance) or `empirical` (default; RMS of
   * the fit's own in-sample h-step errors, better calibrated on minute data where α → 1).
   */
  intervals?: 'model' | 'empirical';
}

/** Fewest finite points EWMA accepts. */
export const EWMA_MIN_POINTS = 4;

/**
 * Runs the EWMA recursion `l[t] = l[t-1] + α (y[t] - l[t-1])` from `l[0] = y[0]` (as R's
 * `HoltWinters(x, beta = FALSE, gamma = FALSE)`). A gap leaves the level unchanged and adds no
 * error. Writes one-step predictions into `fitted` when given; returns the SSE and final level.
 */
export function ewmaFilter(y: Float64Array, alpha: number, fitted?: Float64Array, levels?: Float64Array): { sse: number; level: number } {
  let level = y[0] as number;
  let sse = 0;
  if (fitted) fitted[0] = Number.NaN;
  if (levels) levels[0] = level;
  for (let t = 1; t < y.length; t++) {
    if (fitted) fitted[t] = level;
    const v = y[t] as number;
    if (v === v) {
      const e = v - level;
      sse += e * e;
      level += alpha * e;
    }
    if (levels) levels[t] = level;
  }
  return { sse, level };
}

/**
 * EWMA / simple exponential smoothing (ETS(A,N,N), equivalently ARIMA(0,1,1)): flat forecast at
 * the smoothed level. Bands: see {@link EwmaOptions.intervals}.
 */
export function fitEwma(series: PreparedSeries, options: EwmaOptions = {}): FittedModel {
  if (series.observed < EWMA_MIN_POINTS) tooShort('ewma', EWMA_MIN_POINTS, series.observed);
  if (series.constant) return constantFit('ewma', series);
  const { y } = series;
  const alpha = options.alpha ?? minimizeScalar((a) => ewmaFilter(y, a).sse, 0, 1, 1e-6).x;
  const fitted = new Float64Array(y.length);
  const levels = new Float64Array(y.length);
  const { sse, level } = ewmaFilter(y, alpha, fitted, levels);
  const intervals = options.intervals ?? 'empirical';
  const { residuals, count } = residualStats(y, fitted);
  const sigma = sigmaFrom(sse, count, 1);
  const origin = lastTs(series);
  return {
    model: 'ewma',
    spec: `EWMA(α=${alpha.toFixed(3)})`,
    params: { alpha },
    warmStart: { alpha, intervals },
    t0: series.t0,
    stepMs: series.stepMs,
    fitted,
    residuals,
    sigma,
    aic: count * Math.log(sse / count) + 2 * 2,
    forecast(horizon: number) {
      const h = checkHorizon(horizon);
      const mean = new Float64Array(h).fill(level);
      if (intervals === 'empirical') {
        const emp = empiricalErrors(y, (t) => levels[t] as number, h, 10, sigma);
        return buildForecast('ewma', origin, series.stepMs, mean, emp.se, emp);
      }
      const se = new Float64Array(h);
      for (let i = 0; i < h; i++) se[i] = sigma * Math.sqrt(1 + i * alpha * alpha);
      return buildForecast('ewma', origin, series.stepMs, mean, se);
    },
  };
}

/** Registry entry for {@link fitEwma}. */
export const ewmaModel: ForecastModel = {
  name: 'ewma',
  description: 'Exponentially weighted moving average (simple exponential smoothing) with fitted α.',
  fit(series: PreparedSeries, options?: ModelOptions): FittedModel {
    const r = new OptionReader('ewma', options);
    const alpha = r.number('alpha', { min: 1e-6, max: 1 });
    const intervals = r.choice('intervals', ['model', 'empirical'] as const, 'empirical');
    r.done();
    return fitEwma(series, alpha === undefined ? { intervals } : { alpha, intervals });
  },
};
