import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { needPostgres } from '../../../../test/support/requirements.js';
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
