import { useEffect, useState } from 'preact/hooks';
import { useServices } from './app-services.js';

/**
 * `value`, but only after it stopped changing for `delayMs` (typing in a filter should not send
 * a query per keystroke). The pending timer is cancelled on change and on unmount.
 */
export function useDebounced<T>(value: T, delayMs: number): T {
  const { scheduler } = useServices();
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const handle = scheduler.setTimeout(() => setSettled(value), delayMs);
    return () => scheduler.clearTimeout(handle);
  }, [value, delayMs, scheduler]);
  return settled;
}
