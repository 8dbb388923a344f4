import { describe } from 'node:test';
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
    const pool = () => {
      const db = openPg({ url: t.url, schema: t.schema, poolSize: 3 });
      pools.push(db);
      return db;
    };
    const admin = pool();
    await prepareSchema(admin);
    return {
      // A new pool per open: a second open is a second process on the same schema.
      open: async () => new PgTsdbPersistence(pool()),
      chunkStats: async (id) => (await admin.get<{ rows: number; bytes: number }>('SELECT COUNT(*) AS rows, COALESCE(SUM(LENGTH(data)), 0) AS bytes FROM tsdb_chunks WHERE series_id = ?', [id]))!,
      logRows: async () => (await admin.get<{ n: number }>('SELECT COUNT(*) AS n FROM tsdb_log'))!.n,
      cleanup: async () => {
        for (const db of pools) await db.close();
        await t.drop();
      },
    };
  });
}
