import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { needPostgres } from '../../../test/support/requirements.js';
import { PgSingletonRunner } from './pg-singleton-runner.js';

const PG_URL = process.env.VIGIL_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const skip = await needPostgres();

async function until(pred: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('PgSingletonRunner (real PostgreSQL)', { skip }, () => {
  const schema = `vigil_lease_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  const pools: pg.Pool[] = [];
  let admin: pg.Pool;
  const pool = () => {
    const p = new pg.Pool({ connectionString: PG_URL, max: 2, options: `-c search_path=${schema}` });
    p.on('error', () => {});
    pools.push(p);
    return p;
  };
  before(async () => {
    admin = new pg.Pool({ connectionString: PG_URL, max: 1 });
    await admin.query(`CREATE SCHEMA ${schema}`);
  });
  after(async () => {
    await Promise.all(pools.map((p) => p.end().catch(() => {})));
    await admin.query(`DROP SCHEMA ${schema} CASCADE`);
    await admin.end();
  });

  it('rejects a renewal period longer than half the lease', () => {
    assert.throws(() => new PgSingletonRunner({ pool: pool(), ttlMs: 1000, renewMs: 600 }), /half/);
  });

  it('exactly one replica leads; a graceful close hands over at once with a higher fencing token', async () => {
    const a = new PgSingletonRunner({ pool: pool(), leaseName: 'job-a', ttlMs: 2000, renewMs: 100, holder: 'a' });
    const b = new PgSingletonRunner({ pool: pool(), leaseName: 'job-a', ttlMs: 2000, renewMs: 100, holder: 'b' });
    await a.start();
    await b.start();
    assert.equal(a.isLeader(), true);
    assert.equal(b.isLeader(), false);
    const ranOn: string[] = [];
    const tokens: number[] = [];
    a.every('x', 20, async (ctx) => {
      ranOn.push('a');
      tokens.push(ctx.fencingToken);
    });
    b.every('x', 20, async (ctx) => {
      ranOn.push('b');
      tokens.push(ctx.fencingToken);
    });
    await until(() => ranOn.length >= 3);
    assert.deepEqual(new Set(ranOn), new Set(['a']));
    const first = a.fencingToken as number;
    await a.close();
    assert.equal(a.isLeader(), false);
    await until(() => b.isLeader(), 2000);
    assert.ok((b.fencingToken as number) > first);
    const n = ranOn.length;
    await until(() => ranOn.length > n + 2);
    assert.deepEqual(new Set(ranOn.slice(n)), new Set(['b']));
    assert.ok(tokens.slice(n).every((t) => t === b.fencingToken));
    await b.close();
  });

  it('when the leader cannot renew, its jobs are aborted before the lease lapses and another takes over', async () => {
    const deadPool = pool();
    const changes: string[] = [];
    const a = new PgSingletonRunner({ pool: deadPool, leaseName: 'job-b', ttlMs: 1500, renewMs: 100, holder: 'a', onChange: (l) => changes.push(`a:${l}`) });
    const b = new PgSingletonRunner({ pool: pool(), leaseName: 'job-b', ttlMs: 1500, renewMs: 100, holder: 'b', onChange: (l) => changes.push(`b:${l}`) });
    await a.start();
    await b.start();
    let signal: AbortSignal | null = null;
    a.every('x', 20, async (ctx) => {
      signal = ctx.signal;
    });
    await until(() => signal !== null);
    // The leader "dies" without releasing: its connections go away, renewals fail.
    await deadPool.end();
    const lostAt = Date.now();
    await until(() => (signal as AbortSignal | null)?.aborted === true, 3000);
    const abortedAfter = Date.now() - lostAt;
    await until(() => b.isLeader(), 3000);
    const takeoverAfter = Date.now() - lostAt;
    assert.ok(abortedAfter < takeoverAfter, `leader stopped (${abortedAfter} ms) before takeover (${takeoverAfter} ms)`);
    assert.ok(takeoverAfter <= 1500 + 100 + 500, `takeover after ${takeoverAfter} ms`);
    assert.deepEqual(changes, ['a:true', 'a:false', 'b:true']);
    await b.close();
    await a.close();
  });

  it('separate lease names are independent', async () => {
    const a = new PgSingletonRunner({ pool: pool(), leaseName: 'job-c', ttlMs: 2000, renewMs: 100 });
    const b = new PgSingletonRunner({ pool: pool(), leaseName: 'job-d', ttlMs: 2000, renewMs: 100 });
    await a.start();
    await b.start();
    assert.equal(a.isLeader(), true);
    assert.equal(b.isLeader(), true);
    await a.close();
    await b.close();
  });
});
