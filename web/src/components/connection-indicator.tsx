import type { ConnectionState } from '../live/live-connection.js';
import { useConnectionState } from '../hooks/use-connection-state.js';
import { useServices } from '../hooks/app-services.js';

const TEXT: Record<ConnectionState, string> = {
  idle: 'Live: off',
  connecting: 'Live: connecting…',
  connected: 'Live: connected',
  reconnecting: 'Live: reconnecting…',
  offline: 'Live: offline',
};

/**
 * The header's indicator of the shared live connection. While disconnected it is a button that
 * retries immediately instead of waiting for the backoff. Announced politely to screen readers.
 */
export function ConnectionIndicator() {
  const state = useConnectionState();
  const { live } = useServices();
  const canRetry = state === 'reconnecting' || state === 'offline';
  return (
    <div class="connection" role="status" aria-live="polite">
      <button
        type="button"
        class={`connection-indicator connection-${state}`}
        data-connection={state}
        disabled={!canRetry}
        title={canRetry ? 'Reconnect now' : 'Live updates over WebSocket'}
        onClick={() => live.reconnectNow()}
      >
        <span class="connection-dot" aria-hidden="true" />
        {TEXT[state]}
      </button>
    </div>
  );
}
