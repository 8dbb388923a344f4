import type { Checkpoint, ChunkRewrite, LogEntry, PartFootprint, RollupTier, RollupWindow, StoredChunk, StoredRollup, TsdbPersistence } from '../../tsdb/engine/tsdb-persistence.js';
import { ROLLUP_WINDOW_MS } from '../../tsdb/engine/tsdb-persistence.js';
import { mapSqliteError } from './sqlite-errors.js';
import { migrateSqlite, openSqlite, type SqliteDb, type SqliteDurability } from './sqlite-db.js';
import { TSDB_MIGRATIONS } from './tsdb-migrations.js';

/** `min_ts` of a series whose raw chunks are all gone (never below a retention cutoff). */
const NO_RAW = 2 ** 53;
const ROLLUP_TABLE: Record<RollupTier, string> = { '1m': 'tsdb_rollup_1m', '1h': 'tsdb_rollup_1h' };
const ROLLUP_MIN_COLUMN: Record<RollupTier, string> = { '1m': 'min_1m', '1h': 'min_1h' };

type ChunkRow = { min_ts: number; max_ts: number; count: number; data: Buffer };

/**
 * The time-series engine's persistence on SQLite: its own database file (`tsdb.db`), so the
 * engine's synchronous transactions never queue behind relational writes, and every operation a
 * short synchronous better-sqlite3 transaction (the caller's `await` resolves after commit).
 * SQLite errors that mean "cannot write now" become typed storage errors (disk full → 503).
 */
export class SqliteTsdbPersistence implements TsdbPersistence {
  private constructor(readonly db: SqliteDb) {}

  /** Opens (creating and migrating) the time-series database at `path`; durability as `vigil.db`. */
  static open(path: string, durability: SqliteDurability = 'D'): SqliteTsdbPersistence {
    const db = openSqlite({ path, durability });
    migrateSqlite(db, TSDB_MIGRATIONS);
    return new SqliteTsdbPersistence(db);
  }

  async appendLog(record: Uint8Array): Promise<number> {
    return this.tx(() => Number(this.db.prepare('INSERT INTO tsdb_log (data) VALUES (?)').run(buf(record)).lastInsertRowid));
  }

  async *readLog(afterSeq: number): AsyncIterable<LogEntry> {
    // Pages, not one open cursor: the consumer may run other statements between records.
    const stmt = this.db.prepare('SELECT seq, data FROM tsdb_log WHERE seq > ? ORDER BY seq LIMIT 256');
    let after = afterSeq;
    for (;;) {
      const rows = stmt.all(after) as { seq: number; data: Buffer }[];
      for (const r of rows) yield { seq: r.seq, data: r.data };
      if (rows.length < 256) return;
      after = rows[rows.length - 1]!.seq;
    }
  }

  async readCheckpoint(): Promise<Checkpoint | null> {
    const rows = this.db.prepare('SELECT seq, data FROM tsdb_checkpoint ORDER BY part').all() as { seq: number; data: Buffer }[];
    return rows.length === 0 ? null : { seq: rows[0]!.seq, parts: rows.map((r) => r.data) };
  }

  async writeCheckpoint(seq: number, parts: readonly Uint8Array[]): Promise<void> {
    this.tx(() => {
      this.db.prepare('DELETE FROM tsdb_checkpoint').run();
      const ins = this.db.prepare('INSERT INTO tsdb_checkpoint (part, seq, data) VALUES (?, ?, ?)');
      parts.forEach((p, i) => ins.run(i, seq, buf(p)));
      // An empty head still needs a row to record how far the log is covered.
      if (parts.length === 0) ins.run(0, seq, Buffer.from(EMPTY_PART));
      this.db.prepare('DELETE FROM tsdb_log WHERE seq <= ?').run(seq);
    });
  }

