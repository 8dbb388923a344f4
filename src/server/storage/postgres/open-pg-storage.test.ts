import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '../../core/clock.js';
import { needPostgres } from '../../../../test/support/requirements.js';
import { describeStorageContract } from '../testing/storage-contract.js';
import { createPgTestSchema } from '../testing/pg-test-schema.js';
import { openPgStorage } from './open-pg-storage.js';
import net from 'node:net';
import { eventually } from '../../../../test/support/vigil-process.js';
import { VigilError } from '../../core/errors.js';
import { isUniqueViolation } from '../sql/unique-violation.js';
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

  it('an unreachable server gives VIGIL_ERR_STORAGE_UNAVAILABLE (503 + Retry-After), not a driver error', async () => {
    const port = await closedPort();
    const db = openPg({ url: `postgres://postgres:pw@127.0.0.1:${port}/test`, connectTimeoutMs: 500 });
    try {
      await assert.rejects(db.ping(), (err) => err instanceof VigilError && err.code === 'VIGIL_ERR_STORAGE_UNAVAILABLE' && err.retryAfterSeconds! > 0 && !err.message.includes('pw'));
      await assert.rejects(db.transaction(async (tx) => tx.run('SELECT 1')), (err) => err instanceof VigilError && err.code === 'VIGIL_ERR_STORAGE_UNAVAILABLE');
      await assert.rejects(openPgStorage({ url: `postgres://postgres@127.0.0.1:${port}/test`, connectTimeoutMs: 500, clock: new ManualClock() }), (err) => err instanceof VigilError && err.code === 'VIGIL_ERR_STORAGE_UNAVAILABLE');
    } finally {
      await db.close();
    }
  });

  it('a connection killed with pg_terminate_backend fails its transaction as unavailable; the pool then recovers', async () => {
    const idleErrors: Error[] = [];
    const app = `vigil-kill-${t.schema}`;
    const db = openPg({ url: t.url, schema: t.schema, poolSize: 2, applicationName: app, onIdleError: (e) => idleErrors.push(e) });
    const admin = openPg({ url: t.url });
    try {
      await assert.rejects(
        db.transaction(async (tx) => {
          const { pid } = (await tx.get<{ pid: number }>('SELECT pg_backend_pid() AS pid'))!;
          await admin.run('SELECT pg_terminate_backend(?)', [pid]);
          await tx.run('SELECT 1');
        }),
        (err) => err instanceof VigilError && err.code === 'VIGIL_ERR_STORAGE_UNAVAILABLE',
      );
      // Idle connections killed too: the pool reports them and reconnects on the next query.
      await db.ping();
      const killed = await admin.get<{ n: number }>('SELECT COUNT(pg_terminate_backend(pid)) AS n FROM pg_stat_activity WHERE application_name = ?', [app]);
      assert.ok(killed!.n >= 1);
      await eventually(() => idleErrors.length >= 1, 5000, 'the pool to report its killed idle connection');
      await db.ping();
      assert.equal((await db.get<{ v: number }>('SELECT 1 + ? AS v', [41]))!.v, 42);
    } finally {
      await db.close();
      await admin.close();
    }
  });

  it('maps types: int8 and numeric → number, bytea ↔ Buffer, bigint params; unique violations keep 23505', async () => {
    const db = openPg({ url: t.url, schema: t.schema });
    try {
      await db.run('CREATE TABLE types_probe (id BIGINT PRIMARY KEY, b BYTEA, note TEXT)');
      const blob = Buffer.from([0, 1, 2, 255, 0x3f]);
      await db.run("INSERT INTO types_probe (id, b, note) VALUES (?, ?, 'what?')", [2n ** 52n, blob]);
      const row = await db.get<{ id: number; b: Buffer; note: string; n: number; s: number }>("SELECT id, b, note, COUNT(*) OVER () AS n, SUM(id) OVER () AS s FROM types_probe WHERE note = 'what?' AND id = ?", [2 ** 52]);
      assert.deepEqual(row, { id: 2 ** 52, b: blob, note: 'what?', n: 1, s: 2 ** 52 });
      await assert.rejects(db.run('INSERT INTO types_probe (id) VALUES (?)', [2 ** 52]), (err) => isUniqueViolation(err));
    } finally {
      await db.close();
    }
  });
});

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address() as net.AddressInfo;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}
