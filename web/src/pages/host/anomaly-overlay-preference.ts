import { useCallback, useState } from 'preact/hooks';

/** localStorage key of the host charts' anomaly overlay switch. */
export const ANOMALY_OVERLAY_KEY = 'vigil.hostCharts.anomalyOverlay';

/** The remembered overlay switch (off by default, and when storage is unavailable). */
export function readAnomalyOverlay(storage: Pick<Storage, 'getItem'> | null = globalThis.localStorage ?? null): boolean {
  try {
    return storage?.getItem(ANOMALY_OVERLAY_KEY) === 'on';
  } catch {
    return false;
  }
}

/** Remembers the switch; a full or disabled storage only loses the preference. */
export function writeAnomalyOverlay(on: boolean, storage: Pick<Storage, 'setItem'> | null = globalThis.localStorage ?? null): void {
  try {
    storage?.setItem(ANOMALY_OVERLAY_KEY, on ? 'on' : 'off');
  } catch {
    // Private mode or quota: the toggle still works for this page view.
  }
}

/** The anomaly overlay switch of the host page, remembered in this browser's preferences. */
export function useAnomalyOverlay(): [boolean, (on: boolean) => void] {
  const [on, setOn] = useState(() => readAnomalyOverlay());
  const set = useCallback((value: boolean) => {
    writeAnomalyOverlay(value);
    setOn(value);
  }, []);
  return [on, set];
}