  async commitChunks(chunks: readonly StoredChunk[], dirty: readonly RollupWindow[]): Promise<void> {
    this.tx(() => {
      const ins = this.db.prepare('INSERT INTO tsdb_chunks (series_id, min_ts, max_ts, count, data) VALUES (?, ?, ?, ?, ?)');
      const perSeries = new Map<number, { min: number; max: number; samples: number }>();
      for (const c of chunks) {
        ins.run(c.seriesId, c.minTs, c.maxTs, c.count, buf(c.bytes));
        const s = perSeries.get(c.seriesId);
        if (!s) perSeries.set(c.seriesId, { min: c.minTs, max: c.maxTs, samples: c.count });
        else {
          s.min = Math.min(s.min, c.minTs);
          s.max = Math.max(s.max, c.maxTs);
          s.samples += c.count;
        }
      }
      const up = this.db.prepare(
        `INSERT INTO tsdb_series (series_id, min_ts, max_ts, samples) VALUES (?, ?, ?, ?)
         ON CONFLICT (series_id) DO UPDATE SET min_ts = MIN(min_ts, excluded.min_ts), max_ts = MAX(max_ts, excluded.max_ts), samples = samples + excluded.samples`,
      );
      for (const [id, s] of perSeries) up.run(id, s.min, s.max, s.samples);
      const mark = this.db.prepare('INSERT OR IGNORE INTO tsdb_dirty (tier, window_start, series_id) VALUES (?, ?, ?)');
      for (const w of dirty) mark.run(w.tier, w.windowStart, w.seriesId);
    });
  }

  async readChunks(seriesId: number, start: number, end: number): Promise<StoredChunk[]> {
    // Chunks of a series never overlap: start from the last chunk beginning at or before `start`.
    const rows = this.db
      .prepare(
        `SELECT min_ts, max_ts, count, data FROM tsdb_chunks
         WHERE series_id = @id AND min_ts < @end
           AND min_ts >= COALESCE((SELECT min_ts FROM tsdb_chunks WHERE series_id = @id AND min_ts <= @start ORDER BY min_ts DESC LIMIT 1), -1)
         ORDER BY min_ts`,
      )
      .all({ id: seriesId, start, end }) as ChunkRow[];
    const out: StoredChunk[] = [];
    for (const r of rows) if (r.max_ts >= start) out.push(toChunk(seriesId, r));
    return out;
  }

  async lastChunk(seriesId: number): Promise<StoredChunk | null> {
    const r = this.db.prepare('SELECT min_ts, max_ts, count, data FROM tsdb_chunks WHERE series_id = ? ORDER BY min_ts DESC LIMIT 1').get(seriesId) as ChunkRow | undefined;
    return r ? toChunk(seriesId, r) : null;
  }

  async persistedMaxTs(): Promise<Map<number, number>> {
    const out = new Map<number, number>();
    for (const r of this.db.prepare('SELECT series_id, max_ts FROM tsdb_series').iterate() as Iterable<{ series_id: number; max_ts: number }>) out.set(r.series_id, r.max_ts);
    return out;
  }

  async dirtyWindows(tier: RollupTier, limit: number): Promise<RollupWindow[]> {
    const rows = this.db.prepare('SELECT window_start, series_id FROM tsdb_dirty WHERE tier = ? ORDER BY window_start LIMIT ?').all(tier, Math.max(0, limit)) as { window_start: number; series_id: number }[];
    return rows.map((r) => ({ tier, seriesId: r.series_id, windowStart: r.window_start }));
  }

  async dirtyWindowStarts(tier: RollupTier, seriesId: number, start: number, end: number): Promise<number[]> {
    const rows = this.db.prepare('SELECT window_start FROM tsdb_dirty WHERE tier = ? AND series_id = ? AND window_start >= ? AND window_start < ?').all(tier, seriesId, start, end) as { window_start: number }[];
    return rows.map((r) => r.window_start);
  }

  async readRollups(tier: RollupTier, seriesId: number, start: number, end: number): Promise<StoredRollup[]> {
    const rows = this.db
      .prepare(`SELECT window_start, data FROM ${ROLLUP_TABLE[tier]} WHERE series_id = ? AND window_start >= ? AND window_start < ? ORDER BY window_start`)
      .all(seriesId, start, end) as { window_start: number; data: Buffer }[];
    return rows.map((r) => ({ windowStart: r.window_start, bytes: r.data }));
  }

