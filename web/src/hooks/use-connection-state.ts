import { useEffect, useState } from 'preact/hooks';
import type { ConnectionState } from '../live/live-connection.js';
import { useServices } from './app-services.js';

/** The live connection's state, re-rendering on change. */
export function useConnectionState(): ConnectionState {
  const { live } = useServices();
  const [state, setState] = useState(live.state);
  useEffect(() => {
    setState(live.state);
    return live.onStateChange(setState);
  }, [live]);
  return state;
}
