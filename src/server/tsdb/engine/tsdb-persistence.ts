/**
 * The storage-specific part of the time-series engine: a small set of durable operations on
 * opaque byte blobs. SQLite implements it with better-sqlite3 (`storage/sqlite/`); PostgreSQL can
 * implement it with bytea columns and COPY for the log. Every method that changes several things
 * does so atomically (one transaction), which is what makes the engine crash-safe at every step.
 * Errors meaning "cannot write now" are typed storage errors (`VigilError` 503), never raw driver
 * errors.
 */
export interface TsdbPersistence {
  /** Appends one ingest-log record; durable when it resolves. Returns its sequence number (> 0). */
  appendLog(record: Uint8Array): Promise<number>;
  /** Log records with `seq > afterSeq`, in sequence order. */
  readLog(afterSeq: number): AsyncIterable<LogEntry>;
  /** The newest head checkpoint, or null when none was written. */
  readCheckpoint(): Promise<Checkpoint | null>;
  /** Atomically replaces the checkpoint with `parts` (covering the log up to `seq`) and deletes log records `<= seq`. */
  writeCheckpoint(seq: number, parts: readonly Uint8Array[]): Promise<void>;
  /** Atomically stores finalized chunks and marks the rollup windows they touch as dirty. */
  commitChunks(chunks: readonly StoredChunk[], dirty: readonly RollupWindow[]): Promise<void>;
  /** Chunks of one series that overlap `[start, end)` (ms), ascending. */
  readChunks(seriesId: number, start: number, end: number): Promise<StoredChunk[]>;
  /** The newest chunk of a series, or null. */
  lastChunk(seriesId: number): Promise<StoredChunk | null>;
  /** Newest persisted timestamp per series (read once at startup). */
  persistedMaxTs(): Promise<Map<number, number>>;
  /** Up to `limit` dirty windows of a tier, oldest window first. */
  dirtyWindows(tier: RollupTier, limit: number): Promise<RollupWindow[]>;
  /** Starts of the dirty windows of one series in `[start, end)`. */
  dirtyWindowStarts(tier: RollupTier, seriesId: number, start: number, end: number): Promise<number[]>;
  /** Rollup blocks of one series whose window starts in `[start, end)`, ascending. */
  readRollups(tier: RollupTier, seriesId: number, start: number, end: number): Promise<StoredRollup[]>;
  /**
   * Atomically writes a rollup block (deletes it when `bytes` is null), clears the window's dirty
   * mark, marks `next` (the enclosing window of the coarser tier) dirty and, when `rewrite` is
   * given, replaces that series' chunks starting at `rewrite.remove` by `rewrite.add` (the same
   * samples in fewer, larger chunks).
   */
  writeRollup(window: RollupWindow, bytes: Uint8Array | null, next: RollupWindow | null, rewrite: ChunkRewrite | null): Promise<void>;
  /**
   * Retention of whole chunks: deletes chunks whose newest sample is before `cutoff` (ms), except
   * those under a dirty 1 m window (not rolled up yet). Returns the number deleted.
   */
  deleteChunksBefore(cutoff: number): Promise<number>;
  /** Deletes rollup blocks of `tier` whose window ends at or before `cutoff`, except under a dirty coarser window. */
  deleteRollupsBefore(tier: RollupTier, cutoff: number): Promise<number>;
  /** Bytes on disk and oldest timestamp per part (`raw`, `1m`, `1h`, `log`). Can be slow: the engine caches it. */
  footprint(): Promise<Record<string, PartFootprint>>;
  /**
   * Optional (backends where several processes write, i.e. PostgreSQL): what changed in the heads
   * of the *other* writers since `known` (writer id → cursor), read in one consistent snapshot.
   * Absent on single-process backends (SQLite).
   */
  readPeers?(known: ReadonlyMap<string, PeerCursor>): Promise<PeerDelta[]>;
  close(): Promise<void>;
}

/** How far a peer writer's head has been followed. */
export interface PeerCursor {
  /** Log sequence its checkpoint covers (0 when it has none). */
  checkpointSeq: number;
  /** Newest log record already applied. */
  lastSeq: number;
}

/** Change of one peer writer's head since its cursor. */
export interface PeerDelta {
  writer: string;
  /**
   * `reload`: the checkpoint changed (or the writer is new): rebuild from `parts` + `log`.
   * `tail`: apply `log` (records after the cursor). `gone`: the writer has no data left.
   */
  kind: 'reload' | 'tail' | 'gone';
  checkpointSeq: number;
  parts: Uint8Array[];
  log: LogEntry[];
}

/** A rollup tier: 1 minute or 1 hour buckets. */
export type RollupTier = '1m' | '1h';

/** One ingest-log record as stored. */
export interface LogEntry {
  seq: number;
  data: Uint8Array;
}

/** A head checkpoint: the head's chunks as of log sequence `seq`. */
export interface Checkpoint {
  seq: number;
  parts: Uint8Array[];
}

/** A finalized chunk of one series, keyed by `(seriesId, minTs)`. */
export interface StoredChunk {
  seriesId: number;
  /** First and last sample timestamp, ms. */
  minTs: number;
  maxTs: number;
  count: number;
  bytes: Uint8Array;
}

/** One window of a rollup tier for one series (windows are aligned: see `ROLLUP_WINDOW_MS`). */
export interface RollupWindow {
  tier: RollupTier;
  seriesId: number;
  /** Window start, ms, a multiple of the tier's window length. */
  windowStart: number;
}

/** Chunks of one series replaced by merged ones holding exactly the same samples. */
export interface ChunkRewrite {
  seriesId: number;
  /** `minTs` of the chunks to delete. */
  remove: number[];
  add: StoredChunk[];
}

/** A stored rollup block. */
export interface StoredRollup {
  windowStart: number;
  bytes: Uint8Array;
}

/** Size and age of one stored part. */
export interface PartFootprint {
  bytes: number;
  /** Oldest timestamp held (ms), null when empty or unknown. */
  oldest: number | null;
  /** Samples (raw) or buckets (rollups) held, null when unknown. */
  items: number | null;
}

/**
 * Window length per rollup tier, ms: 1 m buckets are stored in 2 h blocks (120 buckets), 1 h
 * buckets in 1 day blocks (24 buckets). A block is rebuilt whole when late data lands in it.
 */
export const ROLLUP_WINDOW_MS: Record<RollupTier, number> = { '1m': 2 * 3_600_000, '1h': 86_400_000 };
