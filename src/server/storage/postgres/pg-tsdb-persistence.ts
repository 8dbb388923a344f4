import type pg from 'pg';
import type { Checkpoint, ChunkRewrite, LogEntry, PartFootprint, RollupTier, RollupWindow, StoredChunk, StoredRollup, TsdbPersistence } from '../../tsdb/engine/tsdb-persistence.js';
import { ROLLUP_WINDOW_MS } from '../../tsdb/engine/tsdb-persistence.js';
import type { PgDb } from './pg-db.js';
import { mapPgError } from './pg-errors.js';

/** `min_ts` of a series whose raw chunks are all gone (never below a retention cutoff). */
const NO_RAW = 2 ** 53;
const ROLLUP_TABLE: Record<RollupTier, string> = { '1m': 'tsdb_rollup_1m', '1h': 'tsdb_rollup_1h' };
const ROLLUP_MIN_COLUMN: Record<RollupTier, string> = { '1m': 'min_1m', '1h': 'min_1h' };
const LOG_PAGE = 256;

type ChunkRow = { min_ts: number; max_ts: number; count: number; data: Buffer };

/**
 * The time-series engine's persistence on PostgreSQL: the `tsdb_*` tables of migration
 * `tsdb-0001` in the same database as the relational state. Blobs are bytea; every multi-row
 * write is one statement over `unnest()` arrays (one round trip however many rows) inside one
 * transaction, which keeps each engine step atomic as on SQLite. Driver failures become typed
 * storage errors (unreachable → 503 + Retry-After).
 */
export class PgTsdbPersistence implements TsdbPersistence {
  constructor(private readonly db: PgDb) {}

  async appendLog(record: Uint8Array): Promise<number> {
    const r = await this.q<{ seq: number }>(this.db.pool, 'INSERT INTO tsdb_log (data) VALUES ($1) RETURNING seq', [buf(record)]);
    return r.rows[0]!.seq;
  }

  async *readLog(afterSeq: number): AsyncIterable<LogEntry> {
    let after = afterSeq;
    for (;;) {
      const rows = (await this.q<{ seq: number; data: Buffer }>(this.db.pool, 'SELECT seq, data FROM tsdb_log WHERE seq > $1 ORDER BY seq LIMIT $2', [after, LOG_PAGE])).rows;
      for (const r of rows) yield { seq: r.seq, data: r.data };
      if (rows.length < LOG_PAGE) return;
      after = rows[rows.length - 1]!.seq;
    }
  }

  async readCheckpoint(): Promise<Checkpoint | null> {
    const rows = (await this.q<{ seq: number; data: Buffer }>(this.db.pool, 'SELECT seq, data FROM tsdb_checkpoint ORDER BY part', [])).rows;
    return rows.length === 0 ? null : { seq: rows[0]!.seq, parts: rows.map((r) => r.data) };
  }

