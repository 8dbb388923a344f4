import { badOption } from '../forecast-input-error.js';
import { interpolateGaps } from './holt-winters-filter.js';

/** How a seasonal model picks its season: from the step (daily / weekly), none, or automatically. */
export type SeasonChoice = 'auto' | 'daily' | 'weekly' | 'none';

const DAY_MS = 86_400_000;
const WEEK_MS = 7 * DAY_MS;

/** Seasonal strength a season needs before `auto` uses it (0..1, see {@link seasonalStrength}). */
export const MIN_SEASONAL_STRENGTH = 0.4;

/**
 * Season length in steps for a named season: `round(period / stepMs)` (1440 for a daily season
 * at 1 min, 10080 for weekly). Steps that do not divide the period get the nearest integer.
 * Returns 0 when the period is shorter than two steps (no usable season).
 */
export function seasonSteps(season: 'daily' | 'weekly', stepMs: number): number {
  const m = Math.round((season === 'daily' ? DAY_MS : WEEK_MS) / stepMs);
  return m >= 2 ? m : 0;
}

/**
 * Resolves the season length (steps) for a series of `n` grid points.
 * - `seasonLength` given: used as is (integer ≥ 2).
 * - `daily` / `weekly`: the step-derived length; 0 if the step is too coarse.
 * - `none`: 0.
 * - `auto`: among daily and weekly, those with at least 3 full seasons of data and a seasonal
 *   strength ≥ {@link MIN_SEASONAL_STRENGTH}; the strongest wins (the shorter on a tie); else 0.
 */
export function resolveSeasonLength(model: string, y: Float64Array, stepMs: number, season: SeasonChoice, seasonLength?: number): number {
  if (seasonLength !== undefined) return seasonLength;
  if (season === 'none') return 0;
  if (season === 'daily' || season === 'weekly') {
    const m = seasonSteps(season, stepMs);
    if (m === 0) badOption(model, 'season', `finer than half a ${season === 'daily' ? 'day' : 'week'} step for "${season}"`, season);
    return m;
  }
  let best = 0;
  let bestStrength = MIN_SEASONAL_STRENGTH;
  for (const name of ['daily', 'weekly'] as const) {
    const m = seasonSteps(name, stepMs);
    if (m === 0 || y.length < 3 * m) continue;
    // Hourly blocks for both seasons (168 points per week, 24 per day).
    const f = seasonalStrength(y, m, Math.max(1, Math.floor(Math.min(m / 24, 3_600_000 / stepMs))));
    if (f > bestStrength + 1e-9) {
      best = m;
      bestStrength = f;
    }
  }
  return best;
}

/**
 * Strength of seasonality F_s = max(0, 1 − Var(remainder) / Var(seasonal + remainder)) (Wang,
 * Smith & Hyndman 2006) from a classical additive decomposition with period `m`. The series is
 * first averaged into blocks of `block` steps (default ⌊m/24⌋: hourly for a daily season at
 * 1 min) so that high-frequency noise, which one-step models absorb anyway, does not hide a real
 * daily shape. Needs at least two seasons; returns 0 otherwise.
 */
export function seasonalStrength(y: Float64Array, m: number, block = Math.max(1, Math.floor(m / 24))): number {
  const period = Math.round(m / block);
  const x = interpolateGaps(y);
  const len = Math.floor(x.length / block);
  if (period < 2 || len < 2 * period) return 0;
  const agg = new Float64Array(len);
  for (let i = 0; i < len; i++) {
    let s = 0;
    for (let k = 0; k < block; k++) s += x[i * block + k] as number;
    agg[i] = s / block;
  }
  // Centred moving average of order `period` (2×period when even) = trend.
  const half = Math.floor(period / 2);
  const detrended = new Float64Array(len).fill(Number.NaN);
  for (let i = half; i + half < len; i++) {
    let s = 0;
    if (period % 2 === 0) {
      for (let k = i - half + 1; k < i + half; k++) s += agg[k] as number;
      s += 0.5 * ((agg[i - half] as number) + (agg[i + half] as number));
    } else {
      for (let k = i - half; k <= i + half; k++) s += agg[k] as number;
    }
    detrended[i] = (agg[i] as number) - s / period;
  }
  const figure = new Float64Array(period);
  const counts = new Float64Array(period);
  for (let i = 0; i < len; i++) {
    const d = detrended[i] as number;
    if (d === d) {
      figure[i % period] = (figure[i % period] as number) + d;
      counts[i % period] = (counts[i % period] as number) + 1;
    }
  }
  let fm = 0;
  for (let k = 0; k < period; k++) {
    figure[k] = (counts[k] as number) > 0 ? (figure[k] as number) / (counts[k] as number) : 0;
    fm += (figure[k] as number) / period;
  }
  const rem: number[] = [];
  const sr: number[] = [];
  for (let i = 0; i < len; i++) {
    const d = detrended[i] as number;
    if (d !== d) continue;
    const s = (figure[i % period] as number) - fm;
    sr.push(d);
    rem.push(d - s);
  }
  const vr = variance(rem);
  const vsr = variance(sr);
  if (!(vsr > 0)) return 0;
  return Math.max(0, 1 - vr / vsr);
}

function variance(a: readonly number[]): number {
  if (a.length < 2) return 0;
  let mean = 0;
  for (const v of a) mean += v / a.length;
  let s = 0;
  for (const v of a) s += (v - mean) * (v - mean);
  return s / (a.length - 1);
}
