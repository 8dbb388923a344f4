import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '../../core/clock.js';
import { describeStorageContract } from '../testing/storage-contract.js';
import { openSqliteStorage } from './open-sqlite-storage.js';
import { openSqlite } from './sqlite-db.js';

describeStorageContract('sqlite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-contract-'));
  const clock = new ManualClock(Date.UTC(2026, 10, 22));
  const storage = await openSqliteStorage({ dataDir: dir, clock });
  return {
    storage,
    clock,
    cleanup: async () => {
      await storage.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});

describe('sqlite specifics', () => {
  it('audit_log rejects UPDATE and DELETE at the database level', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-audit-'));
    const storage = await openSqliteStorage({ dataDir: dir, clock: new ManualClock() });
    await storage.audit.append({ ts: 1, actor: 'a', action: 'x', target: null, ip: null, userAgent: null, outcome: 'success', details: null }, () => 'h'.repeat(64));
    await storage.close();
    const db = openSqlite({ path: join(dir, 'vigil.db') });
    assert.throws(() => db.exec("UPDATE audit_log SET actor = 'evil'"), /append-only/);
    assert.throws(() => db.exec('DELETE FROM audit_log'), /append-only/);
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('transactions serialize concurrent callers and roll back on error', async () => {
    const db = openSqlite({ path: ':memory:' });
    db.exec('CREATE TABLE t (v INTEGER)');
    let outside: Promise<unknown> = Promise.resolve();
    await assert.rejects(
      db.transaction(async (tx) => {
        await tx.run('INSERT INTO t VALUES (1)');
        outside = db.run('INSERT INTO t VALUES (9)');
        await new Promise((r) => setTimeout(r, 20));
        throw new Error('boom');
      }),
      /boom/,
    );
    await outside;
    const rows = await db.all<{ v: number }>('SELECT v FROM t');
    assert.deepEqual(rows.map((r) => r.v), [9], 'the outside write waited and was not rolled back with the transaction');
    await db.close();
  });
});
