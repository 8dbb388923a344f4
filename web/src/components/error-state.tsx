import type { ApiError } from '../api/api-error.js';
import { NETWORK_ERROR_CODE } from '../api/api-error.js';

/** Props of {@link ErrorState}. */
export interface ErrorStateProps {
  error: ApiError;
  onRetry: () => void;
  /** One-line variant shown above data that is still on screen (default false). */
  compact?: boolean;
}

function headline(error: ApiError): string {
  if (error.code === NETWORK_ERROR_CODE || error.status >= 500) return 'The server is not reachable';
  if (error.status === 429) return 'Too many requests';
  if (error.status === 404) return 'Not found';
  if (error.status === 403) return 'Not allowed';
  if (error.status === 422) return 'The query was rejected';
  if (error.status === 400) return 'The request was rejected';
  return 'Loading failed';
}

/**
 * What a panel shows instead of data when loading failed: a headline, the server's message and
 * code, and a Retry button — never a blank panel. Messages are rendered as text.
 */
export function ErrorState({ error, onRetry, compact = false }: ErrorStateProps) {
  const retryHint = error.retryAfterSeconds !== undefined ? ` Retry in ${error.retryAfterSeconds} s.` : '';
  if (compact) {
    return (
      <div class="error-state error-state-compact" role="alert">
        <span>
          Refresh failed: {error.message}
          {retryHint}
        </span>
        <button type="button" class="button button-small" onClick={onRetry}>
          Retry
        </button>
      </div>
    );
  }
  return (
    <div class="error-state" role="alert">
      <p class="error-state-title">{headline(error)}</p>
      <p class="error-state-message">
        {error.message}
        {retryHint}
      </p>
      <p class="error-state-code">
        <code>{error.code}</code>
        {error.status > 0 ? <span> · HTTP {error.status}</span> : null}
      </p>
      <button type="button" class="button" onClick={onRetry}>
        Retry
      </button>
    </div>
  );
}
