import WebSocket from 'ws';
import type { BenchFigure, BenchSuite } from './bench-types.js';
import { HttpPoster } from '../src/agent/shipper/http-post.js';
import { benchAgentKey, benchLogin, median, percentile, startServerProcess, type ServerProcess } from './support/server-process.js';


/** Builds one batch body per (agent, round) before timing, so JSON building is not measured. */
function buildBodies(agents: number, seriesPerAgent: number, rounds: number, t0: number, intervalMs: number): Buffer[][] {
  return Array.from({ length: agents }, (_, a) =>
    Array.from({ length: rounds }, (_, r) =>
      Buffer.from(JSON.stringify({
        series: Array.from({ length: seriesPerAgent }, (_, i) => ({ metric: `bench_m${i % 20}`, labels: { idx: String(i), agent: String(a) }, points: [[t0 + r * intervalMs, (i * 7 + r) % 100]] })),
      })),
    ),
  );
}

async function post(url: string, key: string, body: string, idem?: string): Promise<void> {
  const res = await fetch(`${url}/api/v1/ingest`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', ...(idem ? { 'idempotency-key': idem } : {}) }, body });
  if (res.status !== 200) throw new Error(`ingest ${res.status}: ${(await res.text()).slice(0, 300)}`);
  await res.arrayBuffer();
}

/** Series per simulated host (a node_exporter-like host reports a few hundred; ours ~100). */
const SERIES_PER_AGENT = 100;
/** Requests in flight at once: a fleet's agents push concurrently, bounded like a real proxy. */
const IN_FLIGHT = 32;

/** Rounds replayed before timing starts. */
const WARMUP_ROUNDS = 5;

/**
 * Posts rounds [from, to) of every agent with up to `IN_FLIGHT` requests in flight. Like a real
 * agent, each agent sends its batches one after another (never two in flight) over its own
 * keep-alive connection, with the agent's own HTTP client (`HttpPoster`), so its samples arrive
 * in order; agents run concurrently.
 */
async function replay(url: string, keys: string[], bodies: Buffer[][], from: number, to: number): Promise<void> {
  const agents = keys.map((_, a) => a);
  await Promise.all(
    Array.from({ length: Math.min(IN_FLIGHT, keys.length) }, async () => {
      for (let a = agents.shift(); a !== undefined; a = agents.shift()) {
        const poster = new HttpPoster(new URL(url));
        const headers = { authorization: `Bearer ${keys[a] as string}`, 'content-type': 'application/json' };
        try {
          for (let r = from; r < to; r++) {
            const answer = await poster.post('/api/v1/ingest', (bodies[a] as Buffer[])[r] as Buffer, { headers, timeoutMs: 60_000, maxResponseBytes: 64 * 1024 });
            if (answer.status !== 200) throw new Error(`ingest ${answer.status}: ${answer.body.slice(0, 300)}`);
          }
        } finally {
          poster.close();
        }
      }
    }),
  );
}

/**
 * Ingest throughput for a fleet with `series` series in total (100 per agent) at a 10 s interval
 * through HTTP: every agent pushes its batches in order, agents concurrently (up to 32 requests in
 * flight), replayed as fast as the server takes them.
 */
async function ingestThroughput(server: ServerProcess, cookie: string, series: number, rounds: number): Promise<BenchFigure[]> {
  const agents = series / SERIES_PER_AGENT;
  const perAgent = SERIES_PER_AGENT;
  const keys: string[] = [];
  for (let a = 0; a < agents; a++) keys.push(await benchAgentKey(server.url, cookie, `ingest-${series}-${a}`));
  const t0 = Math.floor(Date.now() / 10_000) * 10_000 - rounds * 10_000;
  const bodies = buildBodies(agents, perAgent, rounds, t0, 10_000);
  // Warm-up rounds create the series (index inserts are a one-time cost) and let the JIT settle,
  // so a short run does not measure compilation instead of ingest.
  await replay(server.url, keys, bodies, 0, WARMUP_ROUNDS);
  const cpu0 = server.cpuMicros();
  const client0 = process.cpuUsage();
  const start = performance.now();
  await replay(server.url, keys, bodies, WARMUP_ROUNDS, rounds);
  const seconds = (performance.now() - start) / 1000;
  const samples = series * (rounds - WARMUP_ROUNDS);
  const cpu = server.cpuMicros() - cpu0;
  const client = process.cpuUsage(client0);
  return [
    { name: `ingest_${series}_series_samples_per_s`, value: Math.round(samples / seconds), unit: 'samples/s', target: '>= 100000', note: `${samples} samples, ${agents} agents × ${perAgent} series, ${Math.min(IN_FLIGHT, agents)} requests in flight` },
    { name: `ingest_${series}_series_cpu_us_per_sample`, value: cpu / samples, unit: 'µs/sample', note: 'server process CPU (user+sys) / samples' },
    // On this 2-core machine the simulated agents share the cores with the server; their CPU is shown so a run can be read.
    { name: `ingest_${series}_series_client_cpu_percent`, value: Math.round(((client.user + client.system) / 1e4 / seconds) * 10) / 10, unit: '% of one core', note: 'the bench process sending the batches (the agents)' },
  ];
}

async function timeQueries(url: string, cookie: string, path: string, n: number): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    const res = await fetch(`${url}${path}`, { headers: { cookie } });
    if (res.status !== 200) throw new Error(`query ${res.status}: ${await res.text()}`);
    await res.arrayBuffer();
    times.push(performance.now() - t);
  }
  return times;
}

