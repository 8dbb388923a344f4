import type { ErrorBody } from '../../../src/protocol/error-codes.js';

/** Code used when the server could not be reached at all (network error, DNS, refused). */
export const NETWORK_ERROR_CODE = 'VIGIL_WEB_NETWORK';
/** Code used when the server answered with something that is not a Vigil error body. */
export const UNEXPECTED_RESPONSE_CODE = 'VIGIL_WEB_UNEXPECTED_RESPONSE';
/** Code used when the request was aborted (page left, newer request superseded it). */
export const ABORTED_CODE = 'VIGIL_WEB_ABORTED';

/**
 * A failed API call. `status` is the HTTP status (0 when no answer arrived); `code` is the
 * server's stable `VIGIL_ERR_…` code or one of the `VIGIL_WEB_…` codes above.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
    /** Seconds from a `Retry-After` header, when the server sent one. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /**
   * True when trying again may succeed without the user changing anything: network failures,
   * 429, 5xx. A 4xx that describes bad input (422 query limits, 400 syntax) is not retryable.
   */
  get retryable(): boolean {
    return this.status === 0 || this.status === 408 || this.status === 429 || this.status >= 500;
  }
}

function isErrorBody(value: unknown): value is ErrorBody {
  if (typeof value !== 'object' || value === null) return false;
  const error = (value as { error?: unknown }).error;
  return typeof error === 'object' && error !== null && typeof (error as { code?: unknown }).code === 'string' && typeof (error as { message?: unknown }).message === 'string';
}

/**
 * Builds the error for a non-2xx answer from its status and (possibly unparseable) body text.
 * Proxies and crashed upstreams answer with HTML: those become a plain message by status.
 */
export function apiErrorFromResponse(status: number, statusText: string, bodyText: string, retryAfter: string | null): ApiError {
  let parsed: unknown = null;
  try {
    parsed = JSON.parse(bodyText);
  } catch {
    parsed = null;
  }
  const seconds = retryAfter !== null && /^\d{1,6}$/.test(retryAfter.trim()) ? Number(retryAfter.trim()) : undefined;
  if (isErrorBody(parsed)) return new ApiError(status, parsed.error.code, parsed.error.message, parsed.error.details, seconds);
  const label = statusText ? `${status} ${statusText}` : String(status);
  const message = status === 502 || status === 503 || status === 504 ? `The Vigil server is unavailable (${label}).` : `The server answered ${label}.`;
  return new ApiError(status, UNEXPECTED_RESPONSE_CODE, message, undefined, seconds);
}
