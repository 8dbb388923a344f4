/**
 * Storage backends side by side (issue 7): the same workload — 10,000 series at a 10 s interval,
 * ingested in batches of 1,000 samples with 8 batches in flight — through the storage layer
 * (`Storage.series` + `Storage.samples`, i.e. the time-series engine with its ingest log) on
 * SQLite and on PostgreSQL (127.0.0.1:5432, database `test`, a throwaway schema), then query
 * latency p50/p99 on the data written: 1 series × 1 h raw, 100 series × 1 h at 1 m buckets, and
 * the same after compaction (chunks read back from the database).
 *   npm run bench -- storage-backends          (~2 min)
 *   npm run bench -- --quick storage-backends  (~1 min)
 * Then the same through HTTP: one `vigil server` process per backend, 100 agents × 100 series,
 * each agent sending its batches in order, 32 requests in flight.
 * PostgreSQL figures are skipped (with a note) when nothing listens on 127.0.0.1:5432.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BenchFigure, BenchSuite } from './bench-types.js';
import { benchAgentKey, benchLogin, median, percentile, startServerProcess } from './support/server-process.js';
import { ManualClock } from '../src/server/core/clock.js';
import type { SampleRow } from '../src/server/storage/sample-store.js';
import type { Storage } from '../src/server/storage/storage.js';
import { openSqliteStorage } from '../src/server/storage/sqlite/open-sqlite-storage.js';
import { openPgStorage } from '../src/server/storage/postgres/open-pg-storage.js';
import { createPgTestSchema, TEST_PG_URL } from '../src/server/storage/testing/pg-test-schema.js';

type Log = (msg: string) => void;
const HOUR = 3_600_000;
const SERIES = 10_000;
const BATCH = 1000;
const IN_FLIGHT = 8;
const INTERVAL = 10_000;

interface Backend {
  name: 'sqlite' | 'postgres';
  storage: Storage;
  clock: ManualClock;
  cleanup(): Promise<void>;
}

async function openBackend(name: Backend['name'], clock: ManualClock): Promise<Backend> {
  if (name === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-bench-backends-'));
    // Durability D for both: PostgreSQL's default synchronous_commit makes every commit durable too.
    const storage = await openSqliteStorage({ dataDir: dir, clock, durability: 'D', metricsDurability: 'D' });
    return { name, storage, clock, cleanup: async () => (await storage.close(), rmSync(dir, { recursive: true, force: true })) };
  }
  const t = await createPgTestSchema();
  const storage = await openPgStorage({ url: t.url, schema: t.schema, clock });
  return { name, storage, clock, cleanup: async () => (await storage.close(), await t.drop()) };
}

function reachable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ host: '127.0.0.1', port });
    const done = (ok: boolean) => (s.destroy(), resolve(ok));
    s.setTimeout(1000, () => done(false));
    s.once('connect', () => done(true));
    s.once('error', () => done(false));
  });
}

/** A smooth random walk per series (compresses like real gauges). */
function value(s: number, p: number): number {
  return Math.round((50 + 30 * Math.sin((s + p) / 17)) * 100) / 100;
}

async function ingest(b: Backend, ids: number[], points: number, t0: number, log: Log): Promise<BenchFigure[]> {
  const batches: SampleRow[][] = [];
  for (let p = 0; p < points; p++) {
    for (let i = 0; i < SERIES; i += BATCH) {
      batches.push(ids.slice(i, i + BATCH).map((id, k) => ({ seriesId: id, ts: t0 + p * INTERVAL, value: value(i + k, p) })));
    }
  }
  const n = points * SERIES;
  log(`${b.name}: ingesting ${n} samples (${SERIES} series × ${points} points, ${BATCH}-sample batches, ${IN_FLIGHT} in flight)`);
  const cpu0 = process.cpuUsage();
  const start = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      for (let j = next++; j < batches.length; j = next++) {
        const out = await b.storage.samples.append(batches[j]!);
        if (out.some((o) => o !== 'stored')) throw new Error(`${b.name}: not stored: ${out.find((o) => o !== 'stored')}`);
      }
    }),
  );
  const seconds = (performance.now() - start) / 1000;
  const cpu = process.cpuUsage(cpu0);
  return [
    { name: `${b.name}_ingest_10k_series_samples_per_s`, value: Math.round(n / seconds), unit: 'samples/s', target: b.name === 'postgres' ? '>= 200000' : undefined, note: `${n} samples through Storage.samples.append; durable commit per batch group` },
    { name: `${b.name}_ingest_cpu_us_per_sample`, value: (cpu.user + cpu.system) / n, unit: 'µs/sample', note: 'this process (engine + driver); the PostgreSQL server CPU is not included' },
  ];
}

