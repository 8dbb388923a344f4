import { formatDuration, parseDuration, ParseError } from '../../protocol/duration.js';
import { ANOMALY_DETECTORS, FORECAST_LIMITS, FORECAST_MODELS, type AnomalyDetectorName, type ForecastModelName } from '../../protocol/forecast.js';
import { parseSelector } from '../../protocol/selector.js';
import { VigilError, errors } from '../core/errors.js';
import { parseStep, parseTime } from '../query/parse-time.js';

/** Where the history comes from: a selector text and the grid, validated. */
export interface HistoryWindow {
  /** Selector text for the query service. */
  query: string;
  /** Range, ms since the epoch (`from` < `to`). */
  from: number;
  to: number;
  /** Grid step, ms (≥ 1 s). */
  step: number;
}

/** A validated `POST /api/v1/forecast` body. */
export interface ForecastParams extends HistoryWindow {
  model: ForecastModelName;
  /** Horizon, ms, and in grid steps. */
  horizonMs: number;
  horizonSteps: number;
  levels: number[];
  threshold: number | null;
  direction: 'above' | 'below';
}

/** A validated `POST /api/v1/anomaly` body. */
export interface AnomalyParams extends HistoryWindow {
  detector: AnomalyDetectorName;
  k: number;
  minAbsDeviation: number;
}

/** Default history range, ms (7 days). */
export const DEFAULT_RANGE_MS = 7 * 86_400_000;
/** Default horizon, ms (24 h). */
export const DEFAULT_HORIZON_MS = 86_400_000;
/** Grid points aimed at when no step is given. */
const TARGET_POINTS = 1000;
/** Default steps are at least one minute (agents scrape every 10-60 s). */
const MIN_DEFAULT_STEP_MS = 60_000;
const NICE_STEPS_MS = [60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400].map((s) => s * 1000);

const FORECAST_FIELDS = ['query', 'metric', 'host', 'from', 'to', 'range', 'step', 'model', 'horizon', 'levels', 'threshold', 'direction'];
const ANOMALY_FIELDS = ['query', 'metric', 'host', 'from', 'to', 'range', 'step', 'detector', 'k', 'minAbsDeviation'];

function body(raw: unknown, allowed: readonly string[]): Record<string, unknown> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw errors.validation('the body must be a JSON object');
  const r = raw as Record<string, unknown>;
  const unknown = Object.keys(r).find((k) => !allowed.includes(k));
  if (unknown !== undefined) throw errors.validation(`unknown field ${unknown.slice(0, 40)}; allowed: ${allowed.join(', ')}`, { field: unknown.slice(0, 40) });
  return r;
}

function optString(r: Record<string, unknown>, field: string, max: number): string | undefined {
  const v = r[field];
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v !== 'string' || v.length > max) throw errors.validation(`${field} must be a string of at most ${max} characters`, { field });
  return v;
}

function durationField(r: Record<string, unknown>, field: string, fallback: number): number {
  const v = optString(r, field, 64);
  if (v === undefined) return fallback;
  try {
    return parseDuration(v);
  } catch (err) {
    throw errors.validation(`${field}: ${err instanceof ParseError ? err.message : 'must be a duration like "24h"'}`, { field });
  }
}

function timeField(r: Record<string, unknown>, field: string, now: number): number | undefined {
  const v = r[field];
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v === 'number') {
    if (!Number.isSafeInteger(v) || v < 0) throw errors.validation(`${field} must be ms since the epoch`, { field });
    return v;
  }
  if (typeof v !== 'string' || v.length > 64) throw errors.validation(`${field} must be ms, RFC 3339, "now" or "now-7d"`, { field });
  try {
    return parseTime(v, now);
  } catch (err) {
    throw errors.validation(`${field}: ${err instanceof Error ? err.message : 'invalid time'}`, { field });
  }
}

/** The selector text from `query`, or from `metric` + optional `host`; syntax is checked here. */
function selectorText(r: Record<string, unknown>): string {
  const query = optString(r, 'query', 4096);
  const metric = optString(r, 'metric', 200);
  const host = optString(r, 'host', 256);
  if (query !== undefined && (metric !== undefined || host !== undefined)) throw errors.validation('give either query or metric (with host), not both', { field: 'query' });
  const text = query ?? (metric !== undefined ? (host !== undefined ? `${metric}{host=${JSON.stringify(host)}}` : metric) : undefined);
  if (text === undefined) throw errors.validation('query (a series selector) or metric is required, e.g. disk_used_percent{host="web-1"}', { field: 'query' });
  try {
    parseSelector(text);
  } catch (err) {
    throw new VigilError('VIGIL_ERR_SELECTOR_SYNTAX', err instanceof ParseError ? err.message : 'invalid selector');
  }
  return text;
}

/** The smallest "nice" step (≥ 1 min) that covers `rangeMs` in about 1,000 points. */
export function defaultForecastStep(rangeMs: number): number {
  const want = Math.max(MIN_DEFAULT_STEP_MS, rangeMs / TARGET_POINTS);
  return NICE_STEPS_MS.find((s) => s >= want) ?? Math.ceil(want / 86_400_000) * 86_400_000;
}

