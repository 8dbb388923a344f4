import type pg from 'pg';
import type { Checkpoint, ChunkRewrite, LogEntry, PartFootprint, PeerCursor, PeerDelta, RollupTier, RollupWindow, StoredChunk, StoredRollup, TsdbPersistence } from '../../tsdb/engine/tsdb-persistence.js';
import { ROLLUP_WINDOW_MS } from '../../tsdb/engine/tsdb-persistence.js';
import type { PgDb } from './pg-db.js';
import { mapPgError } from './pg-errors.js';
import { WriterLock } from './writer-lock.js';

/** `min_ts` of a series whose raw chunks are all gone (never below a retention cutoff). */
const NO_RAW = 2 ** 53;
const ROLLUP_TABLE: Record<RollupTier, string> = { '1m': 'tsdb_rollup_1m', '1h': 'tsdb_rollup_1h' };
const ROLLUP_MIN_COLUMN: Record<RollupTier, string> = { '1m': 'min_1m', '1h': 'min_1h' };
const LOG_PAGE = 256;
/**
 * Distinct writers of the ingest log other than `$1`, by a loose index scan of `tsdb_log_writer`
 * (one index probe per writer, however many records the log holds).
 */
const LOG_WRITERS = `WITH RECURSIVE w(writer) AS (
    SELECT MIN(writer) FROM tsdb_log
    UNION ALL SELECT (SELECT MIN(l.writer) FROM tsdb_log l WHERE l.writer > w.writer) FROM w WHERE w.writer IS NOT NULL)
  SELECT writer FROM w WHERE writer IS NOT NULL AND writer <> $1`;

type ChunkRow = { min_ts: number; max_ts: number; count: number; data: Buffer };

/**
 * The time-series engine's persistence on PostgreSQL: the `tsdb_*` tables of migration
 * `tsdb-0001` in the same database as the relational state. Blobs are bytea; every multi-row
 * write is one statement over `unnest()` arrays (one round trip however many rows) inside one
 * transaction, which keeps each engine step atomic as on SQLite. Driver failures become typed
 * storage errors (unreachable → 503 + Retry-After).
 */
export class PgTsdbPersistence implements TsdbPersistence {
  private constructor(
    private readonly db: PgDb,
    private readonly lock: WriterLock,
  ) {}

  /**
   * Opens the persistence of one process. Each process owns a *writer* (its ingest log and
   * checkpoint, i.e. its head), held with a session advisory lock for as long as it runs. At open
   * it adopts the writer of a process that died (its lock is free) — a restarted replica finds its
   * head again, whatever it is called — or starts a new one.
   */
  static async open(db: PgDb, log?: (msg: string, fields: Record<string, unknown>) => void): Promise<PgTsdbPersistence> {
    return new PgTsdbPersistence(db, await WriterLock.acquire(db, log));
  }

  /** Id of the ingest log and checkpoint this process owns. */
  get writer(): string {
    return this.lock.writer;
  }

  /** Throws the 503 storage error while this process does not hold its writer lock (for `/ready`). */
  assertWriter(): void {
    this.lock.assertHeld();
  }

  async appendLog(record: Uint8Array): Promise<number> {
    this.lock.assertHeld();
    const r = await this.q<{ seq: number }>(this.db.pool, 'INSERT INTO tsdb_log (writer, data) VALUES ($1, $2) RETURNING seq', [this.writer, buf(record)]);
    return r.rows[0]!.seq;
  }

  async *readLog(afterSeq: number): AsyncIterable<LogEntry> {
    let after = afterSeq;
    for (;;) {
      const rows = (await this.q<{ seq: number; data: Buffer }>(this.db.pool, 'SELECT seq, data FROM tsdb_log WHERE writer = $1 AND seq > $2 ORDER BY seq LIMIT $3', [this.writer, after, LOG_PAGE])).rows;
      for (const r of rows) yield { seq: r.seq, data: r.data };
      if (rows.length < LOG_PAGE) return;
      after = rows[rows.length - 1]!.seq;
    }
  }

