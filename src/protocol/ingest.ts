import { Type, type Static } from '@sinclair/typebox';
import type { ItemErrorCode } from './error-codes.js';

/** One sample: `[timestamp in ms since the Unix epoch (integer), value (finite float64)]`. */
export const PointSchema = Type.Tuple([Type.Integer(), Type.Number()]);
/** One sample tuple `[tsMs, value]`. */
export type Point = [number, number];

/** Samples of one series in a batch. The server adds the `host` label from the key. */
export const SeriesItemSchema = Type.Object({
  metric: Type.String({ description: 'Metric name, `[a-zA-Z_:][a-zA-Z0-9_:]*`.' }),
  labels: Type.Optional(Type.Record(Type.String(), Type.String(), { description: 'Label name → value.' })),
  points: Type.Array(PointSchema, { description: '`[tsMs, value]` pairs, any order.' }),
});
/** Samples of one series in an ingest batch. */
export interface SeriesItem {
  metric: string;
  labels?: Record<string, string>;
  points: Point[];
}

/**
 * The same samples in columns, for bulk clients: `ts[i]` and `values[i]` form point `i`. It parses
 * with fewer allocations than pairs (about a third less server CPU per sample with many points per
 * series); the meaning and every per-point rule are those of the `points` form.
 */
export const ColumnarSeriesItemSchema = Type.Object({
  metric: Type.String({ description: 'Metric name, `[a-zA-Z_:][a-zA-Z0-9_:]*`.' }),
  labels: Type.Optional(Type.Record(Type.String(), Type.String(), { description: 'Label name → value.' })),
  ts: Type.Array(Type.Integer(), { description: 'Timestamps in ms since the Unix epoch, any order.' }),
  values: Type.Array(Type.Number(), { description: 'Values, parallel to `ts` (same length).' }),
});
/** Samples of one series in the columnar form. */
export interface ColumnarSeriesItem {
  metric: string;
  labels?: Record<string, string>;
  ts: number[];
  values: number[];
}

/** A process in an agent's top-processes snapshot. */
export const ProcessInfoSchema = Type.Object({
  pid: Type.Integer(),
  name: Type.String(),
  user: Type.Optional(Type.String()),
  state: Type.Optional(Type.String()),
  cpuPercent: Type.Number({ description: 'CPU use over the last interval, % of one core.' }),
  memoryBytes: Type.Number({ description: 'Resident set size in bytes.' }),
  memoryPercent: Type.Optional(Type.Number()),
  command: Type.Optional(Type.String()),
});
/** A process in a top-processes snapshot. */
export type ProcessInfo = Static<typeof ProcessInfoSchema>;

/** Top processes at one instant (the agent sends the top N by CPU and by memory). */
export const ProcessSnapshotSchema = Type.Object({
  ts: Type.Integer(),
  processes: Type.Array(ProcessInfoSchema, { maxItems: 200 }),
});
/** Top processes at one instant. */
export type ProcessSnapshot = Static<typeof ProcessSnapshotSchema>;

/** The agent's own health counters, sent with each batch (monotonic since agent start). */
export const AgentStatsSchema = Type.Object({
  droppedSamples: Type.Integer({ description: 'Samples dropped by the spool drop policy since the agent first started.' }),
  droppedBatches: Type.Integer(),
  rejectedItems: Type.Integer({ description: 'Items the server rejected with a non-retryable 4xx.' }),
  spoolBytes: Type.Integer({ description: 'Bytes currently buffered on disk.' }),
  spoolBatches: Type.Integer(),
  lastError: Type.Optional(Type.String()),
});
/** The agent's own health counters. */
export type AgentStats = Static<typeof AgentStatsSchema>;

/** Body of `POST /api/v1/ingest` (JSON, optionally gzip-encoded). */
export const IngestBatchSchema = Type.Object({
  protocol: Type.Optional(Type.Integer()),
  series: Type.Array(Type.Union([SeriesItemSchema, ColumnarSeriesItemSchema])),
  processes: Type.Optional(ProcessSnapshotSchema),
  agentStats: Type.Optional(AgentStatsSchema),
});
/**
 * Body of `POST /api/v1/ingest` as the agent sends it (the `points` form); the schema also admits
 * {@link ColumnarSeriesItem}s, which bulk clients may send instead.
 */
export interface IngestBatch {
  protocol?: number;
  series: SeriesItem[];
  processes?: ProcessSnapshot;
  agentStats?: AgentStats;
}

/** One rejected item: `index` is the series item, `point` the point within it when relevant. */
export interface ItemError {
  index: number;
  point?: number;
  code: ItemErrorCode;
  message: string;
}

/**
 * Answer of `POST /api/v1/ingest`. 200 when everything was stored (exact duplicates count as
 * stored); 422 with the same shape when some items were rejected (valid ones are stored; never
 * retry the batch). `errors` lists at most 100 items; `rejected` counts all of them.
 */
export interface IngestResult {
  accepted: number;
  duplicates: number;
  rejected: number;
  errors: ItemError[];
  /** True when this answer is a replay for a repeated `Idempotency-Key`. */
  replayed?: boolean;
}

/** Body of `POST /api/v1/agents/register` (sent at agent start and when facts change). */
export const AgentHelloSchema = Type.Object({
  hostname: Type.String({ minLength: 1, maxLength: 255 }),
  os: Type.String({ maxLength: 100, description: 'e.g. "linux"' }),
  osRelease: Type.Optional(Type.String({ maxLength: 200, description: 'Distribution name, e.g. "Debian GNU/Linux 12"' })),
  kernel: Type.String({ maxLength: 200 }),
  arch: Type.String({ maxLength: 50 }),
  agentVersion: Type.String({ maxLength: 50 }),
  intervalMs: Type.Integer({ minimum: 1000, maximum: 3_600_000 }),
  cpuCount: Type.Integer({ minimum: 0, maximum: 100_000 }),
  memoryBytes: Type.Number({ minimum: 0 }),
  bootTime: Type.Optional(Type.Integer({ description: 'Host boot time, ms since epoch.' })),
  capabilities: Type.Array(Type.String({ maxLength: 100 }), { maxItems: 200, description: 'Collectors running.' }),
  unavailable: Type.Array(Type.String({ maxLength: 300 }), { maxItems: 200, description: 'Collectors unavailable on this OS, with reason.' }),
}, { additionalProperties: false });
/** Facts an agent reports about its host. */
export type AgentHello = Static<typeof AgentHelloSchema>;
