import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { needPostgres } from '../../../../test/support/requirements.js';
import { ManualClock } from '../../core/clock.js';
import { TsdbEngine } from '../../tsdb/engine/tsdb-engine.js';
import type { TsdbOptions } from '../../tsdb/engine/tsdb-options.js';
import type { SampleRow } from '../sample-store.js';
import { createPgTestSchema } from '../testing/pg-test-schema.js';
import { describeTsdbContract } from '../testing/tsdb-contract.js';
import { prepareSchema } from './open-pg-storage.js';
import { openPg, type PgDb } from './pg-db.js';
import { PgTsdbPersistence } from './pg-tsdb-persistence.js';

const skip = await needPostgres();

if (skip) {
  describe('time-series engine contract: postgres', { skip }, () => {});
} else {
  describeTsdbContract('postgres', async () => {
    const t = await createPgTestSchema();
    const pools: PgDb[] = [];
    let crashed = 0;
    const pool = () => {
      const db = openPg({ url: t.url, schema: t.schema, poolSize: 3, applicationName: `${t.schema}-${pools.length}` });
      pools.push(db);
      return db;
    };
    const admin = pool();
    await prepareSchema(admin);
    return {
      // A new pool per open: a second open is a second process on the same schema.
      open: async () => PgTsdbPersistence.open(pool()),
      simulateCrash: async () => {
        // Every session of the pools opened so far ends, as when their process is killed.
        const names = pools.slice(1).map((_p, i) => `${t.schema}-${i + 1}`).slice(crashed);
        crashed += names.length;
        for (const name of names) await admin.run('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = ?', [name]);
      },
      chunkStats: async (id) => (await admin.get<{ rows: number; bytes: number }>('SELECT COUNT(*) AS rows, COALESCE(SUM(LENGTH(data)), 0) AS bytes FROM tsdb_chunks WHERE series_id = ?', [id]))!,
      logRows: async () => (await admin.get<{ n: number }>('SELECT COUNT(*) AS n FROM tsdb_log'))!.n,
      cleanup: async () => {
        for (const db of pools) await db.close();
        await t.drop();
      },
    };
  });
}

describe('time-series writers on PostgreSQL (several replicas, one database)', { skip }, () => {
  it('live processes own separate logs and checkpoints; a stopped one is adopted by the next to start', async () => {
    const t = await createPgTestSchema();
    const admin = openPg({ url: t.url, schema: t.schema });
    const dbs = [0, 1, 2].map(() => openPg({ url: t.url, schema: t.schema, poolSize: 2 }));
    try {
      await prepareSchema(admin);
      const a = await PgTsdbPersistence.open(dbs[0]!);
      const b = await PgTsdbPersistence.open(dbs[1]!);
      assert.notEqual(a.writer, b.writer);
      const sa = await a.appendLog(Buffer.from('from a'));
      await b.appendLog(Buffer.from('from b'));
      await b.writeCheckpoint(sa + 10, [Buffer.from('b head')]);
      // b's checkpoint trimmed only b's log; a's record is still there for a.
      const aLog: string[] = [];
      for await (const e of a.readLog(0)) aLog.push(Buffer.from(e.data).toString());
      assert.deepEqual(aLog, ['from a']);
      assert.equal(await a.readCheckpoint(), null);
      await a.close();
      const c = await PgTsdbPersistence.open(dbs[2]!);
      assert.equal(c.writer, a.writer, 'the stopped writer is adopted');
      const cLog: string[] = [];
      for await (const e of c.readLog(0)) cLog.push(Buffer.from(e.data).toString());
      assert.deepEqual(cLog, ['from a']);
      await b.close();
      await c.close();
    } finally {
      for (const db of dbs) await db.close();
      await admin.close();
      await t.drop();
    }
  });
});

