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

/**
 * Checks collector output (built-in, plugin or exec) against the wire contract before it is
 * spooled, so a faulty plugin costs only its own bad items and never a whole batch: metric and
 * label names, label count and lengths, integer timestamps, finite values. Labels the server
 * stamps itself (`host`) are renamed `exported_<name>`, as Prometheus does on conflicts.
 */
export function sanitizeSeries(items: unknown): SanitizedSeries {
  const out: SanitizedSeries = { series: [], droppedItems: 0, droppedPoints: 0, reasons: [] };
  if (!Array.isArray(items)) {
    out.reasons.push('collect() must return { series: [...] }');
    return out;
  }
  const reject = (reason: string) => {
    out.droppedItems++;
    if (out.reasons.length < MAX_REASONS) out.reasons.push(reason);
  };
  for (const item of items) {
    if (typeof item !== 'object' || item === null) {
      reject('series item is not an object');
      continue;
    }
    const { metric, labels, points } = item as { metric?: unknown; labels?: unknown; points?: unknown };
    if (typeof metric !== 'string' || metric.length > WIRE_LIMITS.metricNameMax || !METRIC_NAME_RE.test(metric)) {
      reject(`invalid metric name ${JSON.stringify(String(metric)).slice(0, 80)}`);
      continue;
    }
    const clean = cleanLabels(labels);
    if (typeof clean === 'string') {
      reject(`${metric}: ${clean}`);
      continue;
    }
    if (!Array.isArray(points)) {
      reject(`${metric}: points must be an array of [tsMs, value]`);
      continue;
    }
    const good: Point[] = [];
    for (const p of points) {
      const ok = Array.isArray(p) && p.length === 2 && Number.isSafeInteger(p[0]) && typeof p[1] === 'number' && Number.isFinite(p[1]);
      if (ok && good.length < WIRE_LIMITS.pointsPerSeriesMax) good.push([p[0] as number, p[1] as number]);
      else out.droppedPoints++;
    }
    if (good.length === 0) {
      if (points.length > 0) reject(`${metric}: no point with an integer timestamp and a finite value`);
      continue;
    }
    out.series.push(clean === null ? { metric, points: good } : { metric, labels: clean, points: good });
  }
  return out;
}

/** Returns cleaned labels, null when there are none, or a reason string when they are invalid. */
function cleanLabels(labels: unknown): Record<string, string> | null | string {
  if (labels === undefined || labels === null) return null;
  if (typeof labels !== 'object' || Array.isArray(labels)) return 'labels must be an object of strings';
  const entries = Object.entries(labels);
  if (entries.length === 0) return null;
  if (entries.length > WIRE_LIMITS.labelsPerSeriesMax - 1) return `more than ${WIRE_LIMITS.labelsPerSeriesMax - 1} labels`;
  const out: Record<string, string> = {};
  for (const [rawName, value] of entries) {
    const name = (SERVER_STAMPED_LABELS as readonly string[]).includes(rawName) ? `exported_${rawName}` : rawName;
    if (!LABEL_NAME_RE.test(name) || name.startsWith('__') || name.length > WIRE_LIMITS.labelNameMax) return `invalid label name ${JSON.stringify(rawName).slice(0, 80)}`;
    if (typeof value !== 'string') return `label ${name} must be a string`;
    if (value.length > WIRE_LIMITS.labelValueMax) return `label ${name} is longer than ${WIRE_LIMITS.labelValueMax} characters`;
    if (Object.prototype.hasOwnProperty.call(out, name)) return `label ${name} appears twice`;
    out[name] = value;
  }
  return out;
}
