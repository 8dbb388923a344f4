/** A preset of the time-range picker. */
export interface TimeRangePreset {
  /** URL value, e.g. `1h`. */
  id: string;
  /** Button label. */
  label: string;
  /** Window length in ms. */
  ms: number;
}

/** Presets offered by every time-range picker, shortest first. */
export const TIME_RANGES: readonly TimeRangePreset[] = [
  { id: '15m', label: '15 min', ms: 15 * 60_000 },
  { id: '1h', label: '1 h', ms: 3_600_000 },
  { id: '6h', label: '6 h', ms: 6 * 3_600_000 },
  { id: '24h', label: '24 h', ms: 24 * 3_600_000 },
  { id: '7d', label: '7 d', ms: 7 * 86_400_000 },
];

/** The preset used when the URL names none (1 h). */
export const DEFAULT_TIME_RANGE = TIME_RANGES[1] as TimeRangePreset;

/** Looks up a preset by id, falling back to {@link DEFAULT_TIME_RANGE} for unknown ids. */
export function timeRangeById(id: string | null | undefined): TimeRangePreset {
  return TIME_RANGES.find((r) => r.id === id) ?? DEFAULT_TIME_RANGE;
}

/** Steps a query may use, in ms; "nice" values so bucket edges fall on round clock times. */
const NICE_STEPS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 21_600, 43_200, 86_400].map((s) => s * 1000);

/**
 * Chooses the bucket width of a range query: the smallest nice step that yields at most
 * `maxPoints` buckets and is not finer than the agent's collection interval (finer buckets would
 * only add empty ones).
 * @param rangeMs window length in ms
 * @param intervalMs collection interval in ms (default 10 s)
 * @param maxPoints upper bound on buckets per series (default 360 — about one per 3 px of a
 *   laptop-width chart)
 */
export function chooseStep(rangeMs: number, intervalMs = 10_000, maxPoints = 360): number {
  const floor = Math.max(rangeMs / maxPoints, intervalMs, 1000);
  return NICE_STEPS.find((s) => s >= floor) ?? Math.ceil(floor / 86_400_000) * 86_400_000;
}

/** A concrete query window: `[start, end]` in ms since epoch, aligned to `step`. */
export interface QueryWindow {
  start: number;
  end: number;
  step: number;
}

/**
 * Computes the absolute window of a query ending now. `start` is aligned down to a multiple of
 * `step` so that separate queries of one page share bucket timestamps and can be drawn on one
 * x axis.
 */
export function queryWindow(now: number, rangeMs: number, step: number): QueryWindow {
  const start = Math.floor((now - rangeMs) / step) * step;
  return { start, end: now, step };
}
