import type { ItemErrorCode } from '../../protocol/error-codes.js';
import type { AgentStats, ItemError, ProcessInfo, ProcessSnapshot } from '../../protocol/ingest.js';
import { LABEL_NAME_RE, METRIC_NAME_RE, SERVER_STAMPED_LABELS, WIRE_LIMITS } from '../../protocol/limits.js';
import { VigilError } from '../core/errors.js';

/** Limits applied by the parser; defaults are the wire defaults. */
export interface ParseLimits {
  /** Now, ms since epoch (from the injected clock). */
  now: number;
  /** Oldest accepted sample age in ms (older → `VIGIL_ERR_TIMESTAMP_TOO_OLD`). */
  maxAgeMs: number;
  /** Accepted skew into the future in ms (default 5 min). */
  futureSkewMs?: number;
  seriesPerBatchMax?: number;
  pointsPerSeriesMax?: number;
  labelsPerSeriesMax?: number;
  labelValueMax?: number;
}

/** A valid series item with its valid points (sorted by ts, in-batch exact duplicates removed). */
export interface ParsedSeries {
  index: number;
  metric: string;
  labels: Record<string, string>;
  /**
   * Identity of the series within its agent: `metric NUL name NUL value …` over the kept labels in
   * sorted order (NUL cannot occur in names or values, so keys never collide).
   */
  key: string;
  ts: number[];
  values: number[];
  /**
   * Original point index of each kept point, for per-point error reporting; `null` when every
   * point was kept in the order sent (the common case, so nothing is allocated per point).
   */
  pointIndex: number[] | null;
}

/** The parse result: valid items plus one error per rejected item or point. */
export interface ParsedBatch {
  series: ParsedSeries[];
  errors: ItemError[];
  /** Points rejected (an item-level error counts all its points). */
  rejectedPoints: number;
  processes: ProcessSnapshot | null;
  agentStats: AgentStats | null;
}

