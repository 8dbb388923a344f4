import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '../../src/server/core/clock.js';
import { SqliteTsdbPersistence } from '../../src/server/storage/sqlite/sqlite-tsdb-persistence.js';
import type { BucketStats } from '../../src/server/storage/sample-store.js';
import { TsdbEngine } from '../../src/server/tsdb/engine/tsdb-engine.js';
import type { TsdbStep } from '../../src/server/tsdb/engine/tsdb-options.js';
import { batch, clockAfter, CRASH_OPTIONS, SERIES, T0 } from './tsdb-workload.js';

const CHILD = new URL('./tsdb-crash-child.ts', import.meta.url).pathname;
const HOUR = 3_600_000;
const BATCHES = 200;

interface ChildRun {
  acked: number[];
  signal: NodeJS.Signals | null;
  done: boolean;
}

/** Runs the child; `killAtAck` kills it from outside once it printed that ack (mid-way through the next batch or maintenance). */
function runChild(dir: string, from: number, to: number, step?: TsdbStep, nth?: number, killAtAck?: number): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const args = ['--import', 'tsx', CHILD, dir, String(from), String(to), ...(step ? [step, String(nth)] : [])];
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (killAtAck !== undefined && out.includes(`ack ${killAtAck}\n`)) child.kill('SIGKILL');
    });
    child.once('error', reject);
    child.once('close', (code, signal) => {
      if (code !== 0 && signal === null) return reject(new Error(`child exited with ${code}: ${out}`));
      const acked = out.split('\n').filter((l) => l.startsWith('ack ')).map((l) => Number(l.slice(4)));
      resolve({ acked, signal, done: out.includes('done\n') });
    });
  });
}

/** Hourly buckets of every generated sample of batches `[0, n)`, per series. */
function expectedHourly(n: number, first: number, buckets: number): Map<number, (BucketStats | null)[]> {
  const out = new Map<number, (BucketStats | null)[]>();
  for (let s = 1; s <= SERIES; s++) out.set(s, new Array(buckets).fill(null));
  for (let b = 0; b < n; b++) {
    for (const r of batch(b)) {
      const i = Math.floor((r.ts - first) / HOUR);
      const list = out.get(r.seriesId)!;
      const cur = list[i];
      if (!cur) list[i] = { min: r.value, max: r.value, sum: r.value, count: 1, last: r.value };
      else {
        cur.min = Math.min(cur.min, r.value);
        cur.max = Math.max(cur.max, r.value);
        cur.sum += r.value;
        cur.count++;
        cur.last = r.value;
      }
    }
  }
  return out;
}

/**
 * Reopens the store in this process, re-sends the batch that may have been cut off (as an agent
 * retries an unacknowledged batch) and checks: nothing acknowledged is lost, nothing is stored
 * twice (hourly counts and sums are exact across raw, 1 m and 1 h tiers), raw data within
 * retention is exact, and new writes are accepted.
 */
async function verify(dir: string, run: ChildRun): Promise<number> {
  const last = run.acked.length > 0 ? Math.max(...run.acked) : -1;
  for (let b = 0; b <= last; b++) assert.ok(run.acked.includes(b), `ack ${b} missing`);
  const clock = new ManualClock(clockAfter(last + 1));
  const persistence = SqliteTsdbPersistence.open(join(dir, 'tsdb.db'), 'D');
  const engine = await TsdbEngine.open(persistence, clock, CRASH_OPTIONS);
  try {
    const retry = await engine.append(batch(last + 1));
    assert.ok(retry.every((o) => o === 'stored' || o === 'duplicate'), `retry outcomes: ${[...new Set(retry)].join(',')}`);
    const n = last + 2;
    const ids = Array.from({ length: SERIES }, (_, i) => i + 1);
    const end = clockAfter(n);
    const buckets = Math.ceil((end - T0) / HOUR);
    const got = await engine.readBuckets(ids, T0, end, HOUR);
    assert.deepEqual(got.buckets, expectedHourly(n, T0, buckets));
    const rawFrom = clockAfter(last + 1) - CRASH_OPTIONS.retention!.raw!;
    const raw = await engine.readRaw([3], rawFrom, end);
    const want = Array.from({ length: n }, (_, b) => batch(b)).flat().filter((r) => r.seriesId === 3 && r.ts >= rawFrom);
    assert.deepEqual(raw.get(3)?.ts, want.map((r) => r.ts));
    assert.deepEqual(raw.get(3)?.values, want.map((r) => r.value));
    assert.equal(engine.counters.corrupt_chunks + engine.counters.corrupt_log_records + engine.counters.corrupt_checkpoint_parts, 0);
    if (n >= BATCHES) {
      // The full run went through every stage: raw retention deleted chunks, rollups answered.
      const st = await engine.stats();
      assert.ok((st.oldestByTier.raw ?? 0) > T0 + HOUR, `raw retention ran (oldest ${st.oldestByTier.raw})`);
      assert.equal(got.tier, '1m', 'the day-long 1 h windows have not settled; 1 m blocks answered the older hours');
      const blocks = persistence.db.raw.prepare('SELECT COUNT(*) AS n FROM tsdb_rollup_1m').get() as { n: number };
      assert.ok(blocks.n >= SERIES * 5, `1 m rollup blocks were built (${blocks.n})`);
    }
    return n;
  } finally {
    await engine.close();
  }
}

describe('time-series engine: kill -9 at every step loses nothing acknowledged and stores nothing twice', () => {
  const steps: [TsdbStep, number][] = [
    ['append:logged', 40],
    ['compact:committed', 5],
    ['checkpoint:written', 3],
    ['rollup:written', 4],
    ['retention:done', 12],
  ];
  for (const [step, nth] of steps) {
    it(`killed right after ${step} (#${nth}), restarted, then run to the end`, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'vigil-crash-'));
      try {
        const first = await runChild(dir, 0, BATCHES, step, nth);
        assert.equal(first.signal, 'SIGKILL', `the child reached ${step} #${nth}`);
        const next = await verify(dir, first);
        const rest = await runChild(dir, next, BATCHES);
        assert.equal(rest.done, true);
        await verify(dir, { acked: [...Array(BATCHES).keys()], signal: null, done: true });
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }

  it('killed from outside at random moments, five times in a row', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-crash-rnd-'));
    try {
      let from = 0;
      for (let round = 0; round < 5 && from < BATCHES; round++) {
        const target = from + 1 + Math.floor(Math.random() * (BATCHES - from - 2));
        const run = await runChild(dir, from, BATCHES, undefined, undefined, target);
        assert.equal(run.signal, 'SIGKILL');
        const acked = [...Array(from).keys(), ...run.acked];
        from = await verify(dir, { ...run, acked });
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
