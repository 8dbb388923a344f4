import { errors, VigilError } from '../../core/errors.js';

/** Node socket errors meaning the server cannot be reached or the connection broke. */
const NET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNABORTED']);

/**
 * SQLSTATEs meaning "PostgreSQL cannot serve this now, try again": class 08 (connection
 * exception), 57P01–57P03 (terminated by an administrator / crash shutdown / cannot connect now),
 * 57014 (statement timeout), 53000/53200/53300 (out of memory or connections), 40001/40P01
 * (serialization failure, deadlock — the whole request may be retried).
 */
function isRetryableSqlState(code: string): boolean {
  return code.startsWith('08') || ['57P01', '57P02', '57P03', '57014', '53000', '53200', '53300', '40001', '40P01'].includes(code);
}

/** Messages `pg` uses for its own connection failures (they carry no code). */
const PG_CONNECTION_MESSAGES = /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Connection refused|not queryable|Query read timeout/i;

/** True when `err` means the database is unreachable or refused the work for now (retryable). */
export function isPgUnavailable(err: unknown): boolean {
  const e = err as { code?: unknown; message?: unknown } | null;
  const code = typeof e?.code === 'string' ? e.code : '';
  if (NET_CODES.has(code) || isRetryableSqlState(code)) return true;
  if (code === '' && typeof e?.message === 'string') return PG_CONNECTION_MESSAGES.test(e.message);
  if (err instanceof AggregateError) return err.errors.some(isPgUnavailable);
  return false;
}

/**
 * Maps PostgreSQL failures to the typed storage errors the HTTP layer turns into 503 +
 * Retry-After: unreachable/terminated/timed out → `VIGIL_ERR_STORAGE_UNAVAILABLE`, disk full
 * (53100) → `VIGIL_ERR_STORAGE_FULL`. Other errors (constraint violations with their SQLSTATE,
 * e.g. 23505 for `isUniqueViolation`) pass through unchanged.
 */
export function mapPgError(err: unknown): unknown {
  if (err instanceof VigilError) return err;
  const code = (err as { code?: unknown } | null)?.code;
  if (code === '53100') return errors.storageFull();
  if (isPgUnavailable(err)) return errors.storageUnavailable(`storage is unavailable (PostgreSQL: ${typeof code === 'string' && code ? code : 'connection failed'})`);
  return err;
}