/** Range-query latency: 1 series × 1 day at 10 s, and 100 series × 1 hour at 10 s. */
async function queryLatency(server: ServerProcess, cookie: string, n: number): Promise<BenchFigure[]> {
  const key = await benchAgentKey(server.url, cookie, 'query-host');
  const now = Math.floor(Date.now() / 10_000) * 10_000;
  const day = Array.from({ length: 8640 }, (_, i) => [now - 86_400_000 + i * 10_000, Math.sin(i / 100) * 50 + 50]);
  await post(server.url, key, JSON.stringify({ series: [{ metric: 'bench_day', points: day }] }));
  const hour = Array.from({ length: 100 }, (_, s) => ({ metric: 'bench_hour', labels: { n: String(s) }, points: Array.from({ length: 360 }, (_, i) => [now - 3_600_000 + i * 10_000, s + i]) }));
  await post(server.url, key, JSON.stringify({ series: hour }));
  const one = await timeQueries(server.url, cookie, `/api/v1/query?query=bench_day&start=${now - 86_400_000}&end=${now}&step=10s`, n);
  const hundred = await timeQueries(server.url, cookie, `/api/v1/query?query=bench_hour&start=${now - 3_600_000}&end=${now}&step=10s`, n);
  return [
    { name: 'query_1x1d_p50', value: median(one), unit: 'ms', note: `${n} queries, 8640 points` },
    { name: 'query_1x1d_p99', value: percentile(one, 99), unit: 'ms' },
    { name: 'query_100x1h_p50', value: median(hundred), unit: 'ms', note: `${n} queries, 100 × 360 points` },
    { name: 'query_100x1h_p99', value: percentile(hundred, 99), unit: 'ms' },
  ];
}

/** Ingest → WebSocket delivery latency with 100 connected, subscribed clients. */
async function liveLatency(server: ServerProcess, cookie: string, batches: number): Promise<BenchFigure[]> {
  const key = await benchAgentKey(server.url, cookie, 'live-host');
  const wsUrl = `${server.url.replace('http', 'ws')}/api/v1/live`;
  const pending = new Map<number, number>();
  const latencies: number[] = [];
  const clients = await Promise.all(
    Array.from({ length: 100 }, () => new Promise<WebSocket>((resolve, reject) => {
      const ws = new WebSocket(wsUrl, { headers: { cookie } });
      ws.on('message', (data) => {
        const m = JSON.parse(String(data)) as { type: string; series?: { points: [number, number][] }[] };
        if (m.type === 'hello') ws.send(JSON.stringify({ op: 'subscribe', id: 's', topic: 'samples', filter: { host: 'live-host' } }));
        else if (m.type === 'subscribed') resolve(ws);
        else if (m.type === 'samples') {
          const sentAt = pending.get(m.series?.[0]?.points[0]?.[0] ?? -1);
          if (sentAt !== undefined) latencies.push(performance.now() - sentAt);
        }
      });
      ws.on('error', reject);
    })),
  );
  const base = Date.now() - batches * 1000;
  for (let b = 0; b < batches; b++) {
    const ts = base + b * 1000;
    pending.set(ts, performance.now());
    await post(server.url, key, JSON.stringify({ series: Array.from({ length: 10 }, (_, i) => ({ metric: 'live_metric', labels: { n: String(i) }, points: [[ts, b]] })) }));
    await new Promise((r) => setTimeout(r, 20));
  }
  await new Promise((r) => setTimeout(r, 500));
  for (const ws of clients) ws.close();
  return [
    { name: 'live_latency_p50', value: median(latencies), unit: 'ms', note: `${latencies.length} deliveries to 100 clients` },
    { name: 'live_latency_p99', value: percentile(latencies, 99), unit: 'ms', target: '<= 100' },
  ];
}

/** The foundation issue's figures: HTTP ingest, range queries and live latency. */
export const suite: BenchSuite = {
  name: 'foundation',
  description: 'HTTP ingest throughput (1k and 10k series), range-query latency, ingest→WebSocket latency with 100 clients',
  async run({ quick, log }) {
    const { ensureBuilt } = await import('../scripts/build-if-needed.mjs');
    ensureBuilt({ server: true, web: false });
    const figures: BenchFigure[] = [];
    for (const [series, rounds] of [[1000, quick ? 30 : 300], [10_000, quick ? 10 : 40]] as const) {
      const server = await startServerProcess();
      try {
        const cookie = await benchLogin(server.url);
        log(`ingest ${series} series × ${rounds} rounds`);
        figures.push(...(await ingestThroughput(server, cookie, series, rounds)));
      } finally {
        await server.stop();
      }
    }
    const server = await startServerProcess();
    try {
      const cookie = await benchLogin(server.url);
      log('query latency');
      figures.push(...(await queryLatency(server, cookie, quick ? 20 : 100)));
      log('live latency');
      figures.push(...(await liveLatency(server, cookie, quick ? 20 : 100)));
    } finally {
      await server.stop();
    }
    return figures;
  },
};
