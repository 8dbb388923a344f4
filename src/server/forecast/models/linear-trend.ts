import { buildForecast, checkHorizon } from '../build-forecast.js';
import { constantFit } from '../constant-fit.js';
import { tooShort } from '../forecast-input-error.js';
import type { FittedModel, ForecastModel, ModelOptions } from '../forecast-model.js';
import { studentTQuantile } from '../numeric/student-t-quantile.js';
import { OptionReader } from '../option-reader.js';
import type { PreparedSeries } from '../prepare-series.js';
import { lastTs } from '../prepare-series.js';
import { residualStats } from '../residual-stats.js';

/** Fewest finite points the linear trend accepts (n − 2 ≥ 1 degrees of freedom). */
export const LINEAR_MIN_POINTS = 3;

/** Ordinary least squares line through the finite points of a grid series (x = grid index). */
export interface OlsLine {
  /** Value of the line at grid index 0 (series unit). */
  intercept: number;
  /** Change per step (series unit per step). */
  slope: number;
  /** Number of finite points used. */
  n: number;
  /** Mean grid index of the points used. */
  xMean: number;
  /** Σ (x − x̄)² over the points used. */
  sxx: number;
  /** Residual standard error, sqrt(SSE / (n − 2)). */
  s: number;
  /** Residual sum of squares. */
  sse: number;
}

/** Fits y = a + b·i by OLS over the finite values (gaps are skipped, which is exact for OLS). */
export function olsLine(y: Float64Array): OlsLine {
  let n = 0;
  let sx = 0;
  let sy = 0;
  for (let i = 0; i < y.length; i++) {
    const v = y[i] as number;
    if (v === v) {
      n++;
      sx += i;
      sy += v;
    }
  }
  const xMean = sx / n;
  const yMean = sy / n;
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < y.length; i++) {
    const v = y[i] as number;
    if (v === v) {
      const dx = i - xMean;
      sxx += dx * dx;
      sxy += dx * (v - yMean);
    }
  }
  const slope = sxx > 0 ? sxy / sxx : 0;
  const intercept = yMean - slope * xMean;
  let sse = 0;
  for (let i = 0; i < y.length; i++) {
    const v = y[i] as number;
    if (v === v) {
      const e = v - (yMean + slope * (i - xMean));
      sse += e * e;
    }
  }
  return { intercept, slope, n, xMean, sxx, s: Math.sqrt(sse / Math.max(1, n - 2)), sse };
}

/**
 * Linear trend by ordinary least squares over the whole series, the model behind "disk full in
 * 9 hours" (see `timeToThreshold`). Point forecast: the line; bands: the exact OLS prediction
 * interval `ŷ ± t(n−2) · s · sqrt(1 + 1/n + (x − x̄)² / Sxx)` (same as R's
 * `predict(lm, interval = "prediction")`). Gaps are skipped. `fitted` is the regression line
 * (an in-sample fit, not a one-step-ahead prediction).
 */
export function fitLinearTrend(series: PreparedSeries): FittedModel {
  if (series.observed < LINEAR_MIN_POINTS) tooShort('linear', LINEAR_MIN_POINTS, series.observed);
  if (series.constant) return constantFit('linear', series);
  const { y } = series;
  const line = olsLine(y);
  const fitted = new Float64Array(y.length);
  for (let i = 0; i < y.length; i++) fitted[i] = line.intercept + line.slope * i;
  const { residuals } = residualStats(y, fitted);
  const df = line.n - 2;
  const bands = { q80: studentTQuantile(0.9, df), q95: studentTQuantile(0.975, df) };
  const origin = lastTs(series);
  const perHour = line.slope * (3_600_000 / series.stepMs);
  return {
    model: 'linear',
    spec: `linear trend (${perHour >= 0 ? '+' : ''}${perHour.toPrecision(3)}/h)`,
    params: { intercept: line.intercept, slopePerStep: line.slope, slopePerHour: perHour, df },
    warmStart: {},
    t0: series.t0,
    stepMs: series.stepMs,
    fitted,
    residuals,
    sigma: line.s,
    aic: line.n * Math.log(line.sse / line.n) + 2 * 3,
    forecast(horizon: number) {
      const h = checkHorizon(horizon);
      const mean = new Float64Array(h);
      const se = new Float64Array(h);
      const last = y.length - 1;
      for (let k = 1; k <= h; k++) {
        const x = last + k;
        const dx = x - line.xMean;
        mean[k - 1] = line.intercept + line.slope * x;
        se[k - 1] = line.s * Math.sqrt(1 + 1 / line.n + (dx * dx) / line.sxx);
      }
      return buildForecast('linear', origin, series.stepMs, mean, se, bands);
    },
  };
}

/** Registry entry for {@link fitLinearTrend}. */
export const linearTrendModel: ForecastModel = {
  name: 'linear',
  description: 'Least-squares linear trend with exact prediction intervals; for capacity / time-to-threshold.',
  fit(series: PreparedSeries, options?: ModelOptions): FittedModel {
    new OptionReader('linear', options).done();
    return fitLinearTrend(series);
  },
};