  async writeRollup(w: RollupWindow, bytes: Uint8Array | null, next: RollupWindow | null, rewrite: ChunkRewrite | null): Promise<void> {
    this.tx(() => {
      if (rewrite) {
        const del = this.db.prepare('DELETE FROM tsdb_chunks WHERE series_id = ? AND min_ts = ?');
        for (const minTs of rewrite.remove) del.run(rewrite.seriesId, minTs);
        const ins = this.db.prepare('INSERT INTO tsdb_chunks (series_id, min_ts, max_ts, count, data) VALUES (?, ?, ?, ?, ?)');
        for (const c of rewrite.add) ins.run(c.seriesId, c.minTs, c.maxTs, c.count, buf(c.bytes));
      }
      const table = ROLLUP_TABLE[w.tier];
      if (bytes) {
        this.db.prepare(`INSERT OR REPLACE INTO ${table} (series_id, window_start, data) VALUES (?, ?, ?)`).run(w.seriesId, w.windowStart, buf(bytes));
        const col = ROLLUP_MIN_COLUMN[w.tier];
        this.db.prepare(`UPDATE tsdb_series SET ${col} = MIN(COALESCE(${col}, @w), @w) WHERE series_id = @id`).run({ id: w.seriesId, w: w.windowStart });
      } else {
        this.db.prepare(`DELETE FROM ${table} WHERE series_id = ? AND window_start = ?`).run(w.seriesId, w.windowStart);
      }
      this.db.prepare('DELETE FROM tsdb_dirty WHERE tier = ? AND window_start = ? AND series_id = ?').run(w.tier, w.windowStart, w.seriesId);
      if (next) this.db.prepare('INSERT OR IGNORE INTO tsdb_dirty (tier, window_start, series_id) VALUES (?, ?, ?)').run(next.tier, next.windowStart, next.seriesId);
    });
  }

  async deleteChunksBefore(cutoff: number): Promise<number> {
    const ids = (this.db.prepare('SELECT series_id FROM tsdb_series WHERE min_ts < ?').all(cutoff) as { series_id: number }[]).map((r) => r.series_id);
    // Chunks under a dirty 1 m window wait: their samples are not rolled up yet.
    const where = `series_id = @id AND min_ts < @cutoff AND max_ts < @cutoff
      AND NOT EXISTS (SELECT 1 FROM tsdb_dirty d WHERE d.tier = '1m' AND d.series_id = @id
                      AND d.window_start <= tsdb_chunks.max_ts AND d.window_start > tsdb_chunks.min_ts - ${ROLLUP_WINDOW_MS['1m']})`;
    return this.inBatches(ids, (id) => {
      const gone = this.db.prepare(`SELECT COUNT(*) AS n, COALESCE(SUM(count), 0) AS samples FROM tsdb_chunks WHERE ${where}`).get({ id, cutoff }) as { n: number; samples: number };
      if (gone.n === 0) return 0;
      this.db.prepare(`DELETE FROM tsdb_chunks WHERE ${where}`).run({ id, cutoff });
      const first = this.db.prepare('SELECT min_ts FROM tsdb_chunks WHERE series_id = ? ORDER BY min_ts LIMIT 1').get(id) as { min_ts: number } | undefined;
      this.db.prepare('UPDATE tsdb_series SET min_ts = ?, samples = samples - ? WHERE series_id = ?').run(first?.min_ts ?? NO_RAW, gone.samples, id);
      return gone.n;
    });
  }

  async deleteRollupsBefore(tier: RollupTier, cutoff: number): Promise<number> {
    const table = ROLLUP_TABLE[tier];
    const col = ROLLUP_MIN_COLUMN[tier];
    const windowMs = ROLLUP_WINDOW_MS[tier];
    const ids = (this.db.prepare(`SELECT series_id FROM tsdb_series WHERE ${col} < ?`).all(cutoff - windowMs + 1) as { series_id: number }[]).map((r) => r.series_id);
    const guard =
      tier === '1m'
        ? `AND NOT EXISTS (SELECT 1 FROM tsdb_dirty d WHERE d.tier = '1h' AND d.series_id = @id
                          AND d.window_start <= ${table}.window_start AND d.window_start > ${table}.window_start - ${ROLLUP_WINDOW_MS['1h']})`
        : '';
    return this.inBatches(ids, (id) => {
      const n = this.db.prepare(`DELETE FROM ${table} WHERE series_id = @id AND window_start <= @cutoff - ${windowMs} ${guard}`).run({ id, cutoff }).changes;
      const first = this.db.prepare(`SELECT window_start FROM ${table} WHERE series_id = ? ORDER BY window_start LIMIT 1`).get(id) as { window_start: number } | undefined;
      this.db.prepare(`UPDATE tsdb_series SET ${col} = ? WHERE series_id = ?`).run(first?.window_start ?? null, id);
      this.db.prepare('DELETE FROM tsdb_series WHERE series_id = ? AND min_ts = ? AND min_1m IS NULL AND min_1h IS NULL').run(id, NO_RAW);
      return n;
    });
  }

