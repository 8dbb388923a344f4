import { randomBytes } from 'node:crypto';
import type { BenchSuite } from './bench-types.js';
import { benchAgentKey, benchLogin, median, percentile, startServerProcess, type ServerProcess } from './support/server-process.js';
import { createPgTestSchema, type PgTestSchema } from '../src/server/storage/testing/pg-test-schema.js';

/** Series per simulated host, as in the foundation suite. */
const SERIES_PER_AGENT = 100;
/** Ingest requests in flight at once (spread over the replicas by the "load balancer"). */
const IN_FLIGHT = 32;
/** Concurrent query clients. */
const QUERY_CLIENTS = 8;

async function post(url: string, key: string, body: string): Promise<void> {
  const res = await fetch(`${url}/api/v1/ingest`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body });
  if (res.status !== 200) throw new Error(`ingest ${res.status}: ${(await res.text()).slice(0, 300)}`);
  await res.arrayBuffer();
}

/** Starts `n` replicas on one PostgreSQL schema and one Redis prefix (one after the other: the first creates the admin). */
async function startReplicas(n: number, pg: PgTestSchema): Promise<ServerProcess[]> {
  const env = {
    VIGIL_DATABASE_URL: pg.url,
    VIGIL_DATABASE_SCHEMA: pg.schema,
    VIGIL_REDIS_URL: 'redis://127.0.0.1:6379/0',
    VIGIL_REDIS_PREFIX: `vigil-bench:${pg.schema}:`,
    VIGIL_SECRET_KEY: randomBytes(32).toString('hex'),
    VIGIL_RATE_LIMIT: 'false',
  };
  const out: ServerProcess[] = [];
  for (let i = 0; i < n; i++) out.push(await startServerProcess(env));
  return out;
}

/**
 * 10,000 series (100 agents × 100 series, 10 s interval) pushed over HTTP with 32 requests in
 * flight, each agent pinned to one replica (the load balancer hashes agent keys), then concurrent
 * range queries (500 series) from 8 clients, round-robin over the replicas.
 */
async function measure(replicas: ServerProcess[], series: number, rounds: number, queries: number): Promise<{ samplesPerS: number; cpuUsPerSample: number; p50: number; p99: number; qps: number }> {
  const urls = replicas.map((r) => r.url);
  const cookie = await benchLogin(urls[0] as string);
  const agents = series / SERIES_PER_AGENT;
  const keys: string[] = [];
  for (let a = 0; a < agents; a++) keys.push(await benchAgentKey(urls[0] as string, cookie, `bench-${a}`));
  const t0 = Math.floor(Date.now() / 10_000) * 10_000 - rounds * 10_000;
  const bodies = keys.map((_, a) =>
    Array.from({ length: rounds }, (_, r) => JSON.stringify({ series: Array.from({ length: SERIES_PER_AGENT }, (_, i) => ({ metric: `bench_m${i % 20}`, labels: { idx: String(i), agent: String(a) }, points: [[t0 + r * 10_000, (i * 7 + r) % 100]] })) })),
  );
  let rr = 0;
  // Agent affinity, as the load balancer does it (hash of the agent key): agent a → replica a mod n.
  const home = (agent: number) => urls[agent % urls.length] as string;
  // Warm-up round creates the series.
  for (let a = 0; a < agents; a += IN_FLIGHT) await Promise.all(keys.slice(a, a + IN_FLIGHT).map((k, i) => post(home(a + i), k, (bodies[a + i] as string[])[0] as string)));
  const cpu0 = replicas.reduce((s, r) => s + r.cpuMicros(), 0);
  const queue: [number, number][] = [];
  for (let r = 1; r < rounds; r++) for (let a = 0; a < agents; a++) queue.push([a, r]);
  const start = performance.now();
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      for (let job = queue.shift(); job; job = queue.shift()) await post(home(job[0]), keys[job[0]] as string, (bodies[job[0]] as string[])[job[1]] as string);
    }),
  );
  const seconds = (performance.now() - start) / 1000;
  const samples = series * (rounds - 1);
  const cpu = replicas.reduce((s, r) => s + r.cpuMicros(), 0) - cpu0;
  const cookies = await Promise.all(urls.map((u) => benchLogin(u)));
  const path = `/api/v1/query?query=bench_m3&start=${t0}&end=${t0 + rounds * 10_000}&step=10s`;
  const times: number[] = [];
  let left = queries;
  const qStart = performance.now();
  await Promise.all(
    Array.from({ length: QUERY_CLIENTS }, async () => {
      while (left-- > 0) {
        const i = rr++ % urls.length;
        const t = performance.now();
        const res = await fetch(`${urls[i]}${path}`, { headers: { cookie: cookies[i] as string } });
        if (res.status !== 200) throw new Error(`query ${res.status}: ${(await res.text()).slice(0, 300)}`);
        await res.arrayBuffer();
        times.push(performance.now() - t);
      }
    }),
  );
  const qSeconds = (performance.now() - qStart) / 1000;
  return { samplesPerS: Math.round(samples / seconds), cpuUsPerSample: cpu / samples, p50: median(times), p99: percentile(times, 99), qps: Math.round(times.length / qSeconds) };
}

