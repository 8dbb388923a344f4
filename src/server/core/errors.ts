import { ERROR_CODES, type ErrorCode } from '../../protocol/error-codes.js';

/**
 * The one error type business logic throws for expected failures. It carries a stable code
 * (mapped to an HTTP status in `ERROR_CODES`), a message that tells the caller what to fix, and
 * optional structured details. Anything else that escapes to the HTTP layer is a bug and is
 * answered with a generic 500 (details only in the server log).
 */
export class VigilError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
    /** Seconds a client should wait before retrying (429/503). */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'VigilError';
    this.status = ERROR_CODES[code].status;
  }
}

/** Factory with the common cases, so call sites read as intent. */
export const errors = {
  validation: (message: string, details?: unknown) => new VigilError('VIGIL_ERR_VALIDATION', message, details),
  badRequest: (message: string, details?: unknown) => new VigilError('VIGIL_ERR_BAD_REQUEST', message, details),
  notFound: (what: string) => new VigilError('VIGIL_ERR_NOT_FOUND', `${what} not found`),
  conflict: (message: string) => new VigilError('VIGIL_ERR_CONFLICT', message),
  unauthenticated: (message = 'authentication required') => new VigilError('VIGIL_ERR_UNAUTHENTICATED', message),
  forbidden: (permission: string) => new VigilError('VIGIL_ERR_FORBIDDEN', `missing permission ${permission}`, { permission }),
  storageUnavailable: (message = 'storage is unavailable', retryAfterSeconds = 5) =>
    new VigilError('VIGIL_ERR_STORAGE_UNAVAILABLE', message, undefined, retryAfterSeconds),
  storageFull: (retryAfterSeconds = 30) =>
    new VigilError('VIGIL_ERR_STORAGE_FULL', 'the storage volume is full; free space or raise the limit', undefined, retryAfterSeconds),
  rateLimited: (retryAfterSeconds: number, message = 'too many requests') =>
    new VigilError('VIGIL_ERR_RATE_LIMITED', message, undefined, retryAfterSeconds),
};

/** True for errors that mean "storage cannot take writes right now" (retryable 503). */
export function isStorageError(err: unknown): boolean {
  return err instanceof VigilError && (err.code === 'VIGIL_ERR_STORAGE_UNAVAILABLE' || err.code === 'VIGIL_ERR_STORAGE_FULL');
}