  async readCheckpoint(): Promise<Checkpoint | null> {
    const rows = (await this.q<{ seq: number; data: Buffer }>(this.db.pool, 'SELECT seq, data FROM tsdb_checkpoint WHERE writer = $1 ORDER BY part', [this.writer])).rows;
    return rows.length === 0 ? null : { seq: rows[0]!.seq, parts: rows.map((r) => r.data) };
  }

  async writeCheckpoint(seq: number, parts: readonly Uint8Array[]): Promise<void> {
    // An empty head still needs a row to record how far the log is covered.
    const blobs = parts.length === 0 ? [Buffer.from(EMPTY_PART)] : parts.map(buf);
    this.lock.assertHeld();
    await this.tx(async (c) => {
      await this.q(c, 'DELETE FROM tsdb_checkpoint WHERE writer = $1', [this.writer]);
      await this.q(c, 'INSERT INTO tsdb_checkpoint (writer, part, seq, data) SELECT $1, p - 1, $2, d FROM unnest($3::bytea[]) WITH ORDINALITY AS t(d, p)', [this.writer, seq, blobs]);
      await this.q(c, 'DELETE FROM tsdb_log WHERE writer = $1 AND seq <= $2', [this.writer, seq]);
    });
  }

  async commitChunks(chunks: readonly StoredChunk[], dirty: readonly RollupWindow[]): Promise<void> {
    const perSeries = new Map<number, { min: number; max: number; samples: number }>();
    for (const c of chunks) {
      const s = perSeries.get(c.seriesId);
      if (!s) perSeries.set(c.seriesId, { min: c.minTs, max: c.maxTs, samples: c.count });
      else {
        s.min = Math.min(s.min, c.minTs);
        s.max = Math.max(s.max, c.maxTs);
        s.samples += c.count;
      }
    }
    const st = new Statement();
    if (chunks.length > 0) st.with('ins', chunkInsert(st, chunks));
    if (perSeries.size > 0) {
      const ids = [...perSeries.keys()].sort((a, b) => a - b);
      const col = (f: (s: { min: number; max: number; samples: number }) => number) => st.param(ids.map((id) => f(perSeries.get(id)!)));
      st.with(
        'ser',
        `INSERT INTO tsdb_series (series_id, min_ts, max_ts, samples)
         SELECT * FROM unnest(${st.param(ids)}::bigint[], ${col((s) => s.min)}::bigint[], ${col((s) => s.max)}::bigint[], ${col((s) => s.samples)}::bigint[])
         ON CONFLICT (series_id) DO UPDATE SET min_ts = LEAST(tsdb_series.min_ts, excluded.min_ts), max_ts = GREATEST(tsdb_series.max_ts, excluded.max_ts), samples = tsdb_series.samples + excluded.samples`,
      );
    }
    if (dirty.length > 0) st.with('dirty', dirtyInsert(st, dirty));
    if (st.empty) return;
    await this.q(this.db.pool, st.sql(), st.params);
  }

  async readChunks(seriesId: number, start: number, end: number): Promise<StoredChunk[]> {
    // Chunks of a series never overlap: start from the last chunk beginning at or before `start`.
    const rows = (
      await this.q<ChunkRow>(
        this.db.pool,
        `SELECT min_ts, max_ts, count, data FROM tsdb_chunks
         WHERE series_id = $1 AND min_ts < $3
           AND min_ts >= COALESCE((SELECT min_ts FROM tsdb_chunks WHERE series_id = $1 AND min_ts <= $2 ORDER BY min_ts DESC LIMIT 1), -1)
         ORDER BY min_ts`,
        [seriesId, start, end],
      )
    ).rows;
    const out: StoredChunk[] = [];
    for (const r of rows) if (r.max_ts >= start) out.push(toChunk(seriesId, r));
    return out;
  }

  async lastChunk(seriesId: number): Promise<StoredChunk | null> {
    const r = (await this.q<ChunkRow>(this.db.pool, 'SELECT min_ts, max_ts, count, data FROM tsdb_chunks WHERE series_id = $1 ORDER BY min_ts DESC LIMIT 1', [seriesId])).rows[0];
    return r ? toChunk(seriesId, r) : null;
  }

