import { useEffect, useRef } from 'preact/hooks';
import type { SubscriptionMessage, SubscriptionSpec } from '../live/live-connection.js';
import { useServices } from './app-services.js';

/**
 * Subscribes to a live topic while the component is mounted (and `spec` is not null). The
 * subscription is re-made only when the spec's content changes, and removed on unmount — the
 * server stops sending, and no handler of a gone page keeps running.
 */
export function useLiveSubscription(spec: SubscriptionSpec | null, onMessage: (msg: SubscriptionMessage) => void): void {
  const { live } = useServices();
  const handlerRef = useRef(onMessage);
  handlerRef.current = onMessage;
  const key = spec === null ? null : JSON.stringify(spec);
  useEffect(() => {
    if (key === null) return undefined;
    return live.subscribe(JSON.parse(key) as SubscriptionSpec, (msg) => handlerRef.current(msg));
  }, [live, key]);
}
