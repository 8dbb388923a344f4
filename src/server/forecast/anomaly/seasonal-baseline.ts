import { tooShort } from '../forecast-input-error.js';
import type { ModelOptions } from '../forecast-model.js';
import { OptionReader } from '../option-reader.js';
import type { PreparedSeries } from '../prepare-series.js';
import type { AnomalyDetector, AnomalyResult } from './anomaly-detector.js';
import { readThresholdOptions } from './read-threshold-options.js';
import { MAD_TO_SIGMA, medianMad } from './robust-stats.js';
import { scorePoints } from './score-points.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const WEEK_MS = 7 * DAY_MS;

/** Resolved options of the seasonal baseline. */
export interface SeasonalBaselineOptions {
  /** `week` (hour-of-week slots), `day` (hour-of-day), or `auto`: week when the series spans ≥ 2 weeks. */
  period: 'week' | 'day' | 'auto';
  /** Slot width, ms (default one hour). */
  bucketMs: number;
  /** Previous periods pooled into the baseline (default 4). */
  seasons: number;
  /** Offset of local time from UTC in minutes, so "Monday 09:00" means local time (default 0). */
  utcOffsetMinutes: number;
  /** Fewest history values a slot needs (default 3). */
  minSamples: number;
}

/**
 * Seasonal baseline: a point at "Monday 09:xx" is compared with the values of the same
 * hour-of-week slot in the previous `seasons` weeks (hour-of-day and days with `period: day`):
 * expected = their median, σ̂ = 1.4826·MAD. Only earlier periods are used, so the result for a
 * point never depends on the point itself or on later data. Points whose slot has fewer than
 * `minSamples` history values (e.g. the first week) get NaN.
 */
export const seasonalBaselineDetector: AnomalyDetector = {
  name: 'seasonal-baseline',
  description: 'Median/MAD of the same hour-of-week (or hour-of-day) in previous weeks (days).',
  detect(series: PreparedSeries, options?: ModelOptions): AnomalyResult {
    const r = new OptionReader('seasonal-baseline', options);
    const o: SeasonalBaselineOptions = {
      period: r.choice('period', ['week', 'day', 'auto'] as const, 'auto'),
      bucketMs: r.number('bucketMs', { min: 1000, max: DAY_MS, default: HOUR_MS }),
      seasons: r.number('seasons', { min: 1, max: 52, integer: true, default: 4 }),
      utcOffsetMinutes: r.number('utcOffsetMinutes', { min: -24 * 60, max: 24 * 60, integer: true, default: 0 }),
      minSamples: r.number('minSamples', { min: 1, max: 100_000, integer: true, default: 3 }),
    };
    const th = readThresholdOptions(r);
    r.done();
    const { y, t0, stepMs } = series;
    const span = (y.length - 1) * stepMs;
    const periodMs = o.period === 'week' || (o.period === 'auto' && span >= 2 * WEEK_MS) ? WEEK_MS : DAY_MS;
    if (span < periodMs) {
      tooShort('seasonal-baseline', Math.ceil(periodMs / stepMs) + 1, series.observed, `one full ${periodMs === WEEK_MS ? 'week' : 'day'} of history`);
    }
    const slots = Math.max(1, Math.round(periodMs / o.bucketMs));
    const offset = o.utcOffsetMinutes * 60_000;
    // Group values by (cycle, slot).
    const groups = new Map<number, number[]>();
    const keyOf = new Float64Array(y.length);
    for (let i = 0; i < y.length; i++) {
      const t = t0 + i * stepMs + offset;
      const cycle = Math.floor(t / periodMs);
      const slot = Math.min(slots - 1, Math.floor((t - cycle * periodMs) / o.bucketMs));
      const key = cycle * slots + slot;
      keyOf[i] = key;
      const v = y[i] as number;
      if (v !== v) continue;
      const g = groups.get(key);
      if (g) g.push(v);
      else groups.set(key, [v]);
    }
    const expected = new Float64Array(y.length).fill(Number.NaN);
    const sigma = new Float64Array(y.length).fill(Number.NaN);
    const cache = new Map<number, { median: number; sigma: number } | null>();
    for (let i = 0; i < y.length; i++) {
      const key = keyOf[i] as number;
      let stats = cache.get(key);
      if (stats === undefined) {
        const pool: number[] = [];
        for (let k = 1; k <= o.seasons; k++) {
          const g = groups.get(key - k * slots);
          if (g) for (const v of g) pool.push(v);
        }
        stats = pool.length >= o.minSamples ? robust(pool) : null;
        cache.set(key, stats);
      }
      if (stats) {
        expected[i] = stats.median;
        sigma[i] = stats.sigma;
      }
    }
    const name = periodMs === WEEK_MS ? 'hour-of-week' : 'hour-of-day';
    const spec = `median ± MAD of the same ${name} slot over the previous ${o.seasons} ${periodMs === WEEK_MS ? 'weeks' : 'days'}`;
    return scorePoints('seasonal-baseline', spec, t0, stepMs, y, expected, sigma, th);
  },
};

function robust(pool: number[]): { median: number; sigma: number } {
  const { median, mad } = medianMad(pool);
  return { median, sigma: mad * MAD_TO_SIGMA };
}
