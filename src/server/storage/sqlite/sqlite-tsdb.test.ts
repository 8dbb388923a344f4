import { describe, it, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '../../core/clock.js';
import { VigilError } from '../../core/errors.js';
import { TsdbEngine } from '../../tsdb/engine/tsdb-engine.js';
import type { TsdbOptions } from '../../tsdb/engine/tsdb-options.js';
import type { SampleRow } from '../sample-store.js';
import { SqliteTsdbPersistence } from './sqlite-tsdb-persistence.js';
import { describeTsdbContract } from '../testing/tsdb-contract.js';

const MIN = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;
const T0 = Date.UTC(2026, 10, 1);

interface Fixture {
  dir: string;
  clock: ManualClock;
  engine: TsdbEngine;
  persistence: SqliteTsdbPersistence;
  warnings: string[];
}

async function open(dir: string, clock: ManualClock, opts: Partial<TsdbOptions> = {}): Promise<Fixture> {
  const persistence = SqliteTsdbPersistence.open(join(dir, 'tsdb.db'), 'P');
  const warnings: string[] = [];
  const log = { warn: (m: string) => warnings.push(m), error: (m: string) => warnings.push(m) };
  const engine = await TsdbEngine.open(persistence, clock, { log, ...opts });
  return { dir, clock, engine, persistence, warnings };
}

/** `n` samples of `series` ids, every `stepMs` from `start`, value = f(series, i). */
function rows(series: number[], start: number, n: number, stepMs: number, f = (s: number, i: number) => s * 1000 + i): SampleRow[] {
  const out: SampleRow[] = [];
  for (let i = 0; i < n; i++) for (const s of series) out.push({ seriesId: s, ts: start + i * stepMs, value: f(s, i) });
  return out;
}

describeTsdbContract('sqlite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-tsdb-'));
  const opened: SqliteTsdbPersistence[] = [];
  const last = () => opened[opened.length - 1]!.db.raw;
  return {
    open: async () => {
      const p = SqliteTsdbPersistence.open(join(dir, 'tsdb.db'), 'P');
      opened.push(p);
      return p;
    },
    chunkStats: async (id) => last().prepare('SELECT COUNT(*) AS rows, COALESCE(SUM(LENGTH(data)), 0) AS bytes FROM tsdb_chunks WHERE series_id = ?').get(id) as { rows: number; bytes: number },
    logRows: async () => (last().prepare('SELECT COUNT(*) AS n FROM tsdb_log').get() as { n: number }).n,
    cleanup: async () => {
      for (const p of opened) await p.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});