/** Issue 7: ingest throughput and query latency with 1 vs 2 replicas on PostgreSQL + Redis. */
export const suite: BenchSuite = {
  name: 'replicas',
  description: 'HTTP ingest (10k series) and concurrent range queries with 1 vs 2 replicas sharing PostgreSQL and Redis',
  async run({ quick, log }) {
    const { ensureBuilt } = await import('../scripts/build-if-needed.mjs');
    ensureBuilt({ server: true, web: false });
    const series = 10_000;
    const rounds = quick ? 6 : 20;
    const queries = quick ? 80 : 400;
    const results: Record<number, Awaited<ReturnType<typeof measure>>> = {};
    for (const n of [1, 2]) {
      const pg = await createPgTestSchema();
      let replicas: ServerProcess[] = [];
      try {
        replicas = await startReplicas(n, pg);
        log(`${n} replica(s): ingest ${series} series × ${rounds} rounds, ${queries} queries`);
        results[n] = await measure(replicas, series, rounds, queries);
      } finally {
        await Promise.all(replicas.map((r) => r.stop()));
        await pg.drop();
      }
    }
    const one = results[1] as Awaited<ReturnType<typeof measure>>;
    const two = results[2] as Awaited<ReturnType<typeof measure>>;
    const note = `${series} series, ${rounds - 1} timed rounds, ${IN_FLIGHT} ingest requests in flight, agents spread over the replicas; PostgreSQL + Redis on this machine`;
    return [
      { name: 'pg_ingest_1_replica_samples_per_s', value: one.samplesPerS, unit: 'samples/s', note },
      { name: 'pg_ingest_2_replicas_samples_per_s', value: two.samplesPerS, unit: 'samples/s', peer: { name: '1 replica', value: one.samplesPerS }, note },
      { name: 'pg_ingest_1_replica_cpu_us_per_sample', value: one.cpuUsPerSample, unit: 'µs/sample', note: 'server CPU (all replicas, user+sys) / samples' },
      { name: 'pg_ingest_2_replicas_cpu_us_per_sample', value: two.cpuUsPerSample, unit: 'µs/sample', peer: { name: '1 replica', value: one.cpuUsPerSample } },
      { name: 'pg_query_1_replica_p50', value: one.p50, unit: 'ms', note: `${QUERY_CLIENTS} concurrent clients, ${queries} queries of 500 series × ${rounds} points (bench_m3)` },
      { name: 'pg_query_1_replica_p99', value: one.p99, unit: 'ms' },
      { name: 'pg_query_2_replicas_p50', value: two.p50, unit: 'ms', peer: { name: '1 replica', value: one.p50 } },
      { name: 'pg_query_2_replicas_p99', value: two.p99, unit: 'ms', peer: { name: '1 replica', value: one.p99 } },
      { name: 'pg_query_1_replica_per_s', value: one.qps, unit: 'queries/s' },
      { name: 'pg_query_2_replicas_per_s', value: two.qps, unit: 'queries/s', peer: { name: '1 replica', value: one.qps } },
    ];
  },
};
