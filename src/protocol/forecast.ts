/**
 * Wire shapes of the forecasting and anomaly API (`POST /api/v1/forecast`, `POST /api/v1/anomaly`),
 * shared by the server and the dashboard (issue 8).
 */

/** Forecast models accepted by `model` (`auto` backtests the others and picks the best). */
export const FORECAST_MODELS = ['auto', 'sma', 'ewma', 'linear', 'holt-winters', 'arima'] as const;
/** A forecast model name. */
export type ForecastModelName = (typeof FORECAST_MODELS)[number];

/** Horizons offered by the predictions page; the API accepts any duration within the limits. */
export const FORECAST_HORIZONS = ['6h', '12h', '24h', '48h', '7d'] as const;

/**
 * Anomaly detectors accepted by `detector`: `robust-z` (rolling median/MAD), `seasonal` (same
 * hour-of-week/day in earlier periods), `residual` (residual of a forecast model).
 */
export const ANOMALY_DETECTORS = ['robust-z', 'seasonal', 'residual'] as const;
/** An anomaly detector name as used by the API. */
export type AnomalyDetectorName = (typeof ANOMALY_DETECTORS)[number];

/** Limits of the forecast and anomaly API (defaults of the server). */
export const FORECAST_LIMITS = {
  /** Most series one request may forecast. */
  maxSeries: 10,
  /** Most history points per series (grid points between `from` and `to` at `step`). */
  maxPoints: 11_000,
  /** Fewest history points per series. */
  minPoints: 10,
  /** Most forecast steps. */
  maxHorizonSteps: 5_000,
  /** Longest horizon, ms (30 days). */
  maxHorizonMs: 30 * 86_400_000,
} as const;

/** Body of `POST /api/v1/forecast`. Give `query`, or `metric` (and optionally `host`). */
export interface ForecastRequest {
  /** Series selector as in the query API, e.g. `disk_used_percent{host="web-1",mount="/"}`. */
  query?: string;
  /** Metric name (with `host`), an alternative to `query`. */
  metric?: string;
  host?: string;
  /** History range: `from`/`to` (ms, RFC 3339, `now`, `now-7d`) or `range` (duration back from `to`, default 7d). */
  from?: string | number;
  to?: string | number;
  range?: string;
  /** Grid step (duration); default: the range split into ≈ 1,000 steps, at least 1 min. */
  step?: string;
  /** Model (default `auto`). */
  model?: ForecastModelName;
  /** Horizon: a duration such as `24h` (default 24h). */
  horizon?: string;
  /** Prediction interval levels; only 80 and 95 are computed (default both). */
  levels?: number[];
  /** Capacity threshold for the time-to-threshold answer (series unit). */
  threshold?: number;
  /** Side of the threshold (default `above`). */
  direction?: 'above' | 'below';
}

/** One row of the model comparison table (rolling-origin backtest on the series itself). */
export interface BacktestRow {
  model: string;
  mae: number | null;
  rmse: number | null;
  /** Symmetric MAPE, percent (0..200). */
  smape: number | null;
  /** Share of actuals inside the 80 % / 95 % bands (0..1). */
  coverage80: number | null;
  coverage95: number | null;
  points: number;
  /** Why the model could not be backtested (too short for a season …). */
  error?: string;
}

/** A threshold crossing: timestamp (ms) and ms after the last observation. */
export interface CrossingView {
  ts: number;
  inMs: number;
}

/** Time to threshold of one forecast (`null` fields: not within the horizon). */
export interface TimeToThresholdView {
  threshold: number;
  direction: 'above' | 'below';
  alreadyCrossed: boolean;
  /** Point forecast crossing ("full in 9 h"). */
  mean: CrossingView | null;
  /** Earliest plausible crossing (95 % bound on the threshold's side). */
  earliest: CrossingView | null;
  /** Latest plausible crossing (the opposite 95 % bound). */
  latest: CrossingView | null;
}

/** Forecast of one series. Arrays of `forecast` are aligned on `forecast.timestamps`. */
export interface SeriesForecast {
  metric: string;
  labels: Record<string, string>;
  /** The history the model saw, on the request's grid (null = no sample). */
  history: { timestamps: number[]; values: (number | null)[] };
  /** Set instead of the fields below when this series could not be forecast. */
  error?: { code: string; message: string };
  /** Model that produced the forecast (for `auto`: the chosen one). */
  model?: string;
  /** Human-readable specification, e.g. `ARIMA(1,1,1) with drift`. */
  spec?: string;
  /** Why this model (for `auto`: the selection reason). */
  reason?: string;
  forecast?: { timestamps: number[]; mean: number[]; lower80: number[]; upper80: number[]; lower95: number[]; upper95: number[] };
  /** Backtest of every candidate, best first. */
  backtest?: BacktestRow[];
  timeToThreshold?: TimeToThresholdView;
}

/** Answer of `POST /api/v1/forecast`. */
export interface ForecastResponse {
  from: number;
  to: number;
  step: number;
  horizonMs: number;
  /** Requested model. */
  model: string;
  levels: number[];
  series: SeriesForecast[];
}

/** Body of `POST /api/v1/anomaly`. */
export interface AnomalyRequest {
  query?: string;
  metric?: string;
  host?: string;
  from?: string | number;
  to?: string | number;
  range?: string;
  step?: string;
  /** Detector (default `robust-z`). */
  detector?: AnomalyDetectorName;
  /** Score threshold k (default 3.5). */
  k?: number;
  /** Smallest absolute deviation that can be anomalous (series unit, default 0). */
  minAbsDeviation?: number;
}

/** One anomalous point. */
export interface AnomalyPoint {
  ts: number;
  value: number;
  expected: number;
  /** Signed score (y − expected) / scale; |score| ≥ k. */
  score: number;
}

/** Anomaly verdicts for one series; band arrays are aligned on `timestamps` (null = not judged). */
export interface SeriesAnomaly {
  metric: string;
  labels: Record<string, string>;
  timestamps: number[];
  values: (number | null)[];
  error?: { code: string; message: string };
  detector?: string;
  /** What the detector compared against ("median ± MAD of the previous 60 steps"). */
  spec?: string;
  expected?: (number | null)[];
  lower?: (number | null)[];
  upper?: (number | null)[];
  anomalies?: AnomalyPoint[];
}

/** Answer of `POST /api/v1/anomaly`. */
export interface AnomalyResponse {
  from: number;
  to: number;
  step: number;
  detector: string;
  k: number;
  series: SeriesAnomaly[];
}