  async persistedMaxTs(): Promise<Map<number, number>> {
    const rows = (await this.q<{ series_id: number; max_ts: number }>(this.db.pool, 'SELECT series_id, max_ts FROM tsdb_series', [])).rows;
    return new Map(rows.map((r) => [r.series_id, r.max_ts]));
  }

  async dirtyWindows(tier: RollupTier, limit: number): Promise<RollupWindow[]> {
    const rows = (await this.q<{ window_start: number; series_id: number }>(this.db.pool, 'SELECT window_start, series_id FROM tsdb_dirty WHERE tier = $1 ORDER BY window_start LIMIT $2', [tier, Math.max(0, limit)])).rows;
    return rows.map((r) => ({ tier, seriesId: r.series_id, windowStart: r.window_start }));
  }

  async dirtyWindowStarts(tier: RollupTier, seriesId: number, start: number, end: number): Promise<number[]> {
    const rows = (
      await this.q<{ window_start: number }>(this.db.pool, 'SELECT window_start FROM tsdb_dirty WHERE tier = $1 AND series_id = $2 AND window_start >= $3 AND window_start < $4', [tier, seriesId, start, end])
    ).rows;
    return rows.map((r) => r.window_start);
  }

  async readRollups(tier: RollupTier, seriesId: number, start: number, end: number): Promise<StoredRollup[]> {
    const rows = (
      await this.q<{ window_start: number; data: Buffer }>(
        this.db.pool,
        `SELECT window_start, data FROM ${ROLLUP_TABLE[tier]} WHERE series_id = $1 AND window_start >= $2 AND window_start < $3 ORDER BY window_start`,
        [seriesId, start, end],
      )
    ).rows;
    return rows.map((r) => ({ windowStart: r.window_start, bytes: r.data }));
  }

  async writeRollup(w: RollupWindow, bytes: Uint8Array | null, next: RollupWindow | null, rewrite: ChunkRewrite | null): Promise<void> {
    const st = new Statement();
    const id = st.param(w.seriesId);
    const start = st.param(w.windowStart);
    if (rewrite) {
      // The merged chunk reuses the first removed chunk's key: upsert it instead of deleting it, so
      // the result does not depend on the order PostgreSQL runs the sub-statements in.
      const added = st.param(rewrite.add.map((c) => c.minTs));
      st.with('rm', `DELETE FROM tsdb_chunks WHERE series_id = ${st.param(rewrite.seriesId)} AND min_ts = ANY(${st.param(rewrite.remove)}::bigint[]) AND NOT (min_ts = ANY(${added}::bigint[]))`);
      if (rewrite.add.length > 0) st.with('add', `${chunkInsert(st, rewrite.add)} ON CONFLICT (series_id, min_ts) DO UPDATE SET max_ts = excluded.max_ts, count = excluded.count, data = excluded.data`);
    }
    const table = ROLLUP_TABLE[w.tier];
    if (bytes) {
      const col = ROLLUP_MIN_COLUMN[w.tier];
      st.with('blk', `INSERT INTO ${table} (series_id, window_start, data) VALUES (${id}, ${start}, ${st.param(buf(bytes))}) ON CONFLICT (series_id, window_start) DO UPDATE SET data = excluded.data`);
      st.with('ser', `UPDATE tsdb_series SET ${col} = LEAST(COALESCE(${col}, ${start}), ${start}) WHERE series_id = ${id}`);
    } else {
      st.with('blk', `DELETE FROM ${table} WHERE series_id = ${id} AND window_start = ${start}`);
    }
    st.with('clean', `DELETE FROM tsdb_dirty WHERE tier = ${st.param(w.tier)} AND window_start = ${start} AND series_id = ${id}`);
    if (next) st.with('next', dirtyInsert(st, [next]));
    await this.q(this.db.pool, st.sql(), st.params);
  }

