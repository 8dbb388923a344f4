import { buildForecast, checkHorizon } from './build-forecast.js';
import type { FittedModel } from './forecast-model.js';
import type { PreparedSeries } from './prepare-series.js';
import { lastTs, lastValue } from './prepare-series.js';

/**
 * The degenerate fit every model returns for a constant series (see `isConstant`): the forecast
 * is the constant with zero-width bands, in-sample predictions equal the constant from the second
 * point on, residuals are 0. Deliberately not an error: a flat disk or an idle counter is a
 * normal input for an alert evaluator, and "no change expected" is the honest answer.
 */
export function constantFit(model: string, series: PreparedSeries): FittedModel {
  const c = lastValue(series);
  const n = series.y.length;
  const fitted = new Float64Array(n).fill(c);
  fitted[0] = Number.NaN;
  const residuals = new Float64Array(n);
  for (let i = 0; i < n; i++) residuals[i] = i > 0 && Number.isFinite(series.y[i] as number) ? 0 : Number.NaN;
  const origin = lastTs(series);
  return {
    model,
    spec: `${model} (constant series)`,
    params: { constant: c },
    t0: series.t0,
    stepMs: series.stepMs,
    fitted,
    residuals,
    sigma: 0,
    degenerate: 'constant',
    forecast(horizon: number) {
      const h = checkHorizon(horizon);
      return buildForecast(model, origin, series.stepMs, new Float64Array(h).fill(c), new Float64Array(h));
    },
  };
}