describe('reads on one replica see the other replicas\' heads (PostgreSQL)', { skip }, () => {
  const T0 = Date.UTC(2026, 10, 1);
  const MIN = 60_000;
  /** Small closed chunks and a short out-of-order window so compaction happens within minutes. */
  const OPTS: Partial<TsdbOptions> = { head: { chunkMaxSamples: 10, oooWindowMs: MIN } };
  const series = (id: number, from: number, n: number, value = (i: number) => id * 1000 + i): SampleRow[] =>
    Array.from({ length: n }, (_v, i) => ({ seriesId: id, ts: T0 + (from + i) * 1000, value: value(from + i) }));

  async function twoReplicas(fn: (x: { a: TsdbEngine; b: TsdbEngine; clock: ManualClock; admin: PgDb }) => Promise<void>, bOpts: Partial<TsdbOptions> = {}): Promise<void> {
    const t = await createPgTestSchema();
    const admin = openPg({ url: t.url, schema: t.schema });
    const dbs = [0, 1].map(() => openPg({ url: t.url, schema: t.schema, poolSize: 3 }));
    const clock = new ManualClock(T0);
    const engines: TsdbEngine[] = [];
    try {
      await prepareSchema(admin);
      // A does not follow in the background: the test drives it; B follows every second unless told otherwise.
      engines.push(await TsdbEngine.open(await PgTsdbPersistence.open(dbs[0]!), clock, { ...OPTS, peerPollMs: 0 }));
      engines.push(await TsdbEngine.open(await PgTsdbPersistence.open(dbs[1]!), clock, { ...OPTS, ...bOpts }));
      await fn({ a: engines[0]!, b: engines[1]!, clock, admin });
    } finally {
      for (const e of engines) await e.close();
      for (const db of dbs) await db.close();
      await admin.close();
      await t.drop();
    }
  }

  /** Polls `read` until `done` holds or 10 s pass; returns the last value read. */
  async function eventually<T>(read: () => Promise<T>, done: (v: T) => boolean): Promise<T> {
    const until = Date.now() + 10_000;
    let v = await read();
    while (!done(v) && Date.now() < until) {
      await new Promise((r) => setTimeout(r, 100));
      v = await read();
    }
    return v;
  }

  it('samples appended on A show up in B\'s queries through B\'s background follow', async () => {
    await twoReplicas(async ({ a, b }) => {
      await a.append(series(1, 0, 30));
      const raw = await eventually(
        async () => (await b.readRaw([1], T0, T0 + 60_000)).get(1)!,
        (s) => s.ts.length === 30,
      );
      assert.deepEqual(raw.ts, series(1, 0, 30).map((r) => r.ts));
      assert.deepEqual(raw.values, series(1, 0, 30).map((r) => r.value));
      const latest = (await b.latest([1])).get(1);
      assert.deepEqual(latest, { ts: T0 + 29_000, value: 1029 });
    });
  });

  it('each sample appears exactly once while A has compacted but not checkpointed, and after it checkpointed', async () => {
    await twoReplicas(
      async ({ a, b, clock, admin }) => {
        const expected = series(1, 0, 50);
        await a.append(expected);
        // B writes its own series and also a few samples of series 1 that A holds as well.
        await b.append([...series(2, 0, 20), ...series(1, 10, 5)]);
        await b.refreshPeers();
        const check = async (label: string) => {
          const raw = await b.readRaw([1, 2], T0, T0 + 120_000);
          assert.deepEqual(raw.get(1)!.ts, expected.map((r) => r.ts), `${label}: series 1 once each`);
          assert.deepEqual(raw.get(1)!.values, expected.map((r) => r.value), label);
          assert.equal(raw.get(2)!.ts.length, 20, label);
          const buckets = await b.readBuckets([1], T0, T0 + 60_000, 10_000);
          assert.deepEqual(buckets.buckets.get(1)!.map((x) => x?.count ?? 0), [10, 10, 10, 10, 10, 0], `${label}: bucket counts`);
        };
        await check('head only');

        // A compacts its closed chunks into tsdb_chunks; its checkpoint (10 min interval) is not due yet.
        clock.set(T0 + 3 * MIN);
        await a.maintain(clock.now());
        const chunks = (await admin.get<{ n: number }>('SELECT COUNT(*) AS n FROM tsdb_chunks WHERE series_id = 1'))!.n;
        const ckpts = (await admin.get<{ n: number }>('SELECT COUNT(*) AS n FROM tsdb_checkpoint'))!.n;
        assert.ok(chunks >= 4, `A compacted (${chunks} chunks)`);
        assert.equal(ckpts, 0, 'A has not checkpointed: its log still holds the compacted samples');
        await check('compacted, before the checkpoint (samples in A\'s head copy and in chunks)');

        // A checkpoints (and trims its log): B reloads its copy of A's head.
        clock.set(T0 + 12 * MIN);
        await a.maintain(clock.now());
        assert.equal((await admin.get<{ n: number }>('SELECT COUNT(DISTINCT writer) AS n FROM tsdb_checkpoint'))!.n, 1, 'A checkpointed');
        await b.refreshPeers();
        await check('after A\'s checkpoint');

        // New samples after the checkpoint are tailed from A's log.
        const more = series(1, 50, 5);
        await a.append(more);
        expected.push(...more);
        await b.refreshPeers();
        const raw = await b.readRaw([1], T0, T0 + 120_000);
        assert.deepEqual(raw.get(1)!.ts, expected.map((r) => r.ts));
      },
      { peerPollMs: 0 },
    );
  });

  it('a stopped replica\'s head stays visible to the others until it is adopted', async () => {
    await twoReplicas(
      async ({ a, b }) => {
        await a.append(series(3, 0, 12));
        await a.close();
        await b.refreshPeers();
        assert.equal((await b.readRaw([3], T0, T0 + 60_000)).get(3)!.ts.length, 12);
      },
      { peerPollMs: 0 },
    );
  });
});
