/**
 * Stable codes of {@link ForecastInputError}. All of them mean "the caller's input cannot be
 * forecast as given" (an HTTP layer maps them to 4xx, never 5xx):
 * - `VIGIL_ERR_FORECAST_INPUT`: malformed series (length mismatch, bad step, timestamps not
 *   strictly increasing, too many grid points);
 * - `VIGIL_ERR_FORECAST_TOO_SHORT`: fewer finite points than the model needs;
 * - `VIGIL_ERR_FORECAST_OPTIONS`: a model option or the horizon is out of range;
 * - `VIGIL_ERR_FORECAST_UNKNOWN_MODEL`: no model/detector registered under that name;
 * - `VIGIL_ERR_FORECAST_NUMERIC`: values too large to fit without overflow, or the fit did not
 *   produce finite numbers.
 */
export const FORECAST_ERROR_CODES = [
  'VIGIL_ERR_FORECAST_INPUT',
  'VIGIL_ERR_FORECAST_TOO_SHORT',
  'VIGIL_ERR_FORECAST_OPTIONS',
  'VIGIL_ERR_FORECAST_UNKNOWN_MODEL',
  'VIGIL_ERR_FORECAST_NUMERIC',
] as const;

/** One of {@link FORECAST_ERROR_CODES}. */
export type ForecastErrorCode = (typeof FORECAST_ERROR_CODES)[number];

/**
 * The only error the forecast module throws on bad input. `message` says what to fix (e.g.
 * "holt-winters with a daily season of 1440 steps needs at least 2882 finite points; got 500").
 * `details` carries machine-readable context (model, needed, got) for an API error body.
 */
export class ForecastInputError extends Error {
  override readonly name = 'ForecastInputError';
  readonly code: ForecastErrorCode;
  readonly details: Readonly<Record<string, unknown>>;

  constructor(code: ForecastErrorCode, message: string, details: Readonly<Record<string, unknown>> = {}) {
    super(message);
    this.code = code;
    this.details = details;
  }
}

/** Throws the "too short" error with a uniform message. `needed`/`got` count finite points. */
export function tooShort(model: string, needed: number, got: number, why = ''): never {
  const suffix = why === '' ? '' : ` (${why})`;
  throw new ForecastInputError(
    'VIGIL_ERR_FORECAST_TOO_SHORT',
    `${model} needs at least ${needed} finite points${suffix}; got ${got}`,
    { model, needed, got },
  );
}

/** Throws the "bad option" error for option `name` of `model`. */
export function badOption(model: string, name: string, expected: string, got: unknown): never {
  throw new ForecastInputError(
    'VIGIL_ERR_FORECAST_OPTIONS',
    `${model}: option "${name}" must be ${expected}; got ${describe(got)}`,
    { model, option: name, expected },
  );
}

function describe(v: unknown): string {
  if (typeof v === 'number' || typeof v === 'boolean' || v == null) return String(v);
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
  return typeof v;
}
