/**
 * Stable error codes of the HTTP API, with the HTTP status each one maps to. Clients may rely on
 * the code strings; messages are for humans and may change. This table is the one place where a
 * code is mapped to a status.
 */
export const ERROR_CODES = {
  VIGIL_ERR_BAD_REQUEST: { status: 400, retry: false, description: 'The request is malformed.' },
  VIGIL_ERR_INVALID_JSON: { status: 400, retry: false, description: 'The body is not valid JSON.' },
  VIGIL_ERR_VALIDATION: { status: 400, retry: false, description: 'A field has the wrong type or value.' },
  VIGIL_ERR_UNSUPPORTED_MEDIA_TYPE: { status: 415, retry: false, description: 'Content-Type is not accepted here.' },
  VIGIL_ERR_PAYLOAD_TOO_LARGE: { status: 413, retry: false, description: 'The body exceeds the size limit.' },
  VIGIL_ERR_INGEST_PARTIAL: { status: 422, retry: false, description: 'Some items of the batch were rejected; the valid ones were stored.' },
  VIGIL_ERR_INGEST_REJECTED: { status: 422, retry: false, description: 'Every item of the batch was rejected.' },
  VIGIL_ERR_SERIES_LIMIT: { status: 429, retry: true, description: 'The key reached its active-series limit.' },
  VIGIL_ERR_UNAUTHENTICATED: { status: 401, retry: false, description: 'Credentials are missing or invalid.' },
  VIGIL_ERR_INVALID_CREDENTIALS: { status: 401, retry: false, description: 'Username or password is wrong.' },
  VIGIL_ERR_TOTP_REQUIRED: { status: 401, retry: false, description: 'The password was right; send the 6-digit code of the authenticator app as `totp`.' },
  VIGIL_ERR_MFA_ENROLLMENT_REQUIRED: { status: 403, retry: false, description: 'Admins must enrol a second factor (TOTP) before using the API.' },
  VIGIL_ERR_FORBIDDEN: { status: 403, retry: false, description: 'The caller lacks the permission for this action.' },
  VIGIL_ERR_CSRF: { status: 403, retry: false, description: 'Cross-site request rejected (Origin or custom header check failed).' },
  VIGIL_ERR_NOT_FOUND: { status: 404, retry: false, description: 'No such resource.' },
  VIGIL_ERR_METHOD_NOT_ALLOWED: { status: 405, retry: false, description: 'The method is not allowed on this resource.' },
  VIGIL_ERR_CONFLICT: { status: 409, retry: false, description: 'The resource already exists or changed concurrently.' },
  VIGIL_ERR_TRIAGE_TRANSITION: { status: 409, retry: false, description: 'The triage state cannot move from its current state to the requested one (details list the allowed states).' },
  VIGIL_ERR_QUERY_RANGE_TOO_LARGE: { status: 422, retry: false, description: 'The query time range exceeds the limit.' },
  VIGIL_ERR_QUERY_TOO_MANY_POINTS: { status: 422, retry: false, description: 'The query would return too many points per series; raise step.' },
  VIGIL_ERR_QUERY_TOO_MANY_SERIES: { status: 422, retry: false, description: 'The selector matches too many series; narrow it.' },
  VIGIL_ERR_FORECAST_INPUT: { status: 422, retry: false, description: 'The series cannot be forecast as given (malformed grid, too many points).' },
  VIGIL_ERR_FORECAST_TOO_SHORT: { status: 422, retry: false, description: 'The series has fewer points than the model or detector needs; widen the range or lower the step.' },
  VIGIL_ERR_FORECAST_OPTIONS: { status: 400, retry: false, description: 'A forecast or anomaly option is out of range.' },
  VIGIL_ERR_FORECAST_UNKNOWN_MODEL: { status: 400, retry: false, description: 'No forecast model or anomaly detector has that name.' },
  VIGIL_ERR_FORECAST_NUMERIC: { status: 422, retry: false, description: 'The values are too large to fit, or the fit did not produce finite numbers.' },
  VIGIL_ERR_FORECAST_NO_DATA: { status: 422, retry: false, description: 'The query matched no series with samples in the range.' },
  VIGIL_ERR_FORECAST_TOO_MANY_SERIES: { status: 422, retry: false, description: 'The query matches more series than one forecast request may fit; narrow it.' },
  VIGIL_ERR_FORECAST_HORIZON: { status: 422, retry: false, description: 'The horizon is longer than the limit or than the history; shorten it or raise the step.' },
  VIGIL_ERR_FORECAST_BUSY: { status: 429, retry: true, description: 'Model fitting capacity is in use; retry after Retry-After.' },
  VIGIL_ERR_SELECTOR_SYNTAX: { status: 400, retry: false, description: 'The series selector cannot be parsed.' },
  VIGIL_ERR_RATE_LIMITED: { status: 429, retry: true, description: 'Too many requests; retry after Retry-After.' },
  VIGIL_ERR_STORAGE_UNAVAILABLE: { status: 503, retry: true, description: 'Storage is unavailable; retry with backoff.' },
  VIGIL_ERR_STORAGE_FULL: { status: 503, retry: true, description: 'The storage volume is full; retry later.' },
  VIGIL_ERR_LEADER_UNAVAILABLE: { status: 503, retry: true, description: 'No replica is evaluating alerts right now (leader election in progress, or Redis unreachable); retry shortly.' },
  VIGIL_ERR_SHUTTING_DOWN: { status: 503, retry: true, description: 'The server is shutting down; retry on another replica or later.' },
  VIGIL_ERR_INTERNAL: { status: 500, retry: true, description: 'Unexpected server error (details are in the server log).' },
} as const;

/** A stable error code string (e.g. `VIGIL_ERR_QUERY_RANGE_TOO_LARGE`). */
export type ErrorCode = keyof typeof ERROR_CODES;

/** JSON body of every non-2xx API answer. `details` is code-specific and optional. */
export interface ErrorBody {
  error: { code: ErrorCode | string; message: string; details?: unknown };
}

/** Codes returned per rejected item of an ingest batch. */
export const ITEM_ERROR_CODES = [
  'VIGIL_ERR_ITEM_SHAPE',
  'VIGIL_ERR_METRIC_NAME',
  'VIGIL_ERR_LABEL_NAME',
  'VIGIL_ERR_LABEL_VALUE',
  'VIGIL_ERR_TOO_MANY_LABELS',
  'VIGIL_ERR_RESERVED_LABEL',
  'VIGIL_ERR_TIMESTAMP',
  'VIGIL_ERR_TIMESTAMP_TOO_NEW',
  'VIGIL_ERR_TIMESTAMP_TOO_OLD',
  'VIGIL_ERR_VALUE',
  'VIGIL_ERR_DUPLICATE_TIMESTAMP',
  'VIGIL_ERR_OUT_OF_ORDER',
  'VIGIL_ERR_TOO_MANY_POINTS',
  'VIGIL_ERR_SERIES_LIMIT',
] as const;

/** A per-item ingest rejection code. */
export type ItemErrorCode = (typeof ITEM_ERROR_CODES)[number];
