/** Accuracy of forecasts against actuals. NaN when nothing was scored. */
export interface AccuracyMetrics {
  /** Mean absolute error (series unit). */
  mae: number;
  /** Root mean squared error (series unit). */
  rmse: number;
  /** Symmetric MAPE in percent, 0..200: mean of 200·|y − ŷ| / (|y| + |ŷ|); pairs with y = ŷ = 0 count as 0. */
  smape: number;
  /** Share of actuals inside the 80 % band (0..1); nominal 0.8. */
  coverage80: number;
  /** Share of actuals inside the 95 % band (0..1); nominal 0.95. */
  coverage95: number;
  /** Number of (actual, forecast) pairs scored. */
  points: number;
}

/** Running sums for {@link AccuracyMetrics}; add pairs with {@link addPair}, read with {@link metricsOf}. */
export interface AccuracySums {
  abs: number;
  sq: number;
  smape: number;
  in80: number;
  in95: number;
  points: number;
}

/** Empty {@link AccuracySums}. */
export function emptySums(): AccuracySums {
  return { abs: 0, sq: 0, smape: 0, in80: 0, in95: 0, points: 0 };
}

/** Adds one pair (skipped when the actual is not finite). */
export function addPair(s: AccuracySums, actual: number, mean: number, lo80: number, hi80: number, lo95: number, hi95: number): void {
  if (!Number.isFinite(actual)) return;
  const err = actual - mean;
  s.abs += Math.abs(err);
  s.sq += err * err;
  const denom = Math.abs(actual) + Math.abs(mean);
  s.smape += denom > 0 ? (200 * Math.abs(err)) / denom : 0;
  if (actual >= lo80 && actual <= hi80) s.in80++;
  if (actual >= lo95 && actual <= hi95) s.in95++;
  s.points++;
}

/** Adds `b` into `a`. */
export function mergeSums(a: AccuracySums, b: AccuracySums): void {
  a.abs += b.abs;
  a.sq += b.sq;
  a.smape += b.smape;
  a.in80 += b.in80;
  a.in95 += b.in95;
  a.points += b.points;
}

/** Final metrics from sums. */
export function metricsOf(s: AccuracySums): AccuracyMetrics {
  const n = s.points;
  if (n === 0) return { mae: Number.NaN, rmse: Number.NaN, smape: Number.NaN, coverage80: Number.NaN, coverage95: Number.NaN, points: 0 };
  return { mae: s.abs / n, rmse: Math.sqrt(s.sq / n), smape: s.smape / n, coverage80: s.in80 / n, coverage95: s.in95 / n, points: n };
}