async function timeQuery(n: number, q: () => Promise<unknown>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const s = performance.now();
    await q();
    out.push(performance.now() - s);
  }
  return out;
}

async function queries(b: Backend, ids: number[], end: number, phase: string, quick: boolean): Promise<BenchFigure[]> {
  const n = quick ? 20 : 60;
  const figures: BenchFigure[] = [];
  const cases: [string, () => Promise<unknown>][] = [
    ['1_series_1h_raw', async () => b.storage.samples.readRaw([ids[(Math.random() * SERIES) | 0]!], end - HOUR, end)],
    ['100_series_1h_1m', async () => {
      const first = (Math.random() * (SERIES - 100)) | 0;
      return b.storage.samples.readBuckets(ids.slice(first, first + 100), Math.floor((end - HOUR) / 60_000) * 60_000, end, 60_000);
    }],
  ];
  for (const [name, q] of cases) {
    const ms = await timeQuery(n, q);
    figures.push({ name: `${b.name}_query_${name}_${phase}_p50`, value: median(ms), unit: 'ms', note: `${n} queries` });
    figures.push({ name: `${b.name}_query_${name}_${phase}_p99`, value: percentile(ms, 99), unit: 'ms', note: `${n} queries` });
  }
  return figures;
}

async function runBackend(name: Backend['name'], quick: boolean, log: Log): Promise<BenchFigure[]> {
  const points = quick ? 30 : 90;
  const t0 = Math.floor(Date.now() / HOUR) * HOUR - 3 * HOUR;
  const clock = new ManualClock(t0 + points * INTERVAL);
  const b = await openBackend(name, clock);
  try {
    const ids = (await b.storage.series.resolve(Array.from({ length: SERIES }, (_, i) => ({ metric: `bench_backend_m${i % 50}`, labels: { idx: String(i) }, agentId: null })), SERIES)) as number[];
    const figures = await ingest(b, ids, points, t0, log);
    const end = t0 + points * INTERVAL;
    figures.push(...(await queries(b, ids, end, 'head', quick)));
    // Later: head chunks are final, compacted and written to the database; queries read them back.
    clock.set(end + 4 * HOUR);
    const c0 = performance.now();
    await b.storage.samples.maintain(clock.now());
    figures.push({ name: `${b.name}_compact_10k_series_ms`, value: performance.now() - c0, unit: 'ms', note: 'one maintenance pass: head chunks of 10k series written as chunks + dirty windows' });
    figures.push(...(await queries(b, ids, end, 'stored', quick)));
    return figures;
  } finally {
    await b.cleanup();
  }
}

const HTTP_AGENTS = 100;
const HTTP_SERIES_PER_AGENT = 100;
const HTTP_IN_FLIGHT = 32;

