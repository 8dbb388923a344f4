import { ForecastInputError } from './forecast-input-error.js';
import type { Forecast } from './forecast-model.js';

/** When one forecast line first reaches the threshold. */
export interface ThresholdCrossing {
  /** Timestamp, ms since the epoch, linearly interpolated between forecast steps. */
  ts: number;
  /** Milliseconds after the forecast origin. */
  inMs: number;
}

/** Result of {@link timeToThreshold}; `null` means "not within the forecast horizon". */
export interface TimeToThreshold {
  threshold: number;
  direction: 'above' | 'below';
  /** The last observed value is already at or beyond the threshold. */
  alreadyCrossed: boolean;
  /** Point forecast crossing: the best estimate ("disk full in 9 h"). */
  mean: ThresholdCrossing | null;
  /** Earliest plausible crossing: the 95 % bound on the threshold's side (upper95 for `above`). */
  earliest: ThresholdCrossing | null;
  /** Latest plausible crossing: the opposite 95 % bound (lower95 for `above`); null if beyond the horizon. */
  latest: ThresholdCrossing | null;
  /** The same for the 80 % band, for a less conservative alert. */
  earliest80: ThresholdCrossing | null;
  latest80: ThresholdCrossing | null;
}

/**
 * Time until a forecast reaches `threshold` (the capacity question: "disk reaches 100 % at …").
 * Works on any model's {@link Forecast}; for the linear trend the lines are straight and the
 * interpolation exact. `direction` `above` (default) looks for values ≥ threshold, `below` for
 * values ≤ threshold. `lastValue` is the last observation (at `originTs`), used to
 * interpolate within the first step and to report `alreadyCrossed`.
 */
export function timeToThreshold(forecast: Forecast, threshold: number, lastValue: number, direction: 'above' | 'below' = 'above'): TimeToThreshold {
  if (!Number.isFinite(threshold) || !Number.isFinite(lastValue)) {
    throw new ForecastInputError('VIGIL_ERR_FORECAST_OPTIONS', 'threshold and last value must be finite numbers', { option: 'threshold' });
  }
  const up = direction === 'above';
  const h = forecast.mean.length;
  const step = forecast.stepMs;
  const originTs = forecast.originTs;
  const reached = (v: number): boolean => (up ? v >= threshold : v <= threshold);
  const first = (line: readonly number[]): ThresholdCrossing | null => {
    if (reached(lastValue)) return { ts: originTs, inMs: 0 };
    let prev = lastValue;
    for (let i = 0; i < h; i++) {
      const v = line[i] as number;
      if (reached(v)) {
        const frac = v === prev ? 1 : (threshold - prev) / (v - prev);
        const ts = originTs + (i + Math.min(1, Math.max(0, frac))) * step;
        return { ts, inMs: ts - originTs };
      }
      prev = v;
    }
    return null;
  };
  return {
    threshold,
    direction,
    alreadyCrossed: reached(lastValue),
    mean: first(forecast.mean),
    earliest: first(up ? forecast.upper95 : forecast.lower95),
    latest: first(up ? forecast.lower95 : forecast.upper95),
    earliest80: first(up ? forecast.upper80 : forecast.lower80),
    latest80: first(up ? forecast.lower80 : forecast.upper80),
  };
}
