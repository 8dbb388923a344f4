import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { needPostgres } from '../../../../test/support/requirements.js';
import { systemClock } from '../../core/clock.js';
import { openPgStorage } from '../postgres/open-pg-storage.js';
import { createPgTestSchema } from '../testing/pg-test-schema.js';

const skip = await needPostgres();

describe('series index with concurrent writers on PostgreSQL', { skip }, () => {
  it('resolves every new series when 32 batches create series at once (ids commit in order)', async () => {
    const pg = await createPgTestSchema();
    const a = await openPgStorage({ url: pg.url, schema: pg.schema, clock: systemClock, poolSize: 8 });
    // A second "replica" over the same schema must see every series the first created.
    const b = await openPgStorage({ url: pg.url, schema: pg.schema, clock: systemClock, poolSize: 4 });
    try {
      const batch = (agent: number) => Array.from({ length: 100 }, (_, i) => ({ metric: `m${i % 20}`, labels: { idx: String(i), agent: String(agent) }, agentId: null }));
      const ids = await Promise.all(Array.from({ length: 32 }, (_, n) => (n % 2 === 0 ? a : b).series.resolve(batch(n), 1_000_000)));
      assert.equal(ids.flat().filter((x) => x === null).length, 0);
      assert.equal(new Set(ids.flat()).size, 3200);
      const again = await Promise.all(Array.from({ length: 32 }, (_, n) => (n % 2 === 0 ? b : a).series.resolve(batch(n), 1_000_000)));
      assert.deepEqual(again, ids, 'the other writer resolves to the same ids');
    } finally {
      await a.close();
      await b.close();
      await pg.drop();
    }
  });
});
