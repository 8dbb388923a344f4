import type { BenchFigure, BenchSuite } from './bench-types.js';
import { benchAgentKey, benchLogin, median, percentile, startServerProcess, type ServerProcess } from './support/server-process.js';

const MIN = 60_000;
const DAY = 86_400_000;

/** Ingests a 7-day, 1-minute daily-seasonal series with a slow trend (10,080 points) over HTTP. */
async function ingestWeek(server: ServerProcess, cookie: string): Promise<void> {
  const key = await benchAgentKey(server.url, cookie, 'forecast-bench');
  const end = Math.floor(Date.now() / MIN) * MIN;
  const start = end - 7 * DAY;
  let seed = 7;
  const noise = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 2 - 1;
  const points = Array.from({ length: (end - start) / MIN }, (_, i) => [start + i * MIN, 50 + 20 * Math.sin((2 * Math.PI * i * MIN) / DAY) + (0.5 * i) / 1440 + 2 * noise()]);
  for (let i = 0; i < points.length; i += 5000) {
    const body = JSON.stringify({ series: [{ metric: 'bench_cpu_percent', labels: { cpu: 'total' }, points: points.slice(i, i + 5000) }] });
    const res = await fetch(`${server.url}/api/v1/ingest`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body });
    if (res.status !== 200) throw new Error(`ingest ${res.status}: ${(await res.text()).slice(0, 300)}`);
  }
}

/** Latencies (ms) of `GET /health` polled back to back until `done` resolves. */
async function pollHealth(url: string, done: Promise<unknown>): Promise<number[]> {
  const out: number[] = [];
  let finished = false;
  void done.finally(() => (finished = true));
  while (!finished) {
    const t = performance.now();
    const res = await fetch(`${url}/health`);
    await res.arrayBuffer();
    out.push(performance.now() - t);
    await new Promise((r) => setTimeout(r, 5));
  }
  return out;
}

async function forecast(server: ServerProcess, cookie: string, body: unknown): Promise<number> {
  const t = performance.now();
  const res = await fetch(`${server.url}/api/v1/forecast`, { method: 'POST', headers: { cookie, 'x-requested-with': 'vigil', 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`forecast ${res.status}: ${text.slice(0, 300)}`);
  return performance.now() - t;
}

/**
 * The forecast API on a week of minutes (issue 8): end-to-end latency of `POST /api/v1/forecast`
 * (query + `auto` backtest of every model + 48 h forecast, on the fit worker), and the latency of
 * `GET /health` while fits run, beside the same figure on an idle server: the event loop must
 * stay responsive because fits run off it.
 */
export const suite: BenchSuite = {
  name: 'forecast-api',
  description: 'POST /api/v1/forecast on a 7-day 1-minute series (auto and linear, 48 h), and /health latency during fits vs idle',
  async run({ quick, log }) {
    const { ensureBuilt } = await import('../scripts/build-if-needed.mjs');
    ensureBuilt({ server: true, web: false });
    const server = await startServerProcess();
    try {
      const cookie = await benchLogin(server.url);
      log('ingest 10,080 points');
      await ingestWeek(server, cookie);
      const base = { query: 'bench_cpu_percent{cpu="total"}', range: '7d', step: '1m', horizon: '48h' };
      const runs = quick ? 2 : 5;
      await forecast(server, cookie, { ...base, model: 'linear' });
      const idle = await pollHealth(server.url, new Promise((r) => setTimeout(r, 2000)));
      const auto: number[] = [];
      const linear: number[] = [];
      const during: number[] = [];
      for (let i = 0; i < runs; i++) {
        log(`run ${i + 1}/${runs}`);
        const fit = forecast(server, cookie, { ...base, model: 'auto' });
        const polled = pollHealth(server.url, fit);
        auto.push(await fit);
        during.push(...(await polled));
        linear.push(await forecast(server, cookie, { ...base, model: 'linear' }));
      }
      const note = `median of ${runs}; 10,080 points, step 1m, horizon 48 h (2,880 steps)`;
      return [
        { name: 'forecast_api_auto_48h_ms', value: median(auto), unit: 'ms', target: '<= 2000 (fit of all models)', note: `${note}; auto = 3-origin backtest of every model + refit` },
        { name: 'forecast_api_linear_48h_ms', value: median(linear), unit: 'ms', note },
        { name: 'health_p99_during_fit_ms', value: percentile(during, 99), unit: 'ms', peer: { name: 'idle', value: percentile(idle, 99) }, note: `${during.length} polls while auto fits ran (max ${Math.max(...during).toFixed(1)} ms)` },
      ] satisfies BenchFigure[];
    } finally {
      await server.stop();
    }
  },
};
