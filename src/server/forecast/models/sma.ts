import { buildForecast, checkHorizon } from '../build-forecast.js';
import { constantFit } from '../constant-fit.js';
import { empiricalErrors } from '../empirical-errors.js';
import { tooShort } from '../forecast-input-error.js';
import type { FittedModel, ForecastModel, ModelOptions } from '../forecast-model.js';
import { OptionReader } from '../option-reader.js';
import type { PreparedSeries } from '../prepare-series.js';
import { lastTs } from '../prepare-series.js';
import { residualStats, sigmaFrom } from '../residual-stats.js';

/** Options of the simple moving average. */
export interface SmaOptions {
  /**
   * Window in steps (integer ≥ 1). Default: chosen among 2, 3, 5, 10, 15, 30, 60, 120, 240,
   * 480, 1440 (those ≤ n/2) by the smallest in-sample one-step squared error.
   */
  window?: number;
}

/** Fewest finite points the SMA accepts: it needs a window and residuals to size its bands. */
export const SMA_MIN_POINTS = 5;

const CANDIDATE_WINDOWS = [2, 3, 5, 10, 15, 30, 60, 120, 240, 480, 1440];

/**
 * Simple moving average: the forecast is the mean of the finite values in the last `window`
 * grid steps, flat over the horizon. Gaps are skipped (the mean is over finite values only).
 * Bands: empirical h-step errors of the same rule on the series (see `empiricalErrors`).
 */
export function fitSma(series: PreparedSeries, options: SmaOptions = {}): FittedModel {
  if (series.observed < SMA_MIN_POINTS) tooShort('sma', SMA_MIN_POINTS, series.observed);
  if (series.constant) return constantFit('sma', series);
  const { y } = series;
  const n = y.length;
  const prefix = new Float64Array(n + 1);
  const counts = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) {
    const v = y[i] as number;
    const ok = Number.isFinite(v);
    prefix[i + 1] = (prefix[i] as number) + (ok ? v : 0);
    counts[i + 1] = (counts[i] as number) + (ok ? 1 : 0);
  }
  // level[t] = mean of finite values in y[t-w+1 .. t]: the forecast made at origin t.
  const levels = (w: number): Float64Array => {
    const level = new Float64Array(n);
    for (let t = 0; t < n; t++) {
      const a = Math.max(0, t + 1 - w);
      const c = (counts[t + 1] as number) - (counts[a] as number);
      level[t] = c > 0 && t + 1 >= w ? ((prefix[t + 1] as number) - (prefix[a] as number)) / c : Number.NaN;
    }
    return level;
  };
  const oneStepSse = (level: Float64Array): number => {
    let s = 0;
    for (let t = 0; t + 1 < n; t++) {
      const e = (y[t + 1] as number) - (level[t] as number);
      if (Number.isFinite(e)) s += e * e;
    }
    return s;
  };
  let window = options.window;
  if (window === undefined) {
    // Compare windows on the same targets: start scoring after the largest candidate window.
    const cands = CANDIDATE_WINDOWS.filter((w) => w <= Math.max(2, Math.floor(n / 2)));
    const start = cands[cands.length - 1] as number;
    let best = Infinity;
    for (const w of cands) {
      const level = levels(w);
      let s = 0;
      for (let t = start - 1; t + 1 < n; t++) {
        const e = (y[t + 1] as number) - (level[t] as number);
        if (Number.isFinite(e)) s += e * e;
      }
      if (s < best) {
        best = s;
        window = w;
      }
    }
  }
  const w = window ?? 2;
  // The bands need one-step errors after the first full window: at least a few of them.
  if (n < w + 3) tooShort('sma', w + 3, series.observed, `window ${w}`);
  const level = levels(w);
  const fitted = new Float64Array(n).fill(Number.NaN);
  for (let t = 0; t + 1 < n; t++) fitted[t + 1] = level[t] as number;
  const { residuals, count } = residualStats(y, fitted);
  const sigma = sigmaFrom(oneStepSse(level), count, 0);
  const origin = lastTs(series);
  const point = level[n - 1] as number;
  return {
    model: 'sma',
    spec: `SMA(${w})`,
    params: { window: w },
    warmStart: { window: w },
    t0: series.t0,
    stepMs: series.stepMs,
    fitted,
    residuals,
    sigma,
    forecast(horizon: number) {
      const h = checkHorizon(horizon);
      const emp = empiricalErrors(y, (t) => level[t] as number, h, 0, sigma);
      return buildForecast('sma', origin, series.stepMs, new Float64Array(h).fill(point), emp.se, emp);
    },
  };
}

/** Registry entry for {@link fitSma}. */
export const smaModel: ForecastModel = {
  name: 'sma',
  description: 'Simple moving average: flat forecast at the mean of the last window; empirical bands.',
  fit(series: PreparedSeries, options?: ModelOptions): FittedModel {
    const r = new OptionReader('sma', options);
    const window = r.number('window', { min: 1, max: 100_000, integer: true });
    r.done();
    return fitSma(series, window === undefined ? {} : { window });
  },
};