describe('time-series engine: damage and faults', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-tsdb-fault-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const damage: Record<string, (b: Buffer) => Buffer> = {
    'flipped byte': (b) => {
      const c = Buffer.from(b);
      c[c.length >> 1]! ^= 0x5a;
      return c;
    },
    truncated: (b) => b.subarray(0, b.length - 7),
    'bad length (garbage appended)': (b) => Buffer.concat([b, Buffer.from([1, 2, 3])]),
    'zero-filled': (b) => Buffer.alloc(b.length),
    empty: () => Buffer.alloc(0),
  };

  for (const [name, hurt] of Object.entries(damage)) {
    it(`a damaged chunk blob (${name}) is counted, logged and skipped; the rest stays readable and writable`, async () => {
      const clock = new ManualClock(T0);
      const f = await open(dir, clock);
      await f.engine.append(rows([1, 2], T0 - 3 * HOUR, 360, 10_000));
      await f.engine.maintain(T0);
      const victim = f.persistence.db.raw.prepare('SELECT min_ts, data FROM tsdb_chunks WHERE series_id = 1 ORDER BY min_ts LIMIT 1 OFFSET 1').get() as { min_ts: number; data: Buffer };
      f.persistence.db.raw.prepare('UPDATE tsdb_chunks SET data = ? WHERE series_id = 1 AND min_ts = ?').run(hurt(victim.data), victim.min_ts);
      const raw = await f.engine.readRaw([1, 2], 0, T0 + DAY);
      assert.equal(raw.get(1)!.ts.length, 360 - 120, 'only the damaged chunk is missing');
      assert.equal(raw.get(1)!.ts[0], T0 - 3 * HOUR, 'data before the damage is intact');
      assert.equal(raw.get(2)!.ts.length, 360);
      assert.equal(f.engine.counters.corrupt_chunks, 1);
      assert.equal(f.warnings.length, 1);
      assert.equal((await f.engine.stats()).counters?.corrupt_chunks, 1);
      assert.deepEqual(await f.engine.append([{ seriesId: 1, ts: T0 + 1000, value: 1 }]), ['stored']);
      await f.engine.close();
    });

    it(`a damaged ingest-log record (${name}) is skipped at restart; records before and after survive`, async () => {
      const clock = new ManualClock(T0);
      const f = await open(dir, clock);
      for (let b = 0; b < 3; b++) await f.engine.append(rows([1], T0 - HOUR + b * 10_000, 10, 1000, (_s, i) => b * 100 + i));
      await f.engine.close();
      const p = SqliteTsdbPersistence.open(join(dir, 'tsdb.db'), 'P');
      // close() wrote a checkpoint: put the log back to test replay, then damage record 2.
      p.db.raw.exec('DELETE FROM tsdb_checkpoint');
      await p.close();
      const g = await open(dir, clock);
      await g.engine.close();
      // Reopen without a checkpoint and with a damaged middle record.
      const q = SqliteTsdbPersistence.open(join(dir, 'tsdb.db'), 'P');
      q.db.raw.exec('DELETE FROM tsdb_checkpoint');
      q.db.raw.exec('DELETE FROM tsdb_log');
      await q.close();
      const h = await open(dir, clock);
      for (let b = 0; b < 3; b++) await h.engine.append(rows([1], T0 - HOUR + b * 10_000, 10, 1000, (_s, i) => b * 100 + i));
      const rowsNow = h.persistence.db.raw.prepare('SELECT seq, data FROM tsdb_log ORDER BY seq').all() as { seq: number; data: Buffer }[];
      assert.equal(rowsNow.length, 3);
      h.persistence.db.raw.prepare('UPDATE tsdb_log SET data = ? WHERE seq = ?').run(hurt(rowsNow[1]!.data), rowsNow[1]!.seq);
      const k = await open(dir, clock);
      assert.equal(k.engine.counters.corrupt_log_records, 1);
      assert.deepEqual((await k.engine.readRaw([1], 0, T0)).get(1)!.values, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 200, 201, 202, 203, 204, 205, 206, 207, 208, 209]);
      assert.deepEqual(await k.engine.append([{ seriesId: 1, ts: T0, value: 5 }]), ['stored']);
      await k.engine.close();
      await h.engine.close();
    });
  }

  it('a damaged rollup block is skipped and the finer tier answers instead (same result)', async () => {
    const clock = new ManualClock(T0 + 4 * HOUR);
    const f = await open(dir, clock);
    await f.engine.append(rows([1], T0 - DAY, 24 * 60, MIN, (_s, i) => i % 17));
    await f.engine.maintain(clock.now());
    await f.engine.maintain(clock.now());
    const good = await f.engine.readBuckets([1], T0 - DAY, T0, HOUR);
    f.persistence.db.raw.exec("UPDATE tsdb_rollup_1h SET data = X'0102030405060708'");
    const r = await f.engine.readBuckets([1], T0 - DAY, T0, HOUR);
    assert.deepEqual(r.buckets, good.buckets);
    assert.equal(f.engine.counters.corrupt_rollups, 1);
    await f.engine.close();
  });

  it('a full disk makes appends fail with a typed storage-full error; reads go on; writes recover without restart', async () => {
    const clock = new ManualClock(T0);
    const f = await open(dir, clock);
    await f.engine.append(rows([1], T0 - HOUR, 100, 1000));
    const db = f.persistence.db.raw;
    const pages = db.pragma('page_count', { simple: true }) as number;
    db.pragma(`max_page_count = ${pages}`);
    let err: unknown;
    for (let i = 0; i < 200 && !err; i++) {
      try {
        await f.engine.append(rows([2 + i], T0 - HOUR, 500, 1000));
      } catch (e) {
        err = e;
      }
    }
    assert.ok(err instanceof VigilError, String(err));
    assert.equal(err.code, 'VIGIL_ERR_STORAGE_FULL');
    assert.equal(err.status, 503);
    assert.ok((err.retryAfterSeconds ?? 0) > 0);
    // Reads keep working, and the failed batch left nothing behind.
    assert.equal((await f.engine.readRaw([1], 0, T0)).get(1)!.ts.length, 100);
    const failedId = Math.max(...[...Array(200).keys()].map((i) => 2 + i).filter((id) => f.engine.head.latest(id) === undefined).slice(0, 1));
    assert.equal((await f.engine.readRaw([failedId], 0, T0)).get(failedId)!.ts.length, 0);
    // Maintenance fails the same typed way and keeps its work for later.
    await f.engine.maintain(T0 + DAY).catch((e: unknown) => assert.ok(e instanceof VigilError));
    db.pragma('max_page_count = 1073741823');
    assert.deepEqual(await f.engine.append(rows([failedId], T0 - HOUR, 1, 1000)), ['stored']);
    await f.engine.maintain(T0 + DAY);
    assert.equal((await f.engine.readRaw([1], 0, T0)).get(1)!.ts.length, 100);
    await f.engine.close();
  });

  it('rejects rows that break the SampleRow contract before writing anything', async () => {
    const f = await open(dir, new ManualClock(T0));
    await assert.rejects(f.engine.append([{ seriesId: 1, ts: 1.5, value: 1 }]), VigilError);
    await assert.rejects(f.engine.append([{ seriesId: -1, ts: 1, value: 1 }]), VigilError);
    await assert.rejects(f.engine.append([{ seriesId: 1, ts: 2 ** 53, value: 1 }]), VigilError);
    assert.equal((f.persistence.db.raw.prepare('SELECT COUNT(*) AS n FROM tsdb_log').get() as { n: number }).n, 0);
    await f.engine.close();
  });
});

