/**
 * Forecasting and anomaly detection (issue 8): pure functions, samples in, predictions and
 * intervals out. No I/O, no storage, no HTTP (dependency rule `pure-modules-no-io`).
 *
 * Typical use (an API route or an alert evaluator):
 *
 *   const { models, detectors } = createForecasting();
 *   const series = prepareSeries(ts, values, stepMs);          // ForecastInputError on bad input
 *   const fit = models.get('auto').fit(series, { horizon: 2880 });
 *   const fc = fit.forecast(2880);                             // mean, se, 80 % / 95 % bands
 *   const ttt = timeToThreshold(fc, 0.95 * size, lastValue(series));
 *   const anomalies = detectors.get('seasonal-baseline').detect(series);
 */
import type { AnomalyRegistry } from './anomaly/anomaly-registry.js';
import { createAnomalyRegistry } from './anomaly/anomaly-registry.js';
import type { ForecastRegistry } from './forecast-registry.js';
import { createForecastRegistry } from './forecast-registry.js';

export type { AnomalyDetector, AnomalyResult, AnomalyThresholdOptions } from './anomaly/anomaly-detector.js';
export { AnomalyRegistry, createAnomalyRegistry } from './anomaly/anomaly-registry.js';
export type { AccuracyMetrics } from './backtest/accuracy-metrics.js';
export type { BacktestFold, BacktestOptions, BacktestResult } from './backtest/rolling-origin-backtest.js';
export { rollingOriginBacktest } from './backtest/rolling-origin-backtest.js';
export { FORECAST_ERROR_CODES, ForecastInputError } from './forecast-input-error.js';
export type { ForecastErrorCode } from './forecast-input-error.js';
export type { CandidateScore, FittedModel, Forecast, ForecastModel, ModelOptions, ModelSelection, ParamValue } from './forecast-model.js';
export { MAX_HORIZON } from './forecast-model.js';
export { createForecastRegistry, ForecastRegistry } from './forecast-registry.js';
export type { PreparedSeries, PrepareLimits } from './prepare-series.js';
export { DEFAULT_MAX_POINTS, fromGrid, lastTs, lastValue, prepareSeries } from './prepare-series.js';
export type { ThresholdCrossing, TimeToThreshold } from './time-to-threshold.js';
export { timeToThreshold } from './time-to-threshold.js';

/** The two registries with every built-in model and detector, wired together. */
export function createForecasting(): { models: ForecastRegistry; detectors: AnomalyRegistry } {
  const models = createForecastRegistry();
  return { models, detectors: createAnomalyRegistry(models) };
}