  async deleteChunksBefore(cutoff: number): Promise<number> {
    const ids = (await this.q<{ series_id: number }>(this.db.pool, 'SELECT series_id FROM tsdb_series WHERE min_ts < $1 ORDER BY series_id', [cutoff])).rows.map((r) => r.series_id);
    let total = 0;
    for (let i = 0; i < ids.length; i += 1000) {
      const batch = ids.slice(i, i + 1000);
      total += await this.tx(async (c) => {
        await this.q(c, ASYNC_COMMIT, []);
        // Chunks under a dirty 1 m window wait: their samples are not rolled up yet.
        const gone = (
          await this.q<{ series_id: number; n: number; samples: number }>(
            c,
            `WITH gone AS (
               DELETE FROM tsdb_chunks ch WHERE ch.series_id = ANY($1::bigint[]) AND ch.min_ts < $2 AND ch.max_ts < $2
                 AND NOT EXISTS (SELECT 1 FROM tsdb_dirty d WHERE d.tier = '1m' AND d.series_id = ch.series_id
                                 AND d.window_start <= ch.max_ts AND d.window_start > ch.min_ts - ${ROLLUP_WINDOW_MS['1m']})
               RETURNING ch.series_id, ch.count)
             SELECT series_id, COUNT(*) AS n, SUM(count) AS samples FROM gone GROUP BY series_id`,
            [batch, cutoff],
          )
        ).rows;
        if (gone.length === 0) return 0;
        await this.q(
          c,
          `UPDATE tsdb_series s SET samples = s.samples - g.samples,
             min_ts = COALESCE((SELECT MIN(ch.min_ts) FROM tsdb_chunks ch WHERE ch.series_id = s.series_id), ${NO_RAW})
           FROM unnest($1::bigint[], $2::bigint[]) AS g(id, samples) WHERE s.series_id = g.id`,
          [gone.map((g) => g.series_id), gone.map((g) => g.samples)],
        );
        return gone.reduce((a, g) => a + g.n, 0);
      });
    }
    return total;
  }

  async deleteRollupsBefore(tier: RollupTier, cutoff: number): Promise<number> {
    const table = ROLLUP_TABLE[tier];
    const col = ROLLUP_MIN_COLUMN[tier];
    const windowMs = ROLLUP_WINDOW_MS[tier];
    const ids = (await this.q<{ series_id: number }>(this.db.pool, `SELECT series_id FROM tsdb_series WHERE ${col} < $1 ORDER BY series_id`, [cutoff - windowMs + 1])).rows.map((r) => r.series_id);
    const guard =
      tier === '1m'
        ? `AND NOT EXISTS (SELECT 1 FROM tsdb_dirty d WHERE d.tier = '1h' AND d.series_id = r.series_id
                          AND d.window_start <= r.window_start AND d.window_start > r.window_start - ${ROLLUP_WINDOW_MS['1h']})`
        : '';
    let total = 0;
    for (let i = 0; i < ids.length; i += 1000) {
      const batch = ids.slice(i, i + 1000);
      total += await this.tx(async (c) => {
        await this.q(c, ASYNC_COMMIT, []);
        const n = (await this.q(c, `DELETE FROM ${table} r WHERE r.series_id = ANY($1::bigint[]) AND r.window_start <= $2 ${guard}`, [batch, cutoff - windowMs])).rowCount ?? 0;
        await this.q(c, `UPDATE tsdb_series s SET ${col} = (SELECT MIN(r.window_start) FROM ${table} r WHERE r.series_id = s.series_id) WHERE s.series_id = ANY($1::bigint[])`, [batch]);
        await this.q(c, 'DELETE FROM tsdb_series WHERE series_id = ANY($1::bigint[]) AND min_ts = $2 AND min_1m IS NULL AND min_1h IS NULL', [batch, NO_RAW]);
        return n;
      });
    }
    return total;
  }