/** Range and grid shared by both endpoints; enforces the history-length limit. */
function readWindow(r: Record<string, unknown>, now: number): HistoryWindow {
  const query = selectorText(r);
  const to = timeField(r, 'to', now) ?? now;
  const fromGiven = timeField(r, 'from', now);
  if (fromGiven !== undefined && r.range !== undefined) throw errors.validation('give either from or range, not both', { field: 'range' });
  const from = fromGiven ?? to - durationField(r, 'range', DEFAULT_RANGE_MS);
  if (!(from < to)) throw errors.validation('from must be before to', { field: 'from' });
  let step: number;
  const stepText = optString(r, 'step', 32);
  if (stepText === undefined) step = defaultForecastStep(to - from);
  else {
    try {
      step = parseStep(stepText);
    } catch (err) {
      throw errors.validation(`step: ${err instanceof ParseError ? err.message : 'must be a duration like "5m"'}`, { field: 'step' });
    }
  }
  if (step < 1000) throw errors.validation('step must be at least 1s', { field: 'step' });
  const points = Math.ceil((to - from) / step);
  if (points > FORECAST_LIMITS.maxPoints) {
    throw new VigilError('VIGIL_ERR_FORECAST_INPUT', `the history would have ${points} points per series; the limit is ${FORECAST_LIMITS.maxPoints}: raise step or shorten the range`, { points, limit: FORECAST_LIMITS.maxPoints });
  }
  return { query, from, to, step };
}

/**
 * Validates a forecast request body. `now` resolves relative times (ms).
 * @throws VigilError `VIGIL_ERR_VALIDATION` (400) naming the field, `VIGIL_ERR_SELECTOR_SYNTAX`,
 * `VIGIL_ERR_FORECAST_INPUT` (too many points) or `VIGIL_ERR_FORECAST_HORIZON` (422).
 */
export function parseForecastRequest(raw: unknown, now: number): ForecastParams {
  const r = body(raw, FORECAST_FIELDS);
  const w = readWindow(r, now);
  const model = (r.model ?? 'auto') as ForecastModelName;
  if (typeof model !== 'string' || !FORECAST_MODELS.includes(model)) throw new VigilError('VIGIL_ERR_FORECAST_UNKNOWN_MODEL', `model must be one of ${FORECAST_MODELS.join(', ')}`, { field: 'model', known: FORECAST_MODELS });
  const horizonMs = durationField(r, 'horizon', DEFAULT_HORIZON_MS);
  const horizonSteps = Math.max(1, Math.ceil(horizonMs / w.step));
  if (horizonMs > FORECAST_LIMITS.maxHorizonMs || horizonSteps > FORECAST_LIMITS.maxHorizonSteps) {
    throw new VigilError('VIGIL_ERR_FORECAST_HORIZON', `the horizon must be at most ${formatDuration(FORECAST_LIMITS.maxHorizonMs)} and ${FORECAST_LIMITS.maxHorizonSteps} steps (this one is ${horizonSteps} steps of ${formatDuration(w.step)})`, { horizonSteps, limit: FORECAST_LIMITS.maxHorizonSteps });
  }
  if (horizonMs > w.to - w.from) {
    throw new VigilError('VIGIL_ERR_FORECAST_HORIZON', `the horizon (${formatDuration(horizonMs)}) is longer than the history (${formatDuration(w.to - w.from)}); forecast at most as far ahead as you look back`, { horizonMs, historyMs: w.to - w.from });
  }
  const levels = readLevels(r.levels);
  const threshold = r.threshold === undefined || r.threshold === null ? null : r.threshold;
  if (threshold !== null && (typeof threshold !== 'number' || !Number.isFinite(threshold))) throw errors.validation('threshold must be a finite number', { field: 'threshold' });
  const direction = r.direction ?? 'above';
  if (direction !== 'above' && direction !== 'below') throw errors.validation('direction must be above or below', { field: 'direction' });
  return { ...w, model, horizonMs, horizonSteps, levels, threshold, direction };
}

function readLevels(raw: unknown): number[] {
  if (raw === undefined || raw === null) return [80, 95];
  if (!Array.isArray(raw) || raw.length === 0 || raw.length > 2 || raw.some((x) => x !== 80 && x !== 95)) {
    throw errors.validation('levels must be a non-empty list of 80 and/or 95 (the computed prediction intervals)', { field: 'levels' });
  }
  return [...new Set(raw as number[])].sort((a, b) => a - b);
}

/**
 * Validates an anomaly request body. `k` defaults to 3.5 (0.5 .. 1000), `minAbsDeviation` to 0.
 * @throws VigilError as {@link parseForecastRequest}.
 */
export function parseAnomalyRequest(raw: unknown, now: number): AnomalyParams {
  const r = body(raw, ANOMALY_FIELDS);
  const w = readWindow(r, now);
  const detector = (r.detector ?? 'robust-z') as AnomalyDetectorName;
  if (typeof detector !== 'string' || !ANOMALY_DETECTORS.includes(detector)) throw new VigilError('VIGIL_ERR_FORECAST_UNKNOWN_MODEL', `detector must be one of ${ANOMALY_DETECTORS.join(', ')}`, { field: 'detector', known: ANOMALY_DETECTORS });
  const k = r.k ?? 3.5;
  if (typeof k !== 'number' || !Number.isFinite(k) || k < 0.5 || k > 1000) throw new VigilError('VIGIL_ERR_FORECAST_OPTIONS', 'k must be a number between 0.5 and 1000', { field: 'k' });
  const minAbsDeviation = r.minAbsDeviation ?? 0;
  if (typeof minAbsDeviation !== 'number' || !Number.isFinite(minAbsDeviation) || minAbsDeviation < 0) throw new VigilError('VIGIL_ERR_FORECAST_OPTIONS', 'minAbsDeviation must be a number ≥ 0', { field: 'minAbsDeviation' });
  return { ...w, detector, k, minAbsDeviation };
}

/** Registry name of the detector behind an API detector name. */
export function detectorRegistryName(d: AnomalyDetectorName): string {
  return d === 'seasonal' ? 'seasonal-baseline' : d === 'residual' ? 'forecast-residual' : d;
}
