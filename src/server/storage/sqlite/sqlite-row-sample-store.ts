import type { AppendOutcome, BucketReadResult, BucketStats, RawSeries, SampleRow, SampleStore, SampleStoreStats } from '../sample-store.js';
import type { SqliteDb } from './sqlite-db.js';

/** Options of the row store. */
export interface RowSampleStoreOptions {
  /** Raw samples older than this (ms) are deleted by `maintain` (default 15 days). */
  retentionMs?: number;
}

const DAY = 86_400_000;

/**
 * The foundation's sample store: one SQLite row per sample in a WITHOUT ROWID table keyed by
 * (series_id, ts). Simple and exact; the compressed engine (`src/server/tsdb/`) replaces it.
 */
export class SqliteRowSampleStore implements SampleStore {
  private readonly retentionMs: number;

  constructor(
    private readonly db: SqliteDb,
    opts: RowSampleStoreOptions = {},
  ) {
    this.retentionMs = opts.retentionMs ?? 15 * DAY;
  }

  async append(rows: readonly SampleRow[]): Promise<AppendOutcome[]> {
    const insert = this.db.prepare('INSERT INTO samples (series_id, ts, value) VALUES (?, ?, ?) ON CONFLICT DO NOTHING');
    const existing = this.db.prepare('SELECT value FROM samples WHERE series_id = ? AND ts = ?');
    return this.db.syncTransaction(() =>
      rows.map((r): AppendOutcome => {
        if (insert.run(r.seriesId, r.ts, r.value).changes === 1) return 'stored';
        const old = existing.get(r.seriesId, r.ts) as { value: number } | undefined;
        return old !== undefined && Object.is(old.value, r.value) ? 'duplicate' : 'conflict';
      }),
    );
  }

  async readRaw(seriesIds: readonly number[], start: number, end: number): Promise<Map<number, RawSeries>> {
    const stmt = this.db.prepare('SELECT ts, value FROM samples WHERE series_id = ? AND ts >= ? AND ts < ? ORDER BY ts').raw(true);
    const out = new Map<number, RawSeries>();
    for (const id of seriesIds) {
      const s: RawSeries = { ts: [], values: [] };
      for (const row of stmt.iterate(id, start, end) as Iterable<[number, number]>) {
        s.ts.push(row[0]);
        s.values.push(row[1]);
      }
      out.set(id, s);
    }
    return out;
  }

  async readBuckets(seriesIds: readonly number[], start: number, end: number, step: number): Promise<BucketReadResult> {
    const first = Math.floor(start / step) * step;
    const n = Math.max(0, Math.ceil((end - first) / step));
    const raw = await this.readRaw(seriesIds, first, end);
    const buckets = new Map<number, (BucketStats | null)[]>();
    let scanned = 0;
    for (const [id, s] of raw) {
      buckets.set(id, bucketize(s, first, step, n));
      scanned += s.ts.length;
    }
    return { tier: 'raw', buckets, samplesScanned: scanned };
  }

  async latest(seriesIds: readonly number[]): Promise<Map<number, { ts: number; value: number }>> {
    const stmt = this.db.prepare('SELECT ts, value FROM samples WHERE series_id = ? ORDER BY ts DESC LIMIT 1');
    const out = new Map<number, { ts: number; value: number }>();
    for (const id of seriesIds) {
      const r = stmt.get(id) as { ts: number; value: number } | undefined;
      if (r) out.set(id, r);
    }
    return out;
  }

  async stats(): Promise<SampleStoreStats> {
    const bytes = tableBytes(this.db, 'samples');
    const row = this.db.prepare('SELECT COUNT(*) AS n, MIN(ts) AS oldest FROM samples').get() as { n: number; oldest: number | null };
    return { bytesByTier: { raw: bytes }, samples: row.n, oldestByTier: { raw: row.oldest }, retentionByTier: { raw: this.retentionMs } };
  }

  async maintain(now: number): Promise<void> {
    await this.db.run('DELETE FROM samples WHERE ts < ?', [now - this.retentionMs]);
  }

  async close(): Promise<void> {}
}

/** Aggregates sorted samples into `n` buckets of `step` ms starting at `first`. */
export function bucketize(s: RawSeries, first: number, step: number, n: number): (BucketStats | null)[] {
  const out: (BucketStats | null)[] = new Array<BucketStats | null>(n).fill(null);
  for (let i = 0; i < s.ts.length; i++) {
    const b = Math.floor(((s.ts[i] as number) - first) / step);
    if (b < 0 || b >= n) continue;
    const v = s.values[i] as number;
    const cur = out[b];
    if (!cur) out[b] = { min: v, max: v, sum: v, count: 1, last: v };
    else {
      if (v < cur.min) cur.min = v;
      if (v > cur.max) cur.max = v;
      cur.sum += v;
      cur.count++;
      cur.last = v;
    }
  }
  return out;
}

/** Bytes a table and its indexes occupy (dbstat when available, else 0). */
export function tableBytes(db: SqliteDb, table: string): number {
  try {
    const r = db.prepare('SELECT SUM(pgsize) AS bytes FROM dbstat WHERE name = ?').get(table) as { bytes: number | null };
    return r.bytes ?? 0;
  } catch {
    return 0;
  }
}
