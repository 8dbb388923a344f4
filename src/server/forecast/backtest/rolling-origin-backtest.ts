import { ForecastInputError } from '../forecast-input-error.js';
import type { ForecastModel, ModelOptions } from '../forecast-model.js';
import type { PreparedSeries } from '../prepare-series.js';
import { fromGrid } from '../prepare-series.js';
import type { AccuracyMetrics } from './accuracy-metrics.js';
import { addPair, emptySums, mergeSums, metricsOf } from './accuracy-metrics.js';

/** Options of {@link rollingOriginBacktest}. */
export interface BacktestOptions {
  /** Steps forecast from each origin (integer ≥ 1). */
  horizon: number;
  /** Number of origins (default 3). */
  folds?: number;
  /** Steps between consecutive origins (default `horizon`, i.e. non-overlapping test windows). */
  stride?: number;
  /** Options passed to the model's `fit`. */
  options?: ModelOptions;
}

/** One origin of a backtest. */
export interface BacktestFold {
  /** Timestamp of the last training point, ms. */
  originTs: number;
  /** Grid points used for training. */
  trainPoints: number;
  /** Model specification fitted at this origin (e.g. `ARIMA(1,1,1)`). */
  spec?: string;
  metrics: AccuracyMetrics;
  /** Set when the model could not be fitted at this origin (too short, …). */
  error?: string;
}

/** Result of {@link rollingOriginBacktest}: metrics pooled over every scored point of every fold. */
export interface BacktestResult extends AccuracyMetrics {
  model: string;
  horizon: number;
  folds: BacktestFold[];
  /** Folds that failed with a ForecastInputError. */
  failedFolds: number;
}

/**
 * Rolling-origin evaluation ("time-series cross-validation", Tashman 2000): for origins
 * `n − horizon − k·stride` (k = 0..folds−1, latest first), fit the model on everything before
 * the origin, forecast `horizon` steps, and score the forecasts against the held-out actuals
 * (gaps are not scored). Metrics are pooled over all scored points. A fold whose training part
 * is too short for the model is recorded as failed, not thrown; other errors propagate.
 */
export function rollingOriginBacktest(series: PreparedSeries, model: ForecastModel, opts: BacktestOptions): BacktestResult {
  const { y, t0, stepMs } = series;
  const n = y.length;
  const horizon = opts.horizon;
  if (!Number.isInteger(horizon) || horizon < 1 || horizon >= n) {
    throw new ForecastInputError('VIGIL_ERR_FORECAST_OPTIONS', `backtest horizon must be an integer in 1..${n - 1} steps; got ${horizon}`, {
      option: 'horizon',
    });
  }
  const folds = opts.folds ?? 3;
  const stride = opts.stride ?? horizon;
  if (!Number.isInteger(folds) || folds < 1 || folds > 100 || !Number.isInteger(stride) || stride < 1) {
    throw new ForecastInputError('VIGIL_ERR_FORECAST_OPTIONS', 'backtest folds must be 1..100 and stride a positive integer', { option: 'folds' });
  }
  const total = emptySums();
  const out: BacktestFold[] = [];
  let failed = 0;
  for (let k = 0; k < folds; k++) {
    const origin = n - horizon - k * stride; // first held-out index
    if (origin < 2) break;
    const fold = runFold(y, t0, stepMs, origin, horizon, model, opts.options);
    if (fold.error !== undefined) failed++;
    else mergeSums(total, fold.sums);
    out.push(fold.result);
  }
  return { model: model.name, horizon, folds: out, failedFolds: failed, ...metricsOf(total) };
}

function runFold(
  y: Float64Array,
  t0: number,
  stepMs: number,
  origin: number,
  horizon: number,
  model: ForecastModel,
  options: ModelOptions | undefined,
): { result: BacktestFold; sums: ReturnType<typeof emptySums>; error?: string } {
  const sums = emptySums();
  const originTs = t0 + (origin - 1) * stepMs;
  let train;
  try {
    train = fromGrid(t0, stepMs, y.slice(0, origin));
  } catch (err) {
    if (!(err instanceof ForecastInputError)) throw err;
    return { result: { originTs, trainPoints: origin, metrics: metricsOf(sums), error: err.message }, sums, error: err.message };
  }
  try {
    const fit = model.fit(train, options);
    // The training part may end in a gap: forecast far enough to reach the held-out window.
    const lastTrainIdx = Math.round((train.t0 - t0) / stepMs) + train.y.length - 1;
    const lead = origin - 1 - lastTrainIdx;
    const fc = fit.forecast(lead + horizon);
    for (let k = 0; k < horizon; k++) {
      const i = lead + k;
      addPair(sums, y[origin + k] as number, fc.mean[i] as number, fc.lower80[i] as number, fc.upper80[i] as number, fc.lower95[i] as number, fc.upper95[i] as number);
    }
    return { result: { originTs, trainPoints: origin, spec: fit.spec, metrics: metricsOf(sums) }, sums };
  } catch (err) {
    if (!(err instanceof ForecastInputError)) throw err;
    return { result: { originTs, trainPoints: origin, metrics: metricsOf(emptySums()), error: err.message }, sums: emptySums(), error: err.message };
  }
}
