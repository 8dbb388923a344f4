import type { Point, SeriesItem } from '../protocol/ingest.js';
import { LABEL_NAME_RE, METRIC_NAME_RE, SERVER_STAMPED_LABELS, WIRE_LIMITS } from '../protocol/limits.js';

/** Result of {@link sanitizeSeries}: the items that satisfy the wire contract, and what was dropped. */
export interface SanitizedSeries {
  series: SeriesItem[];
  /** Items dropped entirely (bad name, labels or no valid point). */
  droppedItems: number;
  /** Points dropped from otherwise valid items (non-finite value, bad timestamp, too many). */
  droppedPoints: number;
  /** The first few reasons, for a log line. */
  reasons: string[];
}

const MAX_REASONS = 5;
/** Distinct names remembered as valid; beyond this they are checked each time (a plugin may invent many). */
const NAME_CACHE_MAX = 4096;
const validMetrics = new Set<string>();
const validLabels = new Set<string>();

function isValidMetricName(metric: string): boolean {
  if (validMetrics.has(metric)) return true;
  const ok = metric.length <= WIRE_LIMITS.metricNameMax && METRIC_NAME_RE.test(metric);
  if (ok && validMetrics.size < NAME_CACHE_MAX) validMetrics.add(metric);
  return ok;
}

/** Whether `name` (already renamed when server-stamped) may be sent as a label name. */
function isValidLabelName(name: string): boolean {
  if (validLabels.has(name)) return true;
  const ok = LABEL_NAME_RE.test(name) && !name.startsWith('__') && name.length <= WIRE_LIMITS.labelNameMax;
  if (ok && validLabels.size < NAME_CACHE_MAX) validLabels.add(name);
  return ok;
}

/**
 * Checks collector output (built-in, plugin or exec) against the wire contract before it is
 * spooled, so a faulty plugin costs only its own bad items and never a whole batch: metric and
 * label names, label count and lengths, integer timestamps, finite values. Labels the server
 * stamps itself (`host`) are renamed `exported_<name>`, as Prometheus does on conflicts.
 * It runs on every item of every tick, so valid names are remembered and a points array whose
 * points are all valid is kept as it is.
 */
export function sanitizeSeries(items: unknown): SanitizedSeries {
  const out: SanitizedSeries = { series: [], droppedItems: 0, droppedPoints: 0, reasons: [] };
  if (!Array.isArray(items)) {
    out.reasons.push('collect() must return { series: [...] }');
    return out;
  }
  for (const item of items) {
    const reason = sanitizeItem(item, out);
    if (reason !== null) {
      out.droppedItems++;
      if (out.reasons.length < MAX_REASONS) out.reasons.push(reason);
    }
  }
  return out;
}

/** Adds the cleaned item to `out.series` and returns null, or returns why the whole item is dropped. */
function sanitizeItem(item: unknown, out: SanitizedSeries): string | null {
  if (typeof item !== 'object' || item === null) return 'series item is not an object';
  const { metric, labels, points } = item as { metric?: unknown; labels?: unknown; points?: unknown };
  if (typeof metric !== 'string' || !isValidMetricName(metric)) return `invalid metric name ${JSON.stringify(String(metric)).slice(0, 80)}`;
  const clean = cleanLabels(labels);
  if (typeof clean === 'string') return `${metric}: ${clean}`;
  if (!Array.isArray(points)) return `${metric}: points must be an array of [tsMs, value]`;
  const good = cleanPoints(points, out);
  if (good.length === 0) return points.length > 0 ? `${metric}: no point with an integer timestamp and a finite value` : null;
  out.series.push(clean === null ? { metric, points: good } : { metric, labels: clean, points: good });
  return null;
}

function isGoodPoint(p: unknown): p is Point {
  return Array.isArray(p) && p.length === 2 && Number.isSafeInteger(p[0]) && typeof p[1] === 'number' && Number.isFinite(p[1]);
}

/** The valid points (at most the wire limit); counts the others in `out.droppedPoints`. */
function cleanPoints(points: unknown[], out: SanitizedSeries): Point[] {
  let allGood = points.length <= WIRE_LIMITS.pointsPerSeriesMax;
  for (let i = 0; allGood && i < points.length; i++) allGood = isGoodPoint(points[i]);
  // The common case (built-in collectors): copying only the array, not every point, is enough
  // to keep later changes by the collector out of the spooled batch.
  if (allGood) return (points as Point[]).map((p) => [p[0], p[1]]);
  const good: Point[] = [];
  for (const p of points) {
    if (isGoodPoint(p) && good.length < WIRE_LIMITS.pointsPerSeriesMax) good.push([p[0], p[1]]);
    else out.droppedPoints++;
  }
  return good;
}

/** Returns cleaned labels, null when there are none, or a reason string when they are invalid. */
function cleanLabels(labels: unknown): Record<string, string> | null | string {
  if (labels === undefined || labels === null) return null;
  if (typeof labels !== 'object' || Array.isArray(labels)) return 'labels must be an object of strings';
  const names = Object.keys(labels);
  if (names.length === 0) return null;
  if (names.length > WIRE_LIMITS.labelsPerSeriesMax - 1) return `more than ${WIRE_LIMITS.labelsPerSeriesMax - 1} labels`;
  const out: Record<string, string> = {};
  for (const rawName of names) {
    const value: unknown = (labels as Record<string, unknown>)[rawName];
    const name = (SERVER_STAMPED_LABELS as readonly string[]).includes(rawName) ? `exported_${rawName}` : rawName;
    if (!isValidLabelName(name)) return `invalid label name ${JSON.stringify(rawName).slice(0, 80)}`;
    if (typeof value !== 'string') return `label ${name} must be a string`;
    if (value.length > WIRE_LIMITS.labelValueMax) return `label ${name} is longer than ${WIRE_LIMITS.labelValueMax} characters`;
    if (Object.prototype.hasOwnProperty.call(out, name)) return `label ${name} appears twice`;
    out[name] = value;
  }
  return out;
}
