import { errors, VigilError } from '../../core/errors.js';

/**
 * Maps SQLite failures that mean "cannot write now" to typed, retryable storage errors, so the
 * HTTP layer answers 503 + Retry-After instead of a 500. Other errors pass through unchanged.
 */
export function mapSqliteError(err: unknown): unknown {
  if (err instanceof VigilError) return err;
  const code = (err as { code?: string } | null)?.code ?? '';
  if (code === 'SQLITE_FULL' || code.startsWith('SQLITE_IOERR') || code === 'ENOSPC') return errors.storageFull();
  if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED' || code === 'SQLITE_READONLY' || code === 'SQLITE_CANTOPEN') {
    return errors.storageUnavailable(`storage is unavailable (${code})`);
  }
  return err;
}