class ItemReject extends Error {
  constructor(
    readonly code: ItemErrorCode,
    message: string,
  ) {
    super(message);
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Validates an untrusted ingest body item by item. Whole-body problems (not an object, no
 * `series` array, too many items) throw a `VigilError`; everything else becomes a per-item or
 * per-point error while valid items are kept. Never throws anything else, whatever the input.
 */
export function parseIngestBatch(body: unknown, limits: ParseLimits): ParsedBatch {
  if (!isRecord(body)) throw new VigilError('VIGIL_ERR_VALIDATION', 'body must be a JSON object with a "series" array');
  if (body.protocol !== undefined && body.protocol !== 1) throw new VigilError('VIGIL_ERR_VALIDATION', `unsupported protocol ${JSON.stringify(body.protocol)}; this server speaks 1`);
  const items = body.series;
  if (!Array.isArray(items)) throw new VigilError('VIGIL_ERR_VALIDATION', '"series" must be an array');
  const maxItems = limits.seriesPerBatchMax ?? WIRE_LIMITS.seriesPerBatchMax;
  if (items.length > maxItems) throw new VigilError('VIGIL_ERR_PAYLOAD_TOO_LARGE', `batch has ${items.length} series items; the limit is ${maxItems}`);
  const out: ParsedBatch = { series: [], errors: [], rejectedPoints: 0, processes: parseProcesses(body.processes), agentStats: parseAgentStats(body.agentStats) };
  items.forEach((item, index) => {
    try {
      const parsed = parseItem(item, index, limits, out);
      if (parsed.ts.length > 0) out.series.push(parsed);
    } catch (err) {
      if (!(err instanceof ItemReject)) throw err;
      out.errors.push({ index, code: err.code, message: err.message });
      out.rejectedPoints += itemPointCount(item);
    }
  });
  return out;
}

/** Points an item claims to carry (an item-level error rejects all of them, at least one). */
function itemPointCount(item: unknown): number {
  if (!isRecord(item)) return 1;
  const list = Array.isArray(item.points) ? item.points : Array.isArray(item.ts) ? item.ts : null;
  return list ? Math.max(1, list.length) : 1;
}

function parseItem(item: unknown, index: number, limits: ParseLimits, out: ParsedBatch): ParsedSeries {
  if (!isRecord(item)) throw new ItemReject('VIGIL_ERR_ITEM_SHAPE', 'series item must be an object {metric, labels, points} or {metric, labels, ts, values}');
  const metric = item.metric;
  if (typeof metric !== 'string' || metric.length > WIRE_LIMITS.metricNameMax || !METRIC_NAME_RE.test(metric)) {
    throw new ItemReject('VIGIL_ERR_METRIC_NAME', `metric name must match [a-zA-Z_:][a-zA-Z0-9_:]* and be at most ${WIRE_LIMITS.metricNameMax} characters`);
  }
  const { labels, key } = parseLabels(item.labels, limits, metric);
  const maxPoints = limits.pointsPerSeriesMax ?? WIRE_LIMITS.pointsPerSeriesMax;
  if (item.points === undefined && (item.ts !== undefined || item.values !== undefined)) {
    const { ts, values } = item;
    if (!Array.isArray(ts) || !Array.isArray(values) || ts.length !== values.length) {
      throw new ItemReject('VIGIL_ERR_ITEM_SHAPE', '"ts" and "values" must be arrays of the same length');
    }
    if (ts.length > maxPoints) throw new ItemReject('VIGIL_ERR_TOO_MANY_POINTS', `series item has ${ts.length} points; the limit is ${maxPoints}`);
    return withPoints(index, metric, labels, key, parseColumns(ts, values, index, limits, out));
  }
  if (!Array.isArray(item.points)) throw new ItemReject('VIGIL_ERR_ITEM_SHAPE', '"points" must be an array of [timestampMs, value] (or send "ts" and "values" arrays)');
  if (item.points.length > maxPoints) throw new ItemReject('VIGIL_ERR_TOO_MANY_POINTS', `series item has ${item.points.length} points; the limit is ${maxPoints}`);
  return withPoints(index, metric, labels, key, parsePoints(item.points, index, limits, out));
}

function withPoints(index: number, metric: string, labels: Record<string, string>, key: string, cols: PointColumns): ParsedSeries {
  return { index, metric, labels, key, ts: cols.ts, values: cols.values, pointIndex: cols.pointIndex };
}

/** Validated labels (empty values dropped) and the series key built from them on the way. */
function parseLabels(raw: unknown, limits: ParseLimits, metric: string): { labels: Record<string, string>; key: string } {
  if (raw === undefined || raw === null) return { labels: {}, key: metric };
  if (!isRecord(raw)) throw new ItemReject('VIGIL_ERR_ITEM_SHAPE', '"labels" must be an object of string values');
  const names = Object.keys(raw);
  const maxLabels = (limits.labelsPerSeriesMax ?? WIRE_LIMITS.labelsPerSeriesMax) - SERVER_STAMPED_LABELS.length;
  if (names.length > maxLabels) throw new ItemReject('VIGIL_ERR_TOO_MANY_LABELS', `series has ${names.length} labels; the limit is ${maxLabels}`);
  const maxValue = limits.labelValueMax ?? WIRE_LIMITS.labelValueMax;
  const labels: Record<string, string> = {};
  let key = metric;
  for (const name of names.sort()) {
    const value = raw[name];
    if (name.length > WIRE_LIMITS.labelNameMax || !LABEL_NAME_RE.test(name) || name.startsWith('__')) {
      throw new ItemReject('VIGIL_ERR_LABEL_NAME', `label name ${JSON.stringify(name.slice(0, 100))} must match [a-zA-Z_][a-zA-Z0-9_]* and not start with "__"`);
    }
    if ((SERVER_STAMPED_LABELS as readonly string[]).includes(name)) {
      throw new ItemReject('VIGIL_ERR_RESERVED_LABEL', `label "${name}" is set by the server from the agent key; remove it`);
    }
    if (typeof value !== 'string') throw new ItemReject('VIGIL_ERR_LABEL_VALUE', `label "${name}" must have a string value`);
    if (value.length > maxValue) throw new ItemReject('VIGIL_ERR_LABEL_VALUE', `label "${name}" value is longer than ${maxValue} characters`);
    if (!value.isWellFormed() || value.includes('\u0000')) throw new ItemReject('VIGIL_ERR_LABEL_VALUE', `label "${name}" value has invalid Unicode or a NUL character`);
    if (value === '') continue;
    labels[name] = value;
    key += `\u0000${name}\u0000${value}`;
  }
  return { labels, key };
}

function pointError(ts: unknown, value: unknown, limits: ParseLimits): [ItemErrorCode, string] | null {
  if (typeof ts !== 'number' || !Number.isSafeInteger(ts) || ts < 0) return ['VIGIL_ERR_TIMESTAMP', 'timestamp must be a non-negative integer of milliseconds since the Unix epoch'];
  if (ts > limits.now + (limits.futureSkewMs ?? WIRE_LIMITS.futureSkewMs)) return ['VIGIL_ERR_TIMESTAMP_TOO_NEW', 'timestamp is too far in the future; check the host clock'];
  if (ts < limits.now - limits.maxAgeMs) return ['VIGIL_ERR_TIMESTAMP_TOO_OLD', 'timestamp is older than the accepted window'];
  if (typeof value !== 'number' || !Number.isFinite(value)) return ['VIGIL_ERR_VALUE', 'value must be a finite number (NaN and ±Inf are not accepted)'];
  return null;
}

/** Valid points of one item: strictly increasing timestamps, with their original indexes. */
interface PointColumns {
  ts: number[];
  values: number[];
  /** `null`: point `k` is original point `k` (nothing was dropped or reordered). */
  pointIndex: number[] | null;
}

const SHAPE_ERROR: [ItemErrorCode, string] = ['VIGIL_ERR_ITEM_SHAPE', 'point must be [timestampMs, value]'];

/** Records a rejected point. */
function rejectPoint(out: ParsedBatch, index: number, point: number, err: [ItemErrorCode, string]): void {
  out.errors.push({ index, point, code: err[0], message: err[1] });
  out.rejectedPoints++;
}

/** Original indexes of the first `n` kept points when they were kept as sent. */
function identity(n: number): number[] {
  return Array.from({ length: n }, (_, k) => k);
}

function parsePoints(points: unknown[], index: number, limits: ParseLimits, out: ParsedBatch): PointColumns {
  const cols: PointColumns = { ts: [], values: [], pointIndex: null };
  // Fast path: agents send points in time order, so validate and append without sorting or
  // allocating per point; fall back to the general path at the first point out of order.
  for (let i = 0; i < points.length; i++) {
    const p = points[i];
    const err = Array.isArray(p) && p.length === 2 ? pointError(p[0], p[1], limits) : SHAPE_ERROR;
    if (err) {
      rejectPoint(out, index, i, err);
      cols.pointIndex ??= identity(cols.ts.length);
      continue;
    }
    const ts = (p as number[])[0] as number;
    const last = cols.ts.length - 1;
    if (last >= 0 && ts <= (cols.ts[last] as number)) return parseUnordered((k) => points[k], points.length, index, limits, out, i, cols);
    cols.ts.push(ts);
    cols.values.push((p as number[])[1] as number);
    cols.pointIndex?.push(i);
  }
  return cols;
}

/**
 * The columnar form (`ts` and `values` arrays, for bulk clients): when every point is valid and
 * in order, the parsed arrays are kept as they are (no copy).
 */
function parseColumns(ts: unknown[], values: unknown[], index: number, limits: ParseLimits, out: ParsedBatch): PointColumns {
  let prev = -Infinity;
  for (let i = 0; i < ts.length; i++) {
    const t = ts[i];
    if (pointError(t, values[i], limits) !== null || (t as number) <= prev) return parseColumnsSlow(ts, values, index, limits, out);
    prev = t as number;
  }
  return { ts: ts as number[], values: values as number[], pointIndex: null };
}

/** Columns with a bad or out-of-order point: the points path's rules, point by point. */
function parseColumnsSlow(ts: unknown[], values: unknown[], index: number, limits: ParseLimits, out: ParsedBatch): PointColumns {
  return parseUnordered((k) => [ts[k], values[k]], ts.length, index, limits, out, 0, { ts: [], values: [], pointIndex: null });
}

/** General path from point `from` on: sort the rest with what was kept, drop in-batch repeats. */
function parseUnordered(pointAt: (i: number) => unknown, count: number, index: number, limits: ParseLimits, out: ParsedBatch, from: number, done: PointColumns): PointColumns {
  const kept = done.ts.map((ts, k) => ({ ts, value: done.values[k] as number, i: done.pointIndex ? (done.pointIndex[k] as number) : k }));
  for (let i = from; i < count; i++) {
    const p = pointAt(i);
    const err = Array.isArray(p) && p.length === 2 ? pointError(p[0], p[1], limits) : SHAPE_ERROR;
    if (err) rejectPoint(out, index, i, err);
    else kept.push({ ts: (p as number[])[0] as number, value: (p as number[])[1] as number, i });
  }
  kept.sort((a, b) => a.ts - b.ts || a.i - b.i);
  const cols = { ts: [] as number[], values: [] as number[], pointIndex: [] as number[] };
  for (const k of kept) {
    const last = cols.ts.length - 1;
    if (last >= 0 && cols.ts[last] === k.ts) {
      if (Object.is(cols.values[last], k.value)) continue;
      rejectPoint(out, index, k.i, ['VIGIL_ERR_DUPLICATE_TIMESTAMP', 'two different values for the same timestamp in one batch']);
      continue;
    }
    cols.ts.push(k.ts);
    cols.values.push(k.value);
    cols.pointIndex.push(k.i);
  }
  return cols;
}

function parseProcesses(raw: unknown): ProcessSnapshot | null {
  if (!isRecord(raw) || !Number.isSafeInteger(raw.ts) || !Array.isArray(raw.processes)) return null;
  const processes: ProcessInfo[] = [];
  for (const p of raw.processes.slice(0, 200)) {
    if (!isRecord(p) || !Number.isSafeInteger(p.pid) || typeof p.name !== 'string') continue;
    const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
    const str = (v: unknown, max: number) => (typeof v === 'string' ? v.slice(0, max) : undefined);
    const info: ProcessInfo = { pid: p.pid as number, name: p.name.slice(0, 200), cpuPercent: num(p.cpuPercent), memoryBytes: num(p.memoryBytes) };
    const user = str(p.user, 100);
    const state = str(p.state, 20);
    const command = str(p.command, 500);
    if (user !== undefined) info.user = user;
    if (state !== undefined) info.state = state;
    if (command !== undefined) info.command = command;
    if (typeof p.memoryPercent === 'number' && Number.isFinite(p.memoryPercent)) info.memoryPercent = p.memoryPercent;
    processes.push(info);
  }
  return { ts: raw.ts as number, processes };
}

function parseAgentStats(raw: unknown): AgentStats | null {
  if (!isRecord(raw)) return null;
  const int = (v: unknown) => (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 ? v : 0);
  const stats: AgentStats = {
    droppedSamples: int(raw.droppedSamples),
    droppedBatches: int(raw.droppedBatches),
    rejectedItems: int(raw.rejectedItems),
    spoolBytes: int(raw.spoolBytes),
    spoolBatches: int(raw.spoolBatches),
  };
  if (typeof raw.lastError === 'string') stats.lastError = raw.lastError.slice(0, 500);
  return stats;
}
