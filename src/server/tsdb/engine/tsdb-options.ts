import type { Logger } from '../../../options/command.js';
import type { HeadOptions } from '../head/head-options.js';

const DAY = 86_400_000;

/** Crash-test points of the engine, reported to `TsdbOptions.onStep` (see the crash tests). */
export type TsdbStep = 'append:logged' | 'compact:committed' | 'checkpoint:written' | 'rollup:written' | 'retention:done';

/** Configuration of the time-series engine. */
export interface TsdbOptions {
  /** Head chunking and the out-of-order window (defaults in `DEFAULT_HEAD_OPTIONS`). */
  head: Partial<HeadOptions>;
  /** Retention per tier in ms. Defaults: raw 15 d, 1m 90 d, 1h 730 d (2 y). Whole chunks/blocks are deleted. */
  retention: { raw: number; '1m': number; '1h': number };
  /** A checkpoint is written once the ingest log grew by this many bytes since the last one (default 64 MiB). */
  checkpointLogBytes: number;
  /** ... or once this much time (ms) passed since the last one while the log grew (default 10 min). */
  checkpointIntervalMs: number;
  /** Rollup windows rebuilt per `maintain` call at most (default 20,000); the rest waits for the next call. */
  rollupBatch: number;
  /** How long (ms) the disk-use figures of `stats()` are cached (default 60 s). */
  statsTtlMs: number;
  /**
   * How often (ms, default 1000) the heads of the other writers sharing the store are followed
   * (PostgreSQL with several replicas; unused on SQLite). 0 turns the background follow off
   * (`refreshPeers` still works).
   */
  peerPollMs: number;
  /** Where damaged data and maintenance problems are reported (default: nowhere). */
  log: Pick<Logger, 'warn' | 'error'>;
  /** Test instrumentation: called after each durable step (the crash tests kill the process here). */
  onStep: ((step: TsdbStep) => void) | null;
}

/** Defaults of {@link TsdbOptions}. */
export const DEFAULT_TSDB_OPTIONS: TsdbOptions = {
  head: {},
  retention: { raw: 15 * DAY, '1m': 90 * DAY, '1h': 730 * DAY },
  checkpointLogBytes: 64 * 1024 * 1024,
  checkpointIntervalMs: 10 * 60_000,
  rollupBatch: 20_000,
  statsTtlMs: 60_000,
  peerPollMs: 1000,
  log: { warn: () => {}, error: () => {} },
  onStep: null,
};

/** Counters of the engine (exported on `/metrics` through `stats().counters`). */
export interface TsdbCounters {
  /** Chunk blobs that failed their checksum or structure check and were skipped. */
  corrupt_chunks: number;
  /** Ingest-log records skipped at startup because they were damaged. */
  corrupt_log_records: number;
  /** Rollup blocks skipped because they were damaged (the finer tier answered instead). */
  corrupt_rollups: number;
  /** Checkpoint parts skipped at startup because they were damaged. */
  corrupt_checkpoint_parts: number;
  /** Chunks moved from the head to storage. */
  chunks_compacted: number;
  /** Rollup blocks (re)built. */
  rollups_built: number;
  /** Checkpoints written. */
  checkpoints: number;
  /** Samples re-inserted into the head at startup (checkpoint + log). */
  samples_replayed: number;
  /** Samples appended (outcome `stored`) since start. */
  samples_appended: number;
}
