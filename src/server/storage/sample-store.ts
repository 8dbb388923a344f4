import type { QueryTier } from '../../protocol/query.js';

/** One sample addressed to a series id (resolved through the `SeriesIndex`). */
export interface SampleRow {
  seriesId: number;
  /** Milliseconds since the Unix epoch (integer). */
  ts: number;
  /** Finite float64 (NaN/±Inf are rejected before storage). */
  value: number;
}

/**
 * A batch of samples as parallel columns: sample `i` is `(seriesIds[i], ts[i], values[i])`, each
 * field with the meaning of {@link SampleRow}. The ingest path builds batches this way so that a
 * 10,000-sample request allocates three arrays instead of 10,000 row objects.
 */
export interface SampleColumns {
  seriesIds: ArrayLike<number>;
  /** Milliseconds since the Unix epoch (integers). */
  ts: ArrayLike<number>;
  values: ArrayLike<number>;
}

/** The columns of `rows`, in order (tests, tools and small callers write rows). */
export function columnsOf(rows: readonly SampleRow[]): SampleColumns {
  const n = rows.length;
  const out = { seriesIds: new Float64Array(n), ts: new Float64Array(n), values: new Float64Array(n) };
  for (let i = 0; i < n; i++) {
    const r = rows[i]!;
    out.seriesIds[i] = r.seriesId;
    out.ts[i] = r.ts;
    out.values[i] = r.value;
  }
  return out;
}

/**
 * What happened to one appended row:
 * - `stored`: new sample, durable when `append` resolves;
 * - `duplicate`: the exact same (series, ts, value) is already stored; a no-op;
 * - `conflict`: another value is stored at that (series, ts); rejected;
 * - `too_old`: older than the store accepts for that series (out-of-order window); rejected.
 */
export type AppendOutcome = 'stored' | 'duplicate' | 'conflict' | 'too_old';

/** Per-bucket aggregates of one series; `null` in the bucket list means "no sample". */
export interface BucketStats {
  min: number;
  max: number;
  sum: number;
  count: number;
  /** Value of the newest sample in the bucket. */
  last: number;
}

/** Result of a bucketed read: one bucket list per series, aligned on `floor(ts / step) * step`. */
export interface BucketReadResult {
  /** Which storage tier answered (raw samples or a rollup). */
  tier: QueryTier;
  /** Series id → buckets, index i covers `[firstBucket + i*step, firstBucket + (i+1)*step)`. */
  buckets: Map<number, (BucketStats | null)[]>;
  /** Samples (or rollup rows) read to answer; for the query stats. */
  samplesScanned: number;
}

/** Raw samples of one series, sorted by ts ascending. */
export interface RawSeries {
  ts: number[];
  values: number[];
}

/** Disk use and volume figures for the settings page and `/metrics`. */
export interface SampleStoreStats {
  /** Bytes on disk per tier (`raw`, `1m`, `1h`, plus engine-specific parts such as `log`). */
  bytesByTier: Record<string, number>;
  /** Samples stored, when the engine knows it cheaply (else null). */
  samples: number | null;
  /** Oldest sample timestamp per tier (ms), null when the tier is empty. */
  oldestByTier: Record<string, number | null>;
  /** Retention per tier in ms, as configured. */
  retentionByTier: Record<string, number>;
  /**
   * Engine counters for `/metrics` (e.g. `corrupt_chunks`: damaged blobs detected and skipped;
   * `head_samples`: samples held in memory). Optional: simple stores have none.
   */
  counters?: Record<string, number>;
}

/**
 * The narrow sample interface every metric feature goes through. Implementations: the row store of
 * the foundation and the compressed engine (`src/server/tsdb/`) on SQLite and PostgreSQL.
 * All methods are safe to call concurrently; `append` resolves only after the rows are durable
 * (the 2xx of the ingest API is sent after it resolves).
 */
export interface SampleStore {
  /** Appends a batch atomically (one transaction); outcomes are parallel to `rows`. */
  append(rows: readonly SampleRow[]): Promise<AppendOutcome[]>;
  /** {@link SampleStore.append} for a columnar batch (the ingest path); outcomes parallel to the columns. */
  appendColumns(batch: SampleColumns): Promise<AppendOutcome[]>;
  /** Raw samples with `start <= ts < end` for each id (missing ids map to empty series). */
  readRaw(seriesIds: readonly number[], start: number, end: number): Promise<Map<number, RawSeries>>;
  /**
   * Per-step aggregates over `[start, end)`, buckets aligned at multiples of `step` (ms). The store
   * picks the coarsest tier whose resolution divides `step` and says which one answered.
   */
  readBuckets(seriesIds: readonly number[], start: number, end: number, step: number): Promise<BucketReadResult>;
  /** Newest sample of each series (absent when the series has none). */
  latest(seriesIds: readonly number[]): Promise<Map<number, { ts: number; value: number }>>;
  /** Size and age figures per tier. */
  stats(): Promise<SampleStoreStats>;
  /** Background maintenance (compaction, rollups, retention) up to `now` (ms); idempotent. */
  maintain(now: number): Promise<void>;
  close(): Promise<void>;
}
