import { useEffect, useState } from 'preact/hooks';
import { useServices } from './app-services.js';

/**
 * The current time on the server's clock (ms since epoch), re-rendering the component on every
 * tick of the shared ticker (1 s). The ticker timer stops when the last user unmounts.
 */
export function useNow(): number {
  const { ticker, serverClock, scheduler } = useServices();
  const [now, setNow] = useState(() => serverClock.toServerTime(scheduler.now()));
  useEffect(() => ticker.subscribe((t) => setNow(serverClock.toServerTime(t))), [ticker, serverClock]);
  return now;
}