  async writeCheckpoint(seq: number, parts: readonly Uint8Array[]): Promise<void> {
    // An empty head still needs a row to record how far the log is covered.
    const blobs = parts.length === 0 ? [Buffer.from(EMPTY_PART)] : parts.map(buf);
    await this.tx(async (c) => {
      await this.q(c, 'DELETE FROM tsdb_checkpoint', []);
      await this.q(c, 'INSERT INTO tsdb_checkpoint (part, seq, data) SELECT p - 1, $1, d FROM unnest($2::bytea[]) WITH ORDINALITY AS t(d, p)', [seq, blobs]);
      await this.q(c, 'DELETE FROM tsdb_log WHERE seq <= $1', [seq]);
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
    await this.tx(async (c) => {
      if (chunks.length > 0) await this.insertChunks(c, chunks);
      if (perSeries.size > 0) {
        const ids = [...perSeries.keys()].sort((a, b) => a - b);
        const col = (f: (s: { min: number; max: number; samples: number }) => number) => ids.map((id) => f(perSeries.get(id)!));
        await this.q(
          c,
          `INSERT INTO tsdb_series (series_id, min_ts, max_ts, samples)
           SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::bigint[])
           ON CONFLICT (series_id) DO UPDATE SET min_ts = LEAST(tsdb_series.min_ts, excluded.min_ts), max_ts = GREATEST(tsdb_series.max_ts, excluded.max_ts), samples = tsdb_series.samples + excluded.samples`,
          [ids, col((s) => s.min), col((s) => s.max), col((s) => s.samples)],
        );
      }
      if (dirty.length > 0) await this.markDirty(c, dirty);
    });
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
    await this.tx(async (c) => {
      if (rewrite) {
        await this.q(c, 'DELETE FROM tsdb_chunks WHERE series_id = $1 AND min_ts = ANY($2::bigint[])', [rewrite.seriesId, rewrite.remove]);
        if (rewrite.add.length > 0) await this.insertChunks(c, rewrite.add);
      }
      const table = ROLLUP_TABLE[w.tier];
      if (bytes) {
        await this.q(c, `INSERT INTO ${table} (series_id, window_start, data) VALUES ($1, $2, $3) ON CONFLICT (series_id, window_start) DO UPDATE SET data = excluded.data`, [w.seriesId, w.windowStart, buf(bytes)]);
        const col = ROLLUP_MIN_COLUMN[w.tier];
        await this.q(c, `UPDATE tsdb_series SET ${col} = LEAST(COALESCE(${col}, $2), $2) WHERE series_id = $1`, [w.seriesId, w.windowStart]);
      } else {
        await this.q(c, `DELETE FROM ${table} WHERE series_id = $1 AND window_start = $2`, [w.seriesId, w.windowStart]);
      }
      await this.q(c, 'DELETE FROM tsdb_dirty WHERE tier = $1 AND window_start = $2 AND series_id = $3', [w.tier, w.windowStart, w.seriesId]);
      if (next) await this.markDirty(c, [next]);
    });
  }

  async deleteChunksBefore(cutoff: number): Promise<number> {
    const ids = (await this.q<{ series_id: number }>(this.db.pool, 'SELECT series_id FROM tsdb_series WHERE min_ts < $1 ORDER BY series_id', [cutoff])).rows.map((r) => r.series_id);
    let total = 0;
    for (let i = 0; i < ids.length; i += 1000) {
      const batch = ids.slice(i, i + 1000);
      total += await this.tx(async (c) => {
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

  /** The pool belongs to the storage that opened this persistence; it closes it. */
  async close(): Promise<void> {}

  private async insertChunks(c: pg.PoolClient, chunks: readonly StoredChunk[]): Promise<void> {
    await this.q(
      c,
      'INSERT INTO tsdb_chunks (series_id, min_ts, max_ts, count, data) SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::bigint[], $5::bytea[])',
      [chunks.map((x) => x.seriesId), chunks.map((x) => x.minTs), chunks.map((x) => x.maxTs), chunks.map((x) => x.count), chunks.map((x) => buf(x.bytes))],
    );
  }

  private async markDirty(c: pg.PoolClient, windows: readonly RollupWindow[]): Promise<void> {
    await this.q(c, 'INSERT INTO tsdb_dirty (tier, window_start, series_id) SELECT * FROM unnest($1::text[], $2::bigint[], $3::bigint[]) ON CONFLICT DO NOTHING', [
      windows.map((w) => w.tier),
      windows.map((w) => w.windowStart),
      windows.map((w) => w.seriesId),
    ]);
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

/** A checkpoint part with no entries: just the CRC-32 of nothing (0). */
const EMPTY_PART = new Uint8Array(4);

function buf(u: Uint8Array): Buffer {
  return Buffer.isBuffer(u) ? u : Buffer.from(u.buffer, u.byteOffset, u.byteLength);
}

function toChunk(seriesId: number, r: ChunkRow): StoredChunk {
  return { seriesId, minTs: r.min_ts, maxTs: r.max_ts, count: r.count, bytes: r.data };
}
