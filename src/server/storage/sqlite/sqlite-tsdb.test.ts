import { describe, it, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '../../core/clock.js';
import { VigilError } from '../../core/errors.js';
import { TsdbEngine } from '../../tsdb/engine/tsdb-engine.js';
import type { TsdbOptions } from '../../tsdb/engine/tsdb-options.js';
import type { BucketStats, SampleRow } from '../sample-store.js';
import { SqliteTsdbPersistence } from './sqlite-tsdb-persistence.js';

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

/** Buckets computed from raw samples, the reference for every tier. */
function expectBuckets(samples: { ts: number[]; values: number[] }, first: number, step: number, n: number, start: number, end: number): (BucketStats | null)[] {
  const out: (BucketStats | null)[] = new Array(n).fill(null);
  samples.ts.forEach((t, i) => {
    if (t < start || t >= end) return;
    const v = samples.values[i]!;
    const b = Math.floor((t - first) / step);
    const cur = out[b];
    if (!cur) out[b] = { min: v, max: v, sum: v, count: 1, last: v };
    else {
      cur.min = Math.min(cur.min, v);
      cur.max = Math.max(cur.max, v);
      cur.sum += v;
      cur.count++;
      cur.last = v;
    }
  });
  return out;
}

describe('time-series engine on SQLite', () => {
  let dir: string;
  let f: Fixture;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-tsdb-'));
    f = await open(dir, new ManualClock(T0));
  });
  afterEach(async () => {
    await f.engine.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads the same samples from the head, after compaction and after a restart', async () => {
    const input = rows([1, 2, 3], T0 - 6 * HOUR, 6 * 360, 10_000, (s, i) => Math.sin(i / 7) * s + i / 100);
    assert.ok((await f.engine.append(input)).every((o) => o === 'stored'));
    const before = await f.engine.readRaw([1, 2, 3], 0, T0 + DAY);
    assert.equal(before.get(2)?.ts.length, 2160);
    await f.engine.maintain(T0 + HOUR);
    assert.ok(f.engine.counters.chunks_compacted > 0);
    assert.deepEqual(await f.engine.readRaw([1, 2, 3], 0, T0 + DAY), before);
    const mid = await f.engine.readRaw([2], T0 - 3 * HOUR + 5000, T0 - 2 * HOUR);
    assert.equal(mid.get(2)?.ts[0], T0 - 3 * HOUR + 10_000);
    assert.equal(mid.get(2)?.ts.length, 359);
    await f.engine.close();
    f = await open(dir, f.clock);
    assert.deepEqual(await f.engine.readRaw([1, 2, 3], 0, T0 + DAY), before);
    assert.deepEqual(await f.engine.latest([1, 4]), new Map([[1, { ts: T0 - 10_000, value: input[input.length - 3]!.value }]]));
  });

  it('rebuilds the head from the log after a crash (no close, no checkpoint)', async () => {
    await f.engine.append(rows([7], T0 - HOUR, 100, 1000));
    // Simulated crash: the engine is dropped without close(); a second process opens the file.
    const other = await open(dir, f.clock);
    assert.equal(other.engine.counters.samples_replayed, 100);
    assert.equal((await other.engine.readRaw([7], 0, T0)).get(7)?.ts.length, 100);
    assert.deepEqual(await other.engine.append(rows([7], T0 - HOUR, 1, 1000)), ['duplicate']);
    await other.engine.close();
  });

  it('judges old samples against stored chunks: duplicate, conflict or too old', async () => {
    await f.engine.append(rows([1], T0 - 2 * HOUR, 120, 1000));
    await f.engine.append(rows([1], T0 - HOUR, 10, 1000));
    await f.engine.maintain(T0);
    assert.equal(f.engine.head.persistedMaxTs(1) >= T0 - 2 * HOUR + 119_000, true);
    const out = await f.engine.append([
      { seriesId: 1, ts: T0 - 2 * HOUR + 5000, value: 1005 },
      { seriesId: 1, ts: T0 - 2 * HOUR + 5000, value: 7 },
      { seriesId: 1, ts: T0 - 2 * HOUR + 5500, value: 7 },
      { seriesId: 1, ts: T0 - 20 * DAY, value: 7 },
    ]);
    assert.deepEqual(out, ['duplicate', 'conflict', 'too_old', 'too_old']);
  });

  it('answers 1m and 1h steps from rollups, exactly like raw, and says which tier answered', async () => {
    const ids = [11, 12];
    const start = T0 - 3 * DAY;
    await f.engine.append(rows(ids, start, 3 * 24 * 60, MIN, (s, i) => (s * 7 + i * 13) % 101));
    // Time passes: head chunks become final, windows settle, rollups get built.
    f.clock.set(T0 + 4 * HOUR);
    await f.engine.maintain(f.clock.now());
    await f.engine.maintain(f.clock.now());
    assert.ok(f.engine.counters.rollups_built > 0);
    const raw = await f.engine.readRaw(ids, 0, T0 + DAY);
    for (const [step, tier] of [
      [HOUR, '1h'],
      [5 * MIN, '1m'],
      [30_000, 'raw'],
    ] as const) {
      // The query service passes a start aligned to the step; the end may be anywhere.
      const qs = Math.floor((start + 7 * MIN) / step) * step;
      const qe = T0 - 5 * MIN;
      const r = await f.engine.readBuckets(ids, qs, qe, step);
      assert.equal(r.tier, tier);
      const first = Math.floor(qs / step) * step;
      const n = Math.ceil((qe - first) / step);
      for (const id of ids) assert.deepEqual(r.buckets.get(id), expectBuckets(raw.get(id)!, first, step, n, qs, qe), `${tier} series ${id}`);
    }
    const r1h = await f.engine.readBuckets(ids, start, T0, HOUR);
    assert.ok(r1h.samplesScanned < 2 * 3 * 24 * 2, `rollups scanned: ${r1h.samplesScanned}`);
  });

  it('merges the small chunks of a settled 2 h window into one, without changing a sample', async () => {
    await f.engine.append(rows([21], T0 - 6 * HOUR, 6 * 3600, 1000, (_s, i) => (i * 7) % 13));
    // Three hours later every window has settled (the last one by idle time).
    await f.engine.maintain(T0 + 3 * HOUR);
    await f.engine.maintain(T0 + 3 * HOUR);
    const chunkRows = () => (f.persistence.db.raw.prepare('SELECT COUNT(*) AS n FROM tsdb_chunks WHERE series_id = 21').get() as { n: number }).n;
    const before = await f.engine.readRaw([21], 0, T0 + DAY);
    assert.equal(before.get(21)!.ts.length, 6 * 3600);
    // 1 Hz for 6 h: 180 head chunks of 120 samples became 3 merged chunks (one per 2 h window).
    assert.equal(chunkRows(), 3);
    assert.deepEqual(await f.engine.readRaw([21], 0, T0 + DAY), before);
    // Values jump by up to ±12 every second (≈ 11 bits a sample); 120-sample chunks also paid a
    // header, a raw first value and a CRC each.
    const payload = (f.persistence.db.raw.prepare('SELECT SUM(LENGTH(data)) AS b FROM tsdb_chunks WHERE series_id = 21').get() as { b: number }).b;
    assert.ok(payload / (6 * 3600) < 1.45, `${payload / (6 * 3600)} B/sample`);
  });

  it('mixes tiers while windows settle: recent data still comes from the head', async () => {
    await f.engine.append(rows([5], T0 - 2 * DAY, 2 * 24 * 60, MIN, (_s, i) => i));
    f.clock.set(T0 + 3 * HOUR);
    await f.engine.maintain(f.clock.now());
    await f.engine.maintain(f.clock.now());
    // New samples land in the head inside already rolled-up time (out of order is not allowed,
    // but the newest hour is): the 1 h answer must include them.
    await f.engine.append(rows([5], T0, 60, MIN, () => 1000));
    const r = await f.engine.readBuckets([5], T0 - 2 * DAY, T0 + HOUR, HOUR);
    assert.equal(r.tier, '1h');
    assert.equal((await f.engine.readBuckets([5], T0, T0 + HOUR, HOUR)).tier, 'raw', 'only head data was read');
    const last = r.buckets.get(5)!.at(-1)!;
    assert.deepEqual(last, { min: 1000, max: 1000, sum: 60_000, count: 60, last: 1000 });
    assert.equal(r.buckets.get(5)!.filter((b) => b !== null).length, 49);
  });

  it('enforces retention per tier by deleting whole chunks and blocks', async () => {
    const g = await open(mkdtempSync(join(tmpdir(), 'vigil-tsdb-ret-')), new ManualClock(T0), { retention: { raw: 2 * DAY, '1m': 4 * DAY, '1h': 8 * DAY } });
    try {
      await g.engine.append(rows([1], T0 - DAY, 24 * 60, MIN));
      for (const days of [1, 3, 5, 9]) {
        g.clock.set(T0 + days * DAY);
        await g.engine.maintain(g.clock.now());
        await g.engine.maintain(g.clock.now());
        const raw = (await g.engine.readRaw([1], 0, T0 + DAY)).get(1)!.ts.length;
        const m = (await g.engine.readBuckets([1], T0 - DAY, T0, MIN)).buckets.get(1)!.filter((b) => b).length;
        const h = (await g.engine.readBuckets([1], T0 - DAY, T0, HOUR)).buckets.get(1)!.filter((b) => b).length;
        const expected = { 1: [1440, 1440, 24], 3: [0, 1440, 24], 5: [0, 0, 24], 9: [0, 0, 0] }[days];
        assert.deepEqual([raw, m, h], expected, `day ${days}`);
      }
      const st = await g.engine.stats();
      assert.equal(st.retentionByTier.raw, 2 * DAY);
      assert.equal(st.samples, 0);
    } finally {
      await g.engine.close();
      rmSync(g.dir, { recursive: true, force: true });
    }
  });

  it('writes checkpoints that trim the log, and recovers from them', async () => {
    const g = await open(mkdtempSync(join(tmpdir(), 'vigil-tsdb-cp-')), new ManualClock(T0), { checkpointLogBytes: 1000 });
    try {
      for (let b = 0; b < 5; b++) await g.engine.append(rows([1, 2, 3, 4], T0 - HOUR + b * 60_000, 60, 1000));
      await g.engine.maintain(T0);
      assert.equal(g.engine.counters.checkpoints, 1);
      const logRows = g.persistence.db.raw.prepare('SELECT COUNT(*) AS n FROM tsdb_log').get() as { n: number };
      assert.equal(logRows.n, 0);
      await g.engine.append(rows([1], T0, 5, 1000, () => 42));
      const before = await g.engine.readRaw([1, 2, 3, 4], 0, T0 + DAY);
      const again = await open(g.dir, g.clock);
      const after = await again.engine.readRaw([1, 2, 3, 4], 0, T0 + DAY);
      for (const id of [1, 2, 3, 4]) assert.deepEqual(after.get(id), before.get(id), `series ${id}`);
      // Compaction persisted the two full chunks per series; the open ones came from the checkpoint.
      assert.equal(again.engine.counters.samples_replayed, 4 * 60 + 5);
      await again.engine.close();
    } finally {
      await g.engine.close();
      rmSync(g.dir, { recursive: true, force: true });
    }
  });

  it('reports disk use per tier and counters in stats()', async () => {
    await f.engine.append(rows([1, 2], T0 - DAY, 24 * 60, MIN));
    await f.engine.maintain(T0 + 4 * HOUR);
    await f.engine.maintain(T0 + 4 * HOUR);
    f.clock.set(T0 + DAY);
    const st = await f.engine.stats();
    for (const tier of ['raw', '1m', '1h', 'log']) assert.equal(typeof st.bytesByTier[tier], 'number', tier);
    assert.ok(st.bytesByTier.raw! > 0);
    assert.equal(st.samples, 2 * 24 * 60);
    assert.equal(st.oldestByTier.raw, T0 - DAY);
    assert.equal(st.oldestByTier['1h'], T0 - DAY);
    assert.equal(st.counters?.corrupt_chunks, 0);
  });
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