describe('time-series engine: group commit', () => {
  it('commits batches that arrive in one event-loop turn in one transaction, even with awaits between them (request bodies completed in the same I/O poll)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-tsdb-group-'));
    const f = await open(dir, new ManualClock(T0));
    try {
      // Two request handlers of one poll phase reach the engine after several promise hops each;
      // microtasks always run before the check phase, where the commit waits.
      const first = f.engine.append(rows([1], T0 - 60_000, 3, 1000));
      for (let i = 0; i < 20; i++) await null;
      const appended = await Promise.all([first, f.engine.append(rows([2], T0 - 60_000, 3, 1000))]);
      assert.deepEqual(appended, [['stored', 'stored', 'stored'], ['stored', 'stored', 'stored']]);
      const records = (f.persistence.db.raw.prepare('SELECT COUNT(*) AS n FROM tsdb_log').get() as { n: number }).n;
      assert.equal(records, 1, 'one log record (one transaction) for both batches');
      assert.deepEqual((await f.engine.readRaw([1, 2], T0 - 60_000, T0)).get(2)?.values, [2000, 2001, 2002]);
    } finally {
      await f.engine.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('commits concurrent batches together, with the outcomes of one-after-another', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-tsdb-group-'));
    const f = await open(dir, new ManualClock(T0));
    try {
      const a = rows([1, 2], T0 - 60_000, 10, 1000);
      const b = [...rows([1], T0 - 60_000, 2, 1000), { seriesId: 1, ts: T0 - 59_000, value: 99 }, ...rows([3], T0 - 60_000, 5, 1000)];
      const [ra, rb] = await Promise.all([f.engine.append(a), f.engine.append(b)]);
      assert.ok(ra.every((o) => o === 'stored'));
      assert.deepEqual(rb, ['duplicate', 'duplicate', 'conflict', 'stored', 'stored', 'stored', 'stored', 'stored']);
      const records = (f.persistence.db.raw.prepare('SELECT COUNT(*) AS n FROM tsdb_log').get() as { n: number }).n;
      assert.equal(records, 1, 'one log record (one transaction) for both batches');
      // A failing group rejects every member and stores nothing.
      await f.engine.close();
      await assert.rejects(Promise.all([f.engine.append(a), f.engine.append(b)]), VigilError);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
