import { describe, it, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '../../core/clock.js';
import { TsdbEngine } from '../../tsdb/engine/tsdb-engine.js';
import type { TsdbOptions } from '../../tsdb/engine/tsdb-options.js';
import type { TsdbPersistence } from '../../tsdb/engine/tsdb-persistence.js';
import type { BucketStats, SampleRow } from '../sample-store.js';

const MIN = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;
const T0 = Date.UTC(2026, 10, 1);

/** One empty time-series store of a backend (a SQLite file, a PostgreSQL schema). */
export interface TsdbStoreFixture {
  /** Opens a persistence on this store; a second call is a second process on the same data. */
  open(): Promise<TsdbPersistence>;
  /** Stored chunk rows of one series and the sum of their blob sizes (bytes). */
  chunkStats(seriesId: number): Promise<{ rows: number; bytes: number }>;
  /** Records in the ingest log. */
  logRows(): Promise<number>;
  /**
   * Makes every persistence opened so far behave like a killed process before a second one opens
   * (PostgreSQL: their sessions end, so their writer locks are free). Absent: nothing to do.
   */
  simulateCrash?(): Promise<void>;
  /** Closes what `open` opened and deletes the store. */
  cleanup(): Promise<void>;
}

interface Fixture {
  clock: ManualClock;
  engine: TsdbEngine;
}

async function open(store: TsdbStoreFixture, clock: ManualClock, opts: Partial<TsdbOptions> = {}): Promise<Fixture> {
  const warnings: string[] = [];
  const log = { warn: (m: string) => warnings.push(m), error: (m: string) => warnings.push(m) };
  const engine = await TsdbEngine.open(await store.open(), clock, { log, ...opts });
  return { clock, engine };
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

/**
 * The time-series engine's behaviour over a {@link TsdbPersistence}: the same tests run on every
 * backend (SQLite always, PostgreSQL when reachable). `newStore` makes an empty store per test.
 */
export function describeTsdbContract(backend: string, newStore: () => Promise<TsdbStoreFixture>): void {
  describe(`time-series engine contract: ${backend}`, () => {
    let store: TsdbStoreFixture;
    let f: Fixture;
    beforeEach(async () => {
      store = await newStore();
      f = await open(store, new ManualClock(T0));
    });
    afterEach(async () => {
      await f.engine.close();
      await store.cleanup();
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
      f = await open(store, f.clock);
      assert.deepEqual(await f.engine.readRaw([1, 2, 3], 0, T0 + DAY), before);
      assert.deepEqual(await f.engine.latest([1, 4]), new Map([[1, { ts: T0 - 10_000, value: input[input.length - 3]!.value }]]));
    });

    it('rebuilds the head from the log after a crash (no close, no checkpoint)', async () => {
      await f.engine.append(rows([7], T0 - HOUR, 100, 1000));
      // Simulated crash: the engine is dropped without close(); a second process opens the file.
      await store.simulateCrash?.();
      const other = await open(store, f.clock);
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
      const chunkRows = async () => (await store.chunkStats(21)).rows;
      const before = await f.engine.readRaw([21], 0, T0 + DAY);
      assert.equal(before.get(21)!.ts.length, 6 * 3600);
      // 1 Hz for 6 h: 180 head chunks of 120 samples became 3 merged chunks (one per 2 h window).
      assert.equal(await chunkRows(), 3);
      assert.deepEqual(await f.engine.readRaw([21], 0, T0 + DAY), before);
      // Values jump by up to ±12 every second (≈ 11 bits a sample); 120-sample chunks also paid a
      // header, a raw first value and a CRC each.
      const payload = (await store.chunkStats(21)).bytes;
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
      const gs = await newStore();
      const g = await open(gs, new ManualClock(T0), { retention: { raw: 2 * DAY, '1m': 4 * DAY, '1h': 8 * DAY } });
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
        await gs.cleanup();
      }
    });

    it('writes checkpoints that trim the log, and recovers from them', async () => {
      const gs = await newStore();
      const g = await open(gs, new ManualClock(T0), { checkpointLogBytes: 1000 });
      try {
        for (let b = 0; b < 5; b++) await g.engine.append(rows([1, 2, 3, 4], T0 - HOUR + b * 60_000, 60, 1000));
        await g.engine.maintain(T0);
        assert.equal(g.engine.counters.checkpoints, 1);
        assert.equal(await gs.logRows(), 0);
        await g.engine.append(rows([1], T0, 5, 1000, () => 42));
        const before = await g.engine.readRaw([1, 2, 3, 4], 0, T0 + DAY);
        await gs.simulateCrash?.();
        const again = await open(gs, g.clock);
        const after = await again.engine.readRaw([1, 2, 3, 4], 0, T0 + DAY);
        for (const id of [1, 2, 3, 4]) assert.deepEqual(after.get(id), before.get(id), `series ${id}`);
        // Compaction persisted the two full chunks per series; the open ones came from the checkpoint.
        assert.equal(again.engine.counters.samples_replayed, 4 * 60 + 5);
        await again.engine.close();
      } finally {
        await g.engine.close();
        await gs.cleanup();
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
}
