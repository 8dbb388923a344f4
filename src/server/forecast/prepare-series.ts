import { ForecastInputError } from './forecast-input-error.js';

/**
 * A series on a regular grid, ready for the models: `y[i]` is the value at `t0 + i * stepMs`,
 * `NaN` where nothing was observed. The first and the last element are always finite.
 */
export interface PreparedSeries {
  /** Timestamp of `y[0]`, ms since the epoch. */
  readonly t0: number;
  /** Grid step, ms (> 0). */
  readonly stepMs: number;
  /** Values on the grid; NaN marks a gap. Never mutated by the models. */
  readonly y: Float64Array;
  /** Number of finite values in `y`. */
  readonly observed: number;
  /** True when every finite value is the same (within 1e-12 relative): see {@link isConstant}. */
  readonly constant: boolean;
}

/** Limits applied by {@link prepareSeries}. */
export interface PrepareLimits {
  /** Maximum grid length (points between the first and the last finite sample). Default 200,000. */
  maxPoints?: number;
}

/** Default {@link PrepareLimits.maxPoints}: 200,000 grid points (≈ 139 days at 1 min). */
export const DEFAULT_MAX_POINTS = 200_000;

/** Largest |value| accepted: sums of squares of 200k such values stay far below overflow. */
export const MAX_ABS_VALUE = 1e100;

/**
 * Puts raw samples on the regular grid the models work on.
 *
 * - `ts` in ms since the epoch, strictly increasing; `values` the same length; `stepMs` > 0.
 * - Each sample goes to grid index `round((ts - tFirst) / stepMs)`, so scrape jitter below half a
 *   step is absorbed; when two samples land on the same index, the later one wins.
 * - NaN and ±Infinity values are gaps (Prometheus stale markers, divisions by zero). Grid points
 *   without a sample are gaps too. Leading and trailing gaps are dropped: the series starts at
 *   the first finite sample and the forecast origin is the last finite sample.
 * - How each model treats interior gaps is documented on the model (state-space models carry
 *   their one-step prediction through a gap; SMA/linear trend simply skip it).
 *
 * Throws {@link ForecastInputError} (`VIGIL_ERR_FORECAST_INPUT` or `_NUMERIC`) on malformed
 * input and `VIGIL_ERR_FORECAST_TOO_SHORT` when there is no finite value at all.
 */
export function prepareSeries(
  ts: ArrayLike<number>,
  values: ArrayLike<number>,
  stepMs: number,
  limits: PrepareLimits = {},
): PreparedSeries {
  const maxPoints = limits.maxPoints ?? DEFAULT_MAX_POINTS;
  if (ts.length !== values.length) {
    throw new ForecastInputError('VIGIL_ERR_FORECAST_INPUT', `ts and values differ in length (${ts.length} vs ${values.length})`);
  }
  if (!Number.isFinite(stepMs) || stepMs <= 0) {
    throw new ForecastInputError('VIGIL_ERR_FORECAST_INPUT', `step must be a positive number of ms; got ${stepMs}`);
  }
  let first = -1;
  let last = -1;
  for (let i = 0; i < ts.length; i++) {
    const t = ts[i] as number;
    if (!Number.isFinite(t)) {
      throw new ForecastInputError('VIGIL_ERR_FORECAST_INPUT', `ts[${i}] is not a finite number`);
    }
    if (i > 0 && !(t > (ts[i - 1] as number))) {
      throw new ForecastInputError('VIGIL_ERR_FORECAST_INPUT', `timestamps must be strictly increasing (ts[${i}] <= ts[${i - 1}])`);
    }
    const v = values[i] as number;
    if (Number.isFinite(v)) {
      if (Math.abs(v) > MAX_ABS_VALUE) {
        throw new ForecastInputError('VIGIL_ERR_FORECAST_NUMERIC', `values[${i}] exceeds ±1e100; rescale the series (e.g. to another unit)`);
      }
      if (first < 0) first = i;
      last = i;
    }
  }
  if (first < 0) {
    throw new ForecastInputError('VIGIL_ERR_FORECAST_TOO_SHORT', 'the series has no finite value', { needed: 1, got: 0 });
  }
  const t0 = ts[first] as number;
  const span = Math.round(((ts[last] as number) - t0) / stepMs);
  if (!(span + 1 <= maxPoints)) {
    throw new ForecastInputError(
      'VIGIL_ERR_FORECAST_INPUT',
      `the series spans ${span + 1} steps of ${stepMs} ms; the limit is ${maxPoints} (raise the step or shorten the range)`,
      { points: span + 1, limit: maxPoints },
    );
  }
  const y = new Float64Array(span + 1).fill(Number.NaN);
  for (let i = first; i <= last; i++) {
    const v = values[i] as number;
    if (!Number.isFinite(v)) continue;
    y[Math.round(((ts[i] as number) - t0) / stepMs)] = v;
  }
  return fromGrid(t0, stepMs, y);
}

/**
 * Wraps values that already sit on a regular grid (`y[i]` at `t0 + i*stepMs`; NaN = gap) after
 * trimming leading/trailing gaps. Used by the backtest to cut a prefix without re-gridding.
 */
export function fromGrid(t0: number, stepMs: number, y: Float64Array): PreparedSeries {
  let a = 0;
  let b = y.length - 1;
  while (a <= b && !Number.isFinite(y[a] as number)) a++;
  while (b >= a && !Number.isFinite(y[b] as number)) b--;
  if (a > b) {
    throw new ForecastInputError('VIGIL_ERR_FORECAST_TOO_SHORT', 'the series has no finite value', { needed: 1, got: 0 });
  }
  const trimmed = a === 0 && b === y.length - 1 ? y : y.slice(a, b + 1);
  let observed = 0;
  for (let i = 0; i < trimmed.length; i++) if (Number.isFinite(trimmed[i] as number)) observed++;
  return { t0: t0 + a * stepMs, stepMs, y: trimmed, observed, constant: isConstant(trimmed) };
}

/**
 * True when all finite values of `y` are equal up to 1e-12 of their magnitude. Such a series
 * gets the degenerate forecast of every model (flat, zero-width intervals) instead of an error:
 * a disk that does not move is a valid, boring answer for an alert evaluator.
 */
export function isConstant(y: ArrayLike<number>): boolean {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < y.length; i++) {
    const v = y[i] as number;
    if (!Number.isFinite(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (lo > hi) return true;
  return hi - lo <= 1e-12 * Math.max(Math.abs(lo), Math.abs(hi));
}

/** Timestamp of the last grid point (the forecast origin), ms. */
export function lastTs(s: PreparedSeries): number {
  return s.t0 + (s.y.length - 1) * s.stepMs;
}

/** The last finite value (always `y[y.length-1]` by construction). */
export function lastValue(s: PreparedSeries): number {
  return s.y[s.y.length - 1] as number;
}