  async footprint(): Promise<Record<string, PartFootprint>> {
    const sizes = (
      await this.q<{ name: string; bytes: number }>(
        this.db.pool,
        `SELECT c.relname AS name, pg_total_relation_size(c.oid) AS bytes FROM pg_class c
         WHERE c.relkind = 'r' AND c.relnamespace = current_schema()::regnamespace AND c.relname LIKE 'tsdb\\_%'`,
        [],
      )
    ).rows;
    const bytes = new Map(sizes.map((r) => [r.name, r.bytes]));
    const s = (
      await this.q<{ samples: number; raw: number | null; m: number | null; h: number | null }>(
        this.db.pool,
        `SELECT COALESCE(SUM(samples), 0) AS samples, MIN(NULLIF(min_ts, ${NO_RAW})) AS raw, MIN(min_1m) AS m, MIN(min_1h) AS h FROM tsdb_series`,
        [],
      )
    ).rows[0]!;
    const sum = (...names: string[]) => names.reduce((a, n) => a + (bytes.get(n) ?? 0), 0);
    return {
      raw: { bytes: sum('tsdb_chunks'), oldest: s.raw, items: s.samples },
      '1m': { bytes: sum('tsdb_rollup_1m'), oldest: s.m, items: null },
      '1h': { bytes: sum('tsdb_rollup_1h'), oldest: s.h, items: null },
      log: { bytes: sum('tsdb_log', 'tsdb_checkpoint'), oldest: null, items: null },
      meta: { bytes: sum('tsdb_series', 'tsdb_dirty'), oldest: null, items: null },
      // PostgreSQL reuses dead space itself (autovacuum); there is no freelist to report.
      free: { bytes: 0, oldest: null, items: null },
    };
  }

  /**
   * The other writers' head changes since `known`, in one REPEATABLE READ snapshot so a checkpoint
   * and the log after it always match (a peer checkpointing meanwhile cannot trim records this
   * read still needs). A writer whose checkpoint moved is reloaded; others are tailed from their
   * cursor. Cost per call: two small queries plus one per peer with new records.
   */
  async readPeers(known: ReadonlyMap<string, PeerCursor>): Promise<PeerDelta[]> {
    return this.tx(async (c) => {
      await this.q(c, 'SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY', []);
      const me = this.writer;
      const ckpt = new Map(
        (await this.q<{ writer: string; seq: number }>(c, 'SELECT writer, MIN(seq) AS seq FROM tsdb_checkpoint WHERE writer <> $1 GROUP BY writer', [me])).rows.map((r) => [r.writer, r.seq]),
      );
      const writers = new Set([...ckpt.keys(), ...(await this.q<{ writer: string }>(c, LOG_WRITERS, [me])).rows.map((r) => r.writer)]);
      const out: PeerDelta[] = [];
      for (const w of known.keys()) if (!writers.has(w)) out.push({ writer: w, kind: 'gone', checkpointSeq: 0, parts: [], log: [] });
      for (const w of [...writers].sort()) {
        const seq = ckpt.get(w) ?? 0;
        const cur = known.get(w);
        if (cur && cur.checkpointSeq === seq) {
          out.push({ writer: w, kind: 'tail', checkpointSeq: seq, parts: [], log: await this.readWriterLog(c, w, cur.lastSeq) });
          continue;
        }
        const parts = seq === 0 ? [] : (await this.q<{ data: Buffer }>(c, 'SELECT data FROM tsdb_checkpoint WHERE writer = $1 ORDER BY part', [w])).rows.map((r) => r.data);
        out.push({ writer: w, kind: 'reload', checkpointSeq: seq, parts, log: await this.readWriterLog(c, w, seq) });
      }
      return out;
    });
  }

  /** Log records of `writer` after `afterSeq`, in pages, on the snapshot's connection. */
  private async readWriterLog(c: pg.PoolClient, writer: string, afterSeq: number): Promise<LogEntry[]> {
    const out: LogEntry[] = [];
    let after = afterSeq;
    for (;;) {
      const rows = (await this.q<{ seq: number; data: Buffer }>(c, 'SELECT seq, data FROM tsdb_log WHERE writer = $1 AND seq > $2 ORDER BY seq LIMIT $3', [writer, after, LOG_PAGE])).rows;
      for (const r of rows) out.push({ seq: r.seq, data: r.data });
      if (rows.length < LOG_PAGE) return out;
      after = rows[rows.length - 1]!.seq;
    }
  }