/** HTTP ingest of 10k series into a real server process on `name` (warm-up rounds not timed). */
async function httpIngest(name: Backend['name'], quick: boolean, log: Log): Promise<BenchFigure[]> {
  const schema = name === 'postgres' ? await createPgTestSchema() : null;
  const server = await startServerProcess({ VIGIL_RATE_LIMIT: 'false', ...(schema ? { VIGIL_DATABASE_URL: schema.url, VIGIL_DATABASE_SCHEMA: schema.schema } : {}) });
  try {
    const cookie = await benchLogin(server.url);
    const keys: string[] = [];
    for (let a = 0; a < HTTP_AGENTS; a++) keys.push(await benchAgentKey(server.url, cookie, `backend-${a}`));
    const rounds = quick ? 12 : 30;
    const warm = 3;
    const t0 = Math.floor(Date.now() / INTERVAL) * INTERVAL - rounds * INTERVAL;
    const body = (a: number, r: number) =>
      JSON.stringify({ series: Array.from({ length: HTTP_SERIES_PER_AGENT }, (_, i) => ({ metric: `bench_http_m${i % 20}`, labels: { idx: String(i) }, points: [[t0 + r * INTERVAL, value(a * 100 + i, r)]] })) });
    const bodies = keys.map((_k, a) => Array.from({ length: rounds }, (_, r) => body(a, r)));
    const post = async (a: number, r: number) => {
      const res = await fetch(`${server.url}/api/v1/ingest`, { method: 'POST', headers: { authorization: `Bearer ${keys[a]}`, 'content-type': 'application/json' }, body: bodies[a]![r]! });
      if (res.status !== 200) throw new Error(`${name}: ingest ${res.status} ${(await res.text()).slice(0, 200)}`);
      await res.arrayBuffer();
    };
    // Each agent sends its rounds in order; agents run concurrently, HTTP_IN_FLIGHT at a time.
    const runRounds = async (from: number, to: number) => {
      let nextAgent = 0;
      await Promise.all(
        Array.from({ length: HTTP_IN_FLIGHT }, async () => {
          for (let a = nextAgent++; a < HTTP_AGENTS; a = nextAgent++) for (let r = from; r < to; r++) await post(a, r);
        }),
      );
    };
    await runRounds(0, warm);
    log(`${name}: HTTP ingest, ${HTTP_AGENTS} agents × ${HTTP_SERIES_PER_AGENT} series, ${rounds - warm} timed rounds`);
    const cpu0 = server.cpuMicros();
    const start = performance.now();
    await runRounds(warm, rounds);
    const seconds = (performance.now() - start) / 1000;
    const n = HTTP_AGENTS * HTTP_SERIES_PER_AGENT * (rounds - warm);
    return [
      { name: `${name}_http_ingest_10k_series_samples_per_s`, value: Math.round(n / seconds), unit: 'samples/s', note: `${n} samples through POST /api/v1/ingest (JSON, auth, validation, idempotency, engine, database)` },
      { name: `${name}_http_ingest_cpu_us_per_sample`, value: (server.cpuMicros() - cpu0) / n, unit: 'µs/sample', note: 'server process CPU' },
    ];
  } finally {
    await server.stop();
    await schema?.drop();
  }
}

export const suite: BenchSuite = {
  name: 'storage-backends',
  description: 'SQLite vs PostgreSQL through the storage layer: 10k-series ingest throughput and query latency p50/p99',
  async run({ quick, log }) {
    const { ensureBuilt } = await import('../scripts/build-if-needed.mjs');
    ensureBuilt({ server: true, web: false });
    const figures = [...(await runBackend('sqlite', quick, log)), ...(await httpIngest('sqlite', quick, log))];
    if (!(await reachable(5432))) {
      log(`PostgreSQL not reachable at ${TEST_PG_URL}: PostgreSQL figures skipped`);
      return figures;
    }
    const pg = [...(await runBackend('postgres', quick, log)), ...(await httpIngest('postgres', quick, log))];
    // Pair each PostgreSQL figure with its SQLite peer for the ratio column.
    for (const f of pg) {
      const peer = figures.find((x) => x.name === f.name.replace(/^postgres_/, 'sqlite_'));
      if (peer) f.peer = { name: peer.name, value: peer.value };
    }
    return [...figures, ...pg];
  },
};
