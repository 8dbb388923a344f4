import type { PreparedSeries } from './prepare-series.js';

/**
 * A forecast `h` steps ahead of the origin (the last finite sample). All arrays have length `h`;
 * element `i` is for `ts[i] = origin + (i + 1) * stepMs`. Values are in the series' unit.
 */
export interface Forecast {
  /** Timestamp of the last observation the forecast starts from, ms since the epoch. */
  originTs: number;
  /** Step between forecast points, ms. */
  stepMs: number;
  /** Timestamps of the forecast steps, ms since the epoch. */
  ts: number[];
  /** Point forecast. */
  mean: number[];
  /**
   * Standard error of the forecast error at each step (series unit; 0 for the degenerate
   * constant fit). Model-based bands are `mean ± q · se` with `q` the normal quantile (Student-t
   * for the linear trend), so a caller can derive other levels from `se`; empirical bands (the
   * default of SMA, EWMA and Holt-Winters) use the measured error quantiles instead and `se` is
   * the RMS of the measured errors.
   */
  se: number[];
  /** Lower / upper bound of the central 80 % prediction interval. */
  lower80: number[];
  upper80: number[];
  /** Lower / upper bound of the central 95 % prediction interval. */
  lower95: number[];
  upper95: number[];
}

/** A parameter value reported by a fit (for the UI's model table and for warm starts). */
export type ParamValue = number | string | boolean | readonly number[];

/**
 * The result of fitting one model to one series. Immutable; `forecast` is cheap (no refit), so an
 * alert evaluator can keep a fit and ask for several horizons.
 */
export interface FittedModel {
  /** Registry name of the model that produced the fit, e.g. `holt-winters`. */
  readonly model: string;
  /** Human-readable specification, e.g. `ARIMA(2,1,1) with drift`. */
  readonly spec: string;
  /** Fitted parameters (smoothing constants, coefficients, window, season length ...). */
  readonly params: Readonly<Record<string, ParamValue>>;
  /** Grid of the series the model was fitted on. */
  readonly t0: number;
  readonly stepMs: number;
  /**
   * In-sample one-step-ahead predictions aligned with the series grid: `fitted[i]` predicts `y[i]`
   * from data before `i` (for the linear trend: the regression line). NaN during warm-up.
   */
  readonly fitted: Float64Array;
  /** `y[i] - fitted[i]`; NaN where either is missing. */
  readonly residuals: Float64Array;
  /** Standard deviation of the one-step errors (series unit); 0 for a constant series. */
  readonly sigma: number;
  /** Akaike information criterion of the fit when the model defines a likelihood. */
  readonly aic?: number;
  /** Set when the series was constant and the degenerate forecast was returned. */
  readonly degenerate?: 'constant';
  /**
   * Options for `registry.get(model).fit(newSeries, warmStart)` that reuse this fit's parameters
   * (smoothing constants, coefficients, window, season) instead of optimising again: the cheap
   * path for an alert evaluator that re-scores every minute and re-optimises, say, hourly.
   * Absent when there is nothing to reuse (constant series).
   */
  readonly warmStart?: ModelOptions;
  /** Set by the `auto` model: why this model was chosen, with every candidate's backtest. */
  readonly selection?: ModelSelection;
  /** Forecast `horizon` steps ahead (integer 1 .. {@link MAX_HORIZON}). */
  forecast(horizon: number): Forecast;
}

/** One candidate's backtest in an `auto` selection. */
export interface CandidateScore {
  model: string;
  /** Pooled backtest metrics (NaN when every fold failed). */
  mae: number;
  rmse: number;
  smape: number;
  coverage80: number;
  coverage95: number;
  /** Scored forecast points. */
  points: number;
  /** Why the candidate was not eligible (e.g. too short for a seasonal model). */
  error?: string;
}

/** How `auto` chose: the metric, the ranking (best first) and a one-line reason for the UI. */
export interface ModelSelection {
  chosen: string;
  metric: 'mae' | 'rmse' | 'smape';
  /** Backtest horizon (steps), number of origins and steps between origins. */
  horizon: number;
  folds: number;
  stride: number;
  ranking: CandidateScore[];
  reason: string;
}

/** Untyped model options as they arrive from an API body; each model validates its own. */
export type ModelOptions = Readonly<Record<string, unknown>>;

/**
 * One forecasting method, registered in a {@link ForecastRegistry}. The rest of the application
 * only talks to this interface and never switches on a model name.
 */
export interface ForecastModel {
  /** Registry name (lower-case, stable; used in API bodies and alert rules). */
  readonly name: string;
  /** One sentence for the UI's model picker. */
  readonly description: string;
  /**
   * Fits the model. Throws {@link ForecastInputError} on a too-short series or bad options;
   * returns the degenerate fit for a constant series.
   */
  fit(series: PreparedSeries, options?: ModelOptions): FittedModel;
}

/** Largest horizon a forecast accepts, in steps (100,000 ≈ 69 days at 1 min). */
export const MAX_HORIZON = 100_000;
