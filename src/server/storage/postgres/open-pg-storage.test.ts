import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '../../core/clock.js';
import { needPostgres } from '../../../../test/support/requirements.js';
import { describeStorageContract } from '../testing/storage-contract.js';
import { createPgTestSchema } from '../testing/pg-test-schema.js';
import { openPgStorage } from './open-pg-storage.js';
import { openPg } from './pg-db.js';
import { migratePg } from './migrate-pg.js';
import { PG_MIGRATIONS } from './pg-migrations.js';

const skip = await needPostgres();

if (skip) {
  describe('storage contract: postgres', { skip }, () => {});
} else {
  describeStorageContract('postgres', async () => {
    const t = await createPgTestSchema();
    const clock = new ManualClock(Date.UTC(2026, 10, 22));
    const storage = await openPgStorage({ url: t.url, schema: t.schema, clock });
    return {
      storage,
      clock,
      cleanup: async () => {
        await storage.close();
        await t.drop();
      },
    };
  });
}

describe('postgres specifics', { skip }, () => {
  let t: Awaited<ReturnType<typeof createPgTestSchema>>;
  before(async () => {
    t = await createPgTestSchema();
  });
  after(async () => {
    await t.drop();
  });

  it('two concurrent migrators apply each migration exactly once (advisory lock)', async () => {
    const a = openPg({ url: t.url, schema: t.schema });
    const b = openPg({ url: t.url, schema: t.schema });
    try {
      const [ra, rb] = await Promise.all([migratePg(a, PG_MIGRATIONS), migratePg(b, PG_MIGRATIONS)]);
      assert.deepEqual([...ra, ...rb].sort(), PG_MIGRATIONS.map((m) => m.id).sort());
      assert.deepEqual(await migratePg(a, PG_MIGRATIONS), []);
      const rows = await a.all<{ id: string }>('SELECT id FROM schema_migrations ORDER BY id');
      assert.equal(rows.length, PG_MIGRATIONS.length);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('audit_log rejects UPDATE, DELETE and TRUNCATE at the database level', async () => {
    const storage = await openPgStorage({ url: t.url, schema: t.schema, clock: new ManualClock() });
    try {
      await storage.audit.append({ ts: 1, actor: 'a', action: 'x', target: null, ip: null, userAgent: null, outcome: 'success', details: null }, () => 'h'.repeat(64));
    } finally {
      await storage.close();
    }
    const db = openPg({ url: t.url, schema: t.schema });
    try {
      await assert.rejects(db.run("UPDATE audit_log SET actor = 'evil'"), /append-only/);
      await assert.rejects(db.run('DELETE FROM audit_log'), /append-only/);
      await assert.rejects(db.run('TRUNCATE audit_log'), /append-only/);
    } finally {
      await db.close();
    }
  });
});