  async footprint(): Promise<Record<string, PartFootprint>> {
    const bytes = this.tableBytes();
    const s = this.db.prepare(`SELECT COALESCE(SUM(samples), 0) AS samples, MIN(NULLIF(min_ts, ${NO_RAW})) AS raw, MIN(min_1m) AS m, MIN(min_1h) AS h FROM tsdb_series`).get() as {
      samples: number;
      raw: number | null;
      m: number | null;
      h: number | null;
    };
    const pageSize = this.db.raw.pragma('page_size', { simple: true }) as number;
    const free = (this.db.raw.pragma('freelist_count', { simple: true }) as number) * pageSize;
    const sum = (...names: string[]) => names.reduce((a, n) => a + (bytes.get(n) ?? 0), 0);
    return {
      raw: { bytes: sum('tsdb_chunks', 'tsdb_chunks_series'), oldest: s.raw, items: s.samples },
      '1m': { bytes: sum('tsdb_rollup_1m'), oldest: s.m, items: null },
      '1h': { bytes: sum('tsdb_rollup_1h'), oldest: s.h, items: null },
      log: { bytes: sum('tsdb_log', 'tsdb_checkpoint'), oldest: null, items: null },
      meta: { bytes: sum('tsdb_series', 'tsdb_series_min_ts', 'tsdb_series_min_1m', 'tsdb_series_min_1h', 'tsdb_dirty', 'tsdb_dirty_series'), oldest: null, items: null },
      free: { bytes: free, oldest: null, items: null },
    };
  }

  async close(): Promise<void> {
    await this.db.close();
  }

  /** Runs `fn` per id, 1000 ids per transaction (one commit, not one per series); sums the results. */
  private inBatches(ids: readonly number[], fn: (id: number) => number): number {
    let total = 0;
    for (let i = 0; i < ids.length; i += 1000) {
      total += this.tx(() => ids.slice(i, i + 1000).reduce((a, id) => a + fn(id), 0));
    }
    return total;
  }

  /** Runs `fn` in one immediate transaction; driver errors become typed storage errors. */
  private tx<T>(fn: () => T): T {
    try {
      return this.db.raw.transaction(fn).immediate();
    } catch (err) {
      throw mapSqliteError(err);
    }
  }

  /** Bytes per table or index from `dbstat` (pages in use), or the payload sizes when it is missing. */
  private tableBytes(): Map<string, number> {
    try {
      const rows = this.db.prepare("SELECT name, SUM(pgsize) AS bytes FROM dbstat WHERE name LIKE 'tsdb_%' GROUP BY name").all() as { name: string; bytes: number }[];
      return new Map(rows.map((r) => [r.name, r.bytes]));
    } catch {
      const out = new Map<string, number>();
      for (const t of ['tsdb_chunks', 'tsdb_rollup_1m', 'tsdb_rollup_1h', 'tsdb_log', 'tsdb_checkpoint']) {
        out.set(t, (this.db.prepare(`SELECT COALESCE(SUM(LENGTH(data)), 0) AS b FROM ${t}`).get() as { b: number }).b);
      }
      return out;
    }
  }
}

/** A checkpoint part with no entries: just the CRC-32 of nothing (0). */
const EMPTY_PART = new Uint8Array(4);

function buf(u: Uint8Array): Buffer {
  return Buffer.from(u.buffer, u.byteOffset, u.byteLength);
}

function toChunk(seriesId: number, r: ChunkRow): StoredChunk {
  return { seriesId, minTs: r.min_ts, maxTs: r.max_ts, count: r.count, bytes: r.data };
}
