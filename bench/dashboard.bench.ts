/**
 * Dashboard figures: the size of what a browser downloads, the cost of folding a live batch into
 * a chart (against rebuilding the chart from a query answer, what a refetch would cost the
 * browser), and ingest → chart latency measured in Debian's Chromium against a real server.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { BenchFigure, BenchSuite } from './bench-types.js';
import { benchAgentKey, benchLogin, median, percentile, startServerProcess } from './support/server-process.js';
import { mergeSeries, type ChartData } from '../web/src/charts/chart-data.js';
import { LiveSeriesBuffer, type LivePoint } from '../web/src/charts/live-series-buffer.js';
import { CHROMIUM_PATH } from '../test/support/requirements.js';
import { launchBrowser } from '../test/e2e/support/browser.js';

const root = new URL('..', import.meta.url).pathname;

function bundleFigures(): BenchFigure[] {
  const assets = join(root, 'web', 'dist', 'assets');
  const files = readdirSync(assets).filter((f) => f.endsWith('.js') || f.endsWith('.css'));
  const size = (ext: string, zip: boolean) => files.filter((f) => f.endsWith(ext)).reduce((n, f) => n + (zip ? gzipSync(readFileSync(join(assets, f))).length : readFileSync(join(assets, f)).length), 0);
  return [
    { name: 'web_js_bytes', value: size('.js', false), unit: 'bytes', note: 'all JS of the dashboard (Preact + uPlot + app), minified' },
    { name: 'web_js_gzip_bytes', value: size('.js', true), unit: 'bytes' },
    { name: 'web_css_gzip_bytes', value: size('.css', true), unit: 'bytes' },
  ];
}

/** A per-core CPU chart of a 64-core host: 64 lines × 360 buckets, 10 s step. */
function bigChart(t0: number): ChartData {
  const timestamps = Array.from({ length: 360 }, (_, i) => t0 + i * 10_000);
  return mergeSeries(Array.from({ length: 64 }, (_, c) => ({ key: `c${c}`, label: `core ${c}`, timestamps, values: timestamps.map((_, i) => (c * 7 + i) % 100) })));
}

function liveBufferFigures(quick: boolean): BenchFigure[] {
  const t0 = 1_700_000_000_000;
  const rounds = quick ? 500 : 3000;
  const buffer = new LiveSeriesBuffer(bigChart(t0), 10_000);
  const appendUs: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const ts = t0 + (360 + r) * 10_000;
    const batch: LivePoint[] = Array.from({ length: 64 }, (_, c) => ({ key: `c${c}`, label: `core ${c}`, ts, value: (c + r) % 100 }));
    const start = performance.now();
    buffer.append(batch, ts - 3_600_000);
    appendUs.push((performance.now() - start) * 1000);
  }
  const rebuildUs: number[] = [];
  for (let r = 0; r < (quick ? 50 : 300); r++) {
    const start = performance.now();
    bigChart(t0 + r * 10_000);
    rebuildUs.push((performance.now() - start) * 1000);
  }
  const note = `64 lines × 360 buckets, one 64-point batch per append, ${rounds} appends (each adds a bucket and drops the oldest)`;
  return [
    { name: 'live_append_64x360_p50', value: median(appendUs), unit: 'µs/batch', peer: { name: 'rebuild from query answer p50', value: median(rebuildUs) }, note },
    { name: 'live_append_64x360_p99', value: percentile(appendUs, 99), unit: 'µs/batch', note },
  ];
}

/**
 * Pushes single points through `POST /api/v1/ingest`, each into a new 5 s bucket, and records
 * when the host page's CPU chart shows that bucket (a MutationObserver stamps Date.now() on the
 * chart's `data-last-ts`). Includes the durable commit, the bus, the WebSocket, and rendering.
 */
async function browserLatency(quick: boolean, log: (msg: string) => void): Promise<BenchFigure[]> {
  if (!existsSync(CHROMIUM_PATH)) {
    log(`SKIPPED ingest→chart latency: no Chromium at ${CHROMIUM_PATH}`);
    return [];
  }
  const server = await startServerProcess();
  const browser = await launchBrowser();
  try {
    const cookie = await benchLogin(server.url);
    const key = await benchAgentKey(server.url, cookie, 'bench-web');
    const headers = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };
    const hello = { hostname: 'bench-web', os: 'linux', kernel: 'k', arch: 'x64', agentVersion: 'bench', intervalMs: 1000, cpuCount: 1, memoryBytes: 1, capabilities: [], unavailable: [] };
    const reg = (await (await fetch(`${server.url}/api/v1/agents/register`, { method: 'POST', headers, body: JSON.stringify(hello) })).json()) as { agentId: string };
    const step = 5000;
    const base = Math.floor(Date.now() / step) * step;
    const push = (ts: number) => fetch(`${server.url}/api/v1/ingest`, { method: 'POST', headers, body: JSON.stringify({ series: [{ metric: 'cpu_usage_percent', labels: { cpu: 'total' }, points: [[ts, 42]] }] }) }).then((r) => r.arrayBuffer());
    await push(base - step);
    const [name, value] = cookie.split('=') as [string, string];
    await browser.context.addCookies([{ name, value, url: server.url }]);
    await browser.page.goto(`${server.url}/hosts/${reg.agentId}?range=15m`);
    await browser.page.waitForSelector('[data-panel="chart-cpu"] figure.time-chart');
    await browser.page.evaluate(`(() => {
      window.__seen = {};
      const fig = document.querySelector('[data-panel="chart-cpu"] figure.time-chart');
      new MutationObserver(() => { window.__seen[fig.dataset.lastTs] ??= Date.now(); }).observe(fig, { attributes: true, attributeFilter: ['data-last-ts'] });
    })()`);
    const latencies: number[] = [];
    const n = quick ? 10 : 40;
    for (let i = 0; i < n; i++) {
      const ts = base + i * step;
      const sent = Date.now();
      await push(ts);
      // Poll from here: waitForFunction evaluates its predicate inside the page, which the
      // server's CSP (no unsafe-eval) forbids. The timestamp itself comes from the page.
      let seenAt: number | undefined;
      const deadline = Date.now() + 10_000;
      while (seenAt === undefined && Date.now() < deadline) {
        seenAt = (await browser.page.evaluate(`window.__seen[${JSON.stringify(String(ts))}]`)) as number | undefined;
        if (seenAt === undefined) await new Promise((r) => setTimeout(r, 10));
      }
      if (seenAt === undefined) throw new Error(`the chart did not show the point at ${ts} within 10 s`);
      latencies.push(seenAt - sent);
      await new Promise((r) => setTimeout(r, 200));
    }
    const note = `${n} single-point batches, Chromium headless, durability ${process.env.BENCH_DURABILITY ?? 'D'}; includes commit + bus + WebSocket + render`;
    return [
      { name: 'ingest_to_chart_p50', value: median(latencies), unit: 'ms', note },
      { name: 'ingest_to_chart_p99', value: percentile(latencies, 99), unit: 'ms', note },
    ];
  } finally {
    await browser.close();
    await server.stop();
  }
}

/** The `dashboard` bench suite (picked up by bench/run.ts). */
export const suite: BenchSuite = {
  name: 'dashboard',
  description: 'web bundle size, live chart append cost vs rebuild, ingest → chart latency in Chromium',
  async run({ quick, log }) {
    const { ensureBuilt } = await import('../scripts/build-if-needed.mjs');
    ensureBuilt({ server: true, web: true });
    return [...bundleFigures(), ...liveBufferFigures(quick), ...(await browserLatency(quick, log))];
  },
};