  /** Gives up the writer (another process may adopt it). The pool belongs to the storage that opened this persistence; it closes it. */
  async close(): Promise<void> {
    await this.lock.release();
  }

  /** Runs `fn` in one transaction on one pooled connection. */
  private async tx<T>(fn: (c: pg.PoolClient) => Promise<T>): Promise<T> {
    return this.db.withClient(async (c) => {
      await this.q(c, 'BEGIN', []);
      try {
        const result = await fn(c);
        await this.q(c, 'COMMIT', []);
        return result;
      } catch (err) {
        await c.query('ROLLBACK').catch(() => undefined);
        throw err;
      }
    });
  }

  /** One statement with `$n` parameters; driver errors become typed storage errors. */
  private async q<R extends pg.QueryResultRow = pg.QueryResultRow>(on: pg.Pool | pg.PoolClient, sql: string, params: unknown[]): Promise<pg.QueryResult<R>> {
    try {
      return await on.query<R>(sql, params);
    } catch (err) {
      throw mapPgError(err);
    }
  }
}

/**
 * Makes the current transaction's commit not wait for the WAL flush. Used only for derived or
 * repeatable work (compaction, rollups, retention): PostgreSQL still applies a transaction all or
 * nothing, a lost one leaves its input (log records, dirty marks, old chunks) in place to be redone,
 * and the next synchronous commit (every log append and checkpoint) flushes it anyway.
 */
const ASYNC_COMMIT = "SELECT set_config('synchronous_commit', 'off', true)";

/**
 * One SQL statement built from data-modifying CTEs, so a multi-table change is a single round
 * trip and atomic by itself (an implicit transaction); it commits asynchronously (see
 * {@link ASYNC_COMMIT}).
 */
class Statement {
  readonly params: unknown[] = [];
  private readonly ctes: string[] = [];

  /** Adds a parameter and returns its placeholder. */
  param(v: unknown): string {
    this.params.push(v);
    return `$${this.params.length}`;
  }

  with(name: string, sql: string): void {
    this.ctes.push(`${name} AS (${sql})`);
  }

  get empty(): boolean {
    return this.ctes.length === 0;
  }

  sql(): string {
    return `WITH ${this.ctes.join(',\n')}, cfg AS (${ASYNC_COMMIT}) SELECT 1 FROM cfg`;
  }
}

function chunkInsert(st: Statement, chunks: readonly StoredChunk[]): string {
  return `INSERT INTO tsdb_chunks (series_id, min_ts, max_ts, count, data)
    SELECT * FROM unnest(${st.param(chunks.map((x) => x.seriesId))}::bigint[], ${st.param(chunks.map((x) => x.minTs))}::bigint[], ${st.param(chunks.map((x) => x.maxTs))}::bigint[], ${st.param(chunks.map((x) => x.count))}::bigint[], ${st.param(chunks.map((x) => buf(x.bytes)))}::bytea[])`;
}

function dirtyInsert(st: Statement, windows: readonly RollupWindow[]): string {
  return `INSERT INTO tsdb_dirty (tier, window_start, series_id)
    SELECT * FROM unnest(${st.param(windows.map((w) => w.tier))}::text[], ${st.param(windows.map((w) => w.windowStart))}::bigint[], ${st.param(windows.map((w) => w.seriesId))}::bigint[]) ON CONFLICT DO NOTHING`;
}

/** A checkpoint part with no entries: just the CRC-32 of nothing (0). */
const EMPTY_PART = new Uint8Array(4);

function buf(u: Uint8Array): Buffer {
  return Buffer.isBuffer(u) ? u : Buffer.from(u.buffer, u.byteOffset, u.byteLength);
}

function toChunk(seriesId: number, r: ChunkRow): StoredChunk {
  return { seriesId, minTs: r.min_ts, maxTs: r.max_ts, count: r.count, bytes: r.data };
}
