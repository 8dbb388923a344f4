import net from 'node:net';
import type { BenchFigure, BenchSuite } from './bench-types.js';
import { median, percentile } from './support/server-process.js';
import { ManualClock } from '../src/server/core/clock.js';
import type { SampleRow } from '../src/server/storage/sample-store.js';
import { prepareSchema } from '../src/server/storage/postgres/open-pg-storage.js';
import { openPg, type PgDb } from '../src/server/storage/postgres/pg-db.js';
import { PgTsdbPersistence } from '../src/server/storage/postgres/pg-tsdb-persistence.js';
import { createPgTestSchema, TEST_PG_URL } from '../src/server/storage/testing/pg-test-schema.js';
import { TsdbEngine } from '../src/server/tsdb/engine/tsdb-engine.js';

const SERIES = 10_000;
const INTERVAL = 10_000;
const BATCH = 1000;

function reachable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ host: '127.0.0.1', port });
    const done = (ok: boolean) => (s.destroy(), resolve(ok));
    s.setTimeout(1000, () => done(false));
    s.once('connect', () => done(true));
    s.once('error', () => done(false));
  });
}

/** One round of every series at `ts`, in batches of `BATCH` rows (one log record each). */
async function ingestRound(engine: TsdbEngine, ts: number, round: number): Promise<void> {
  for (let from = 0; from < SERIES; from += BATCH) {
    const rows: SampleRow[] = [];
    for (let s = from; s < from + BATCH; s++) rows.push({ seriesId: s + 1, ts, value: (s * 7 + round) % 100 });
    await engine.append(rows);
  }
}

/**
 * Replica B following replica A's head on one PostgreSQL schema: A ingests 10k series for `rounds`
 * rounds (all still in its head), then B's first refresh rebuilds A's head from the log, a
 * refresh after one more round tails 10k samples, and raw queries on B read through the copy.
 */
async function run(quick: boolean, log: (msg: string) => void): Promise<BenchFigure[]> {
  const rounds = quick ? 10 : 60;
  const t = await createPgTestSchema();
  const dbs: PgDb[] = [0, 1, 2].map(() => openPg({ url: t.url, schema: t.schema, poolSize: 4 }));
  const t0 = Date.UTC(2026, 10, 1);
  const clock = new ManualClock(t0);
  let a: TsdbEngine | null = null;
  let b: TsdbEngine | null = null;
  try {
    await prepareSchema(dbs[0]!);
    a = await TsdbEngine.open(await PgTsdbPersistence.open(dbs[1]!), clock, { peerPollMs: 0 });
    b = await TsdbEngine.open(await PgTsdbPersistence.open(dbs[2]!), clock, { peerPollMs: 0 });
    for (let r = 0; r < rounds; r++) await ingestRound(a, t0 + r * INTERVAL, r);
    const n = rounds * SERIES;
    log(`peer-heads: A ingested ${n} samples; B rebuilds its copy`);
    global.gc?.();
    const heap0 = process.memoryUsage().heapUsed;
    const f0 = performance.now();
    await b.refreshPeers();
    const fullMs = performance.now() - f0;
    global.gc?.();
    const heapMb = (process.memoryUsage().heapUsed - heap0) / 1e6;
    await ingestRound(a, t0 + rounds * INTERVAL, rounds);
    const i0 = performance.now();
    await b.refreshPeers();
    const tailMs = performance.now() - i0;
    const idle: number[] = [];
    for (let i = 0; i < 20; i++) {
      const s = performance.now();
      await b.refreshPeers();
      idle.push(performance.now() - s);
    }
    const q: number[] = [];
    for (let i = 0; i < 50; i++) {
      const ids = Array.from({ length: 20 }, (_v, k) => ((i * 20 + k) % SERIES) + 1);
      const s = performance.now();
      const got = await b.readRaw(ids, t0, t0 + (rounds + 1) * INTERVAL);
      q.push(performance.now() - s);
      if (got.get(ids[0]!)!.ts.length !== rounds + 1) throw new Error('B does not see all of A\'s samples');
    }
    return [
      { name: 'peer_heads_full_reload_ms', value: fullMs, unit: 'ms', note: `B rebuilds A's head from ${n} logged samples (${(n / SERIES)} per series, 10k series)` },
      { name: 'peer_heads_full_reload_heap_mb', value: heapMb, unit: 'MB', note: global.gc ? 'heap after GC' : 'heap growth without forced GC (approximate)' },
      { name: 'peer_heads_tail_10k_samples_ms', value: tailMs, unit: 'ms', note: 'refresh after A appended one round (10k samples, 10 log records)' },
      { name: 'peer_heads_idle_refresh_p50', value: median(idle), unit: 'ms', note: 'refresh with nothing new (the cost paid every peerPollMs)' },
      { name: 'peer_heads_query_20_series_raw_p50', value: median(q), unit: 'ms', note: `readRaw of 20 series on B over ${rounds + 1} samples each (chunks + own head + A's copy)` },
      { name: 'peer_heads_query_20_series_raw_p99', value: percentile(q, 99), unit: 'ms', note: '50 queries' },
    ];
  } finally {
    await b?.close();
    await a?.close();
    for (const db of dbs) await db.close();
    await t.drop();
  }
}

export const suite: BenchSuite = {
  name: 'peer-heads',
  description: 'PostgreSQL replicas: cost of following another replica\'s head (reload, tail, idle refresh) and of reading through it',
  async run({ quick, log }) {
    if (!(await reachable(5432))) {
      log(`PostgreSQL not reachable at ${TEST_PG_URL}: peer-heads skipped`);
      return [];
    }
    return run(quick, log);
  },
};
