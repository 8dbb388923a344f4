import { ForecastInputError } from './forecast-input-error.js';
import type { Forecast } from './forecast-model.js';
import { MAX_HORIZON } from './forecast-model.js';
import { Z80, Z95 } from './numeric/normal-quantile.js';

/** Quantile multipliers of the 80 % and 95 % bands; normal by default. */
export interface BandQuantiles {
  q80: number;
  q95: number;
}

/** Normal quantiles qnorm(0.9), qnorm(0.975). */
export const NORMAL_BANDS: BandQuantiles = { q80: Z80, q95: Z95 };

/**
 * Validates a horizon: an integer number of steps in 1 .. {@link MAX_HORIZON}. Throws
 * `VIGIL_ERR_FORECAST_OPTIONS` otherwise.
 */
export function checkHorizon(horizon: number): number {
  if (!Number.isInteger(horizon) || horizon < 1 || horizon > MAX_HORIZON) {
    throw new ForecastInputError(
      'VIGIL_ERR_FORECAST_OPTIONS',
      `horizon must be an integer number of steps in 1..${MAX_HORIZON}; got ${String(horizon)}`,
      { option: 'horizon' },
    );
  }
  return horizon;
}

/** Explicit band half-widths (80 % and 95 %), e.g. empirical error quantiles. */
export interface HalfWidths {
  half80: ArrayLike<number>;
  half95: ArrayLike<number>;
}

/**
 * Assembles a {@link Forecast} from point forecasts and standard errors: bands are
 * `mean ± q · se`, or `mean ± half` when explicit half-widths are given. `originTs` is the timestamp of the last observation (ms). Throws
 * `VIGIL_ERR_FORECAST_NUMERIC` when the model produced a non-finite value (overflow on extreme
 * input), so callers never receive NaN forecasts.
 */
export function buildForecast(
  model: string,
  originTs: number,
  stepMs: number,
  mean: ArrayLike<number>,
  se: ArrayLike<number>,
  bands: BandQuantiles | HalfWidths = NORMAL_BANDS,
): Forecast {
  const halves = 'half80' in bands ? bands : undefined;
  const q = 'q80' in bands ? bands : NORMAL_BANDS;
  const h = mean.length;
  const out: Forecast = {
    originTs,
    stepMs,
    ts: new Array<number>(h),
    mean: new Array<number>(h),
    se: new Array<number>(h),
    lower80: new Array<number>(h),
    upper80: new Array<number>(h),
    lower95: new Array<number>(h),
    upper95: new Array<number>(h),
  };
  for (let i = 0; i < h; i++) {
    const m = mean[i] as number;
    const s = se[i] as number;
    const h80 = halves ? (halves.half80[i] as number) : q.q80 * s;
    const h95 = halves ? (halves.half95[i] as number) : q.q95 * s;
    if (!Number.isFinite(m) || !Number.isFinite(s) || !Number.isFinite(m + h95) || !Number.isFinite(m + h80)) {
      throw new ForecastInputError(
        'VIGIL_ERR_FORECAST_NUMERIC',
        `${model}: the forecast is not finite at step ${i + 1} (the series is too extreme for this model; try another model or rescale)`,
        { model, step: i + 1 },
      );
    }
    out.ts[i] = originTs + (i + 1) * stepMs;
    out.mean[i] = m;
    out.se[i] = s;
    out.lower80[i] = m - h80;
    out.upper80[i] = m + h80;
    out.lower95[i] = m - h95;
    out.upper95[i] = m + h95;
  }
  return out;
}
