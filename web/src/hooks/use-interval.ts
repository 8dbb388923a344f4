import { useEffect, useRef } from 'preact/hooks';
import { useServices } from './app-services.js';

/**
 * Calls `fn` every `periodMs` while mounted (null pauses). Uses the app's scheduler, one pending
 * timeout at a time, cancelled on unmount.
 */
export function useInterval(fn: () => void, periodMs: number | null): void {
  const { scheduler } = useServices();
  const fnRef = useRef(fn);
  fnRef.current = fn;
  useEffect(() => {
    if (periodMs === null) return undefined;
    let handle = 0;
    const tick = () => {
      fnRef.current();
      handle = scheduler.setTimeout(tick, periodMs);
    };
    handle = scheduler.setTimeout(tick, periodMs);
    return () => scheduler.clearTimeout(handle);
  }, [scheduler, periodMs]);
}
