/**
 * Time-series engine benchmark (issue 3), side by side with Prometheus where it can run:
 * bytes/sample on node_exporter data and on 10k synthetic series, HTTP ingest throughput and CPU
 * per sample, range-query latency (1 × 1 d, 100 × 1 h, 100 × 30 d via rollups), restart time.
 *   npm run bench -- tsdb          (full: ~10 min)
 *   npm run bench -- --quick tsdb  (~3 min)
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { BenchFigure, BenchSuite } from './bench-types.js';
import { httpIngestFigures } from './http-ingest-shapes.js';
import { parseExposition } from './parse-exposition.js';
import { startExternal } from './support/external-process.js';
import { freePort, waitForHttp } from './support/free-port.js';
import { hasPrometheus, startPrometheus, type PrometheusProcess } from './support/prometheus-process.js';
import { benchLogin, median, percentile, startServerProcess, type ServerProcess } from './support/server-process.js';
import { startSyntheticExporter } from './support/synthetic-exporter.js';
import { ChunkEncoder } from '../src/server/tsdb/codec/chunk-encoder.js';
import { compactChunk } from '../src/server/tsdb/codec/compact-chunk.js';
import { TsdbEngine } from '../src/server/tsdb/engine/tsdb-engine.js';
import { SqliteTsdbPersistence } from '../src/server/storage/sqlite/sqlite-tsdb-persistence.js';
import type { SampleRow } from '../src/server/storage/sample-store.js';
import { openStorage } from '../src/server/main.js';
import { parseOptions } from '../src/options/option-spec.js';
import { SERVER_OPTIONS } from '../src/server/config/server-options.js';
import { toServerConfig } from '../src/server/config/server-config.js';
import { systemClock } from '../src/server/core/clock.js';

type Log = (msg: string) => void;
const HOUR = 3_600_000;
const DAY = 86_400_000;
const fixturePath = new URL('./fixtures/node-exporter-1s.json.gz', import.meta.url).pathname;

/** Opens the engine on a fresh SQLite file; returns it with its persistence and a cleanup. */
async function openEngine(durability: 'P' | 'D' = 'D', dir = mkdtempSync(join(tmpdir(), 'vigil-bench-tsdb-'))) {
  const persistence = SqliteTsdbPersistence.open(join(dir, 'tsdb.db'), durability);
  const engine = await TsdbEngine.open(persistence, systemClock);
  return { dir, persistence, engine, cleanup: async () => {
    await engine.close();
    rmSync(dir, { recursive: true, force: true });
  } };
}

/** Raw-tier bytes on disk (table pages) and blob payload bytes of an engine's file. */
function rawBytes(p: SqliteTsdbPersistence): { pages: number; payload: number } {
  const pages = (p.db.raw.prepare("SELECT SUM(pgsize) AS b FROM dbstat WHERE name IN ('tsdb_chunks', 'tsdb_chunks_series')").get() as { b: number }).b;
  const payload = (p.db.raw.prepare('SELECT SUM(LENGTH(data)) AS b FROM tsdb_chunks').get() as { b: number }).b;
  return { pages, payload };
}

/**
 * Runs maintenance as it would run a few hours later: head chunks final and persisted, every
 * 2 h window settled, rolled up and its chunks merged.
 */
async function compactAll(engine: TsdbEngine, newest: number): Promise<void> {
  for (let i = 0; i < 3; i++) await engine.maintain(newest + 5 * HOUR);
}

// ---- codec on the recorded node_exporter fixture -------------------------------------------

interface Fixture {
  series: string[];
  ts: number[];
  values: (number | string | null)[][];
}

function fixtureValue(raw: number | string): number {
  return typeof raw === 'number' ? raw : raw === 'NaN' ? NaN : raw === '+Inf' ? Infinity : -Infinity;
}

export function codecOnFixture(): BenchFigure[] {
  const fx = JSON.parse(gunzipSync(readFileSync(fixturePath)).toString()) as Fixture;
  const sizes = { compact: 0, aligned: 0, plain: 0, samples: 0 };
  for (let j = 0; j < fx.series.length; j++) {
    const ts: number[] = [];
    const vs: number[] = [];
    fx.ts.forEach((t, i) => {
      const raw = fx.values[i]![j];
      if (raw === null || raw === undefined) return;
      ts.push(t);
      vs.push(fixtureValue(raw));
    });
    for (let c = 0; c < ts.length; c += 120) {
      const t = new Float64Array(ts.slice(c, c + 120));
      const v = new Float64Array(vs.slice(c, c + 120));
      sizes.compact += compactChunk(t, v).length;
      sizes.aligned += compactChunk(t.map((x) => Math.round(x / 1000) * 1000), v).length;
      const enc = new ChunkEncoder();
      t.forEach((x, i) => enc.append(x, v[i]!));
      sizes.plain += enc.finish().length;
      sizes.samples += t.length;
    }
  }
  const note = `${sizes.samples} samples, ${fx.series.length} series, 120-sample chunks, CRC included`;
  return [
    { name: 'codec_node_exporter_fixture_bytes_per_sample', value: sizes.compact / sizes.samples, unit: 'B/sample', target: '<= 1.4', note: `${note}; timestamps as scraped (ms jitter)` },
    { name: 'codec_node_exporter_fixture_aligned_ts_bytes_per_sample', value: sizes.aligned / sizes.samples, unit: 'B/sample', note: 'same data, timestamps rounded to the 1 s grid (as Prometheus aligns them)' },
    { name: 'codec_node_exporter_fixture_plain_gorilla_bytes_per_sample', value: sizes.plain / sizes.samples, unit: 'B/sample', note: 'streaming coding only (dod + XOR), before compactChunk picks a coding' },
  ];
}

// ---- restart (log replay / checkpoint) for 1M head samples -----------------------------------

export async function restartTime(log: Log): Promise<BenchFigure[]> {
  const a = await openEngine('P');
  try {
    const series = 10_000;
    const points = 100;
    const t0 = Date.now() - points * 1000;
    log(`restart: appending ${series * points} samples`);
    for (let p = 0; p < points; p++) {
      const rows: SampleRow[] = [];
      for (let s = 1; s <= series; s++) rows.push({ seriesId: s, ts: t0 + p * 1000, value: (s * 7 + p) % 100 });
      await a.engine.append(rows);
    }
    // Crash: `a` is never closed before `b` opens; `b` must replay the whole log.
    let t = performance.now();
    const b = await TsdbEngine.open(SqliteTsdbPersistence.open(join(a.dir, 'tsdb.db'), 'P'), systemClock);
    const replayMs = performance.now() - t;
    const replayed = b.counters.samples_replayed;
    await b.close();
    await a.engine.close(); // writes a checkpoint
    t = performance.now();
    const c = await TsdbEngine.open(SqliteTsdbPersistence.open(join(a.dir, 'tsdb.db'), 'P'), systemClock);
    const checkpointMs = performance.now() - t;
    await c.close();
    return [
      { name: 'restart_1M_head_samples_log_replay_ms', value: Math.round(replayMs), unit: 'ms', note: `${replayed} samples replayed from 100 log records (10k series × 100)` },
      { name: 'restart_1M_head_samples_checkpoint_ms', value: Math.round(checkpointMs), unit: 'ms', note: 'same head after a clean shutdown (checkpoint, empty log)' },
    ];
  } finally {
    rmSync(a.dir, { recursive: true, force: true });
  }
}

// ---- 10k synthetic series: engine-only ingest and bytes/sample ------------------------------

/** Realistic mix: 40 % flags/constant gauges, 30 % integer counters, 30 % 2-decimal gauges. */
function syntheticValue(s: number, i: number, prev: number): number {
  const kind = s % 10;
  if (kind < 4) return kind === 0 ? (i % 97 === 0 ? 1 - prev : prev) : s % 7;
  if (kind < 7) return prev + ((s * 31 + i * 17) % 1000);
  return Math.round((50 + 40 * Math.sin((i + s) / 30) + ((s * i) % 7) / 10) * 100) / 100;
}

export async function synthetic10k(quick: boolean, log: Log): Promise<BenchFigure[]> {
  const e = await openEngine('D');
  try {
    const series = 10_000;
    const points = quick ? 180 : 360;
    const t0 = Math.floor(Date.now() / 10_000) * 10_000 - points * 10_000;
    const prev = new Float64Array(series + 1);
    // The peer: the same samples in Prometheus's chunk coding (delta-of-delta + Gorilla XOR,
    // 120-sample chunks), i.e. what its chunk files would hold for this data.
    const gorilla = Array.from({ length: series + 1 }, () => new ChunkEncoder());
    let gorillaBytes = 0;
    log(`synthetic: ${series} series × ${points} points at 10 s`);
    let cpu = 0;
    let wall = 0;
    for (let p = 0; p < points; p++) {
      const rows: SampleRow[] = [];
      for (let s = 1; s <= series; s++) {
        const v = syntheticValue(s, p, prev[s]!);
        prev[s] = v;
        const ts = t0 + p * 10_000 + ((s * 7 + p * 3) % 5) - 2;
        rows.push({ seriesId: s, ts, value: v });
        gorilla[s]!.append(ts, v);
        if (gorilla[s]!.count === 120) {
          gorillaBytes += gorilla[s]!.finish().length;
          gorilla[s] = new ChunkEncoder();
        }
      }
      const c0 = process.cpuUsage();
      const w0 = performance.now();
      await e.engine.append(rows);
      wall += performance.now() - w0;
      const c = process.cpuUsage(c0);
      cpu += c.user + c.system;
    }
    await compactAll(e.engine, t0 + points * 10_000);
    const b = rawBytes(e.persistence);
    const n = series * points;
    for (const g of gorilla) if (g.count > 0) gorillaBytes += g.finish().length;
    return [
      { name: 'synthetic_10k_bytes_per_sample', value: b.pages / n, unit: 'B/sample', note: `${n} samples; chunk table pages (row keys, index, page slack)` },
      {
        name: 'synthetic_10k_chunk_bytes_per_sample',
        value: b.payload / n,
        unit: 'B/sample',
        target: '<= Prometheus coding',
        peer: { name: 'dod + Gorilla XOR chunks (Prometheus coding)', value: gorillaBytes / n },
        note: 'chunk blobs after compaction vs the same samples in 120-sample Prometheus-style chunks',
      },
      { name: 'engine_append_10k_series_samples_per_s', value: Math.round(n / (wall / 1000)), unit: 'samples/s', note: 'in-process TsdbEngine.append, one 10k-row batch per call, durability D (fsync per batch)' },
      { name: 'engine_append_cpu_us_per_sample', value: cpu / n, unit: 'µs/sample', note: 'in-process, engine only (no HTTP/JSON)' },
    ];
  } finally {
    await e.cleanup();
  }
}

// ---- Prometheus CPU per ingested sample ------------------------------------------------------

export async function prometheusCpuPerSample(quick: boolean, log: Log): Promise<number | null> {
  const exporter = await startSyntheticExporter(10, 10_000);
  let prom: PrometheusProcess | null = null;
  try {
    const targets = Array.from({ length: 10 }, (_, i) => `    - job_name: t${i}\n      metrics_path: /t/${i}\n      static_configs:\n        - targets: ['${exporter.url.replace('http://', '')}']\n`).join('');
    prom = await startPrometheus(targets);
    log('prometheus: scraping 10 targets × 10k series at 1 s');
    const appended = () => prom!.selfMetric('prometheus_tsdb_head_samples_appended_total');
    for (let i = 0; i < 100 && !((await appended()) > 200_000); i++) await new Promise((r) => setTimeout(r, 500));
    const s0 = await appended();
    const c0 = prom.cpuMicros();
    await new Promise((r) => setTimeout(r, quick ? 15_000 : 40_000));
    const c1 = prom.cpuMicros();
    const s1 = await appended();
    return (c1 - c0) / (s1 - s0);
  } finally {
    await prom?.stop();
    await exporter.close();
  }
}

// ---- node_exporter side by side ---------------------------------------------------------------

export async function nodeExporterSideBySide(quick: boolean, log: Log): Promise<BenchFigure[]> {
  const port = await freePort();
  const exporter = startExternal('/usr/bin/prometheus-node-exporter', [`--web.listen-address=127.0.0.1:${port}`]);
  const e = await openEngine('D');
  let prom: PrometheusProcess | null = null;
  try {
    const target = `http://127.0.0.1:${port}/metrics`;
    await waitForHttp(target);
    prom = await startPrometheus(`  - job_name: node\n    static_configs:\n      - targets: ['127.0.0.1:${port}']\n`);
    const seconds = quick ? 60 : 300;
    log(`node_exporter: Vigil and Prometheus scrape the same exporter at 1 s for ${seconds} s`);
    const ids = new Map<string, number>();
    let samples = 0;
    let newest = 0;
    let next = Math.ceil(Date.now() / 1000) * 1000;
    for (let i = 0; i < seconds; i++) {
      await new Promise((r) => setTimeout(r, Math.max(0, next - Date.now())));
      const ts = Date.now();
      const text = await (await fetch(target)).text();
      const rows: SampleRow[] = [];
      for (const [key, value] of parseExposition(text)) {
        let id = ids.get(key);
        if (id === undefined) ids.set(key, (id = ids.size + 1));
        rows.push({ seriesId: id, ts, value });
      }
      await e.engine.append(rows);
      samples += rows.length;
      newest = ts;
      next += 1000;
    }
    const blocks = await prom.snapshot();
    await compactAll(e.engine, newest);
    const b = rawBytes(e.persistence);
    if (process.env.BENCH_DEBUG) log(JSON.stringify(e.persistence.db.raw.prepare("SELECT name, COUNT(*) pages, SUM(pgsize) bytes, SUM(pgsize - unused) used FROM dbstat WHERE name LIKE 'tsdb_chunk%' GROUP BY name").all()) + JSON.stringify(e.persistence.db.raw.prepare('SELECT COUNT(*) n FROM tsdb_chunks').get()));
    const context = `${samples} samples, ${ids.size} series, ${seconds} s at 1 s, Vigil timestamps as scraped (ms jitter), Prometheus ${blocks.samples} samples in its snapshot block`;
    return [
      {
        name: 'node_exporter_chunk_bytes_per_sample',
        value: b.payload / samples,
        unit: 'B/sample',
        target: '<= 1.4',
        peer: { name: 'prometheus chunk files', value: blocks.chunkBytes / blocks.samples },
        note: `${context}; Vigil: chunk blobs after compaction and window merge; Prometheus: chunks/ of the snapshot block`,
      },
      {
        name: 'node_exporter_disk_bytes_per_sample',
        value: b.pages / samples,
        unit: 'B/sample',
        peer: { name: 'prometheus chunks + index', value: (blocks.chunkBytes + blocks.indexBytes) / blocks.samples },
        note: 'Vigil: pages of the chunk table and its index (row keys, page slack); Prometheus: chunk files + block index',
      },
    ];
  } finally {
    await prom?.stop();
    await exporter.stop();
    await e.cleanup();
  }
}

// ---- range-query latency --------------------------------------------------------------------

interface QuerySet {
  metric: string;
  series: number;
  spanMs: number;
  stepMs: number;
  value: (s: number, i: number) => number;
}

function querySets(quick: boolean): QuerySet[] {
  return [
    { metric: 'bench_q_day', series: 1, spanMs: DAY, stepMs: 1000, value: (_s, i) => Math.round((50 + 30 * Math.sin(i / 600)) * 100) / 100 },
    { metric: 'bench_q_hour', series: 100, spanMs: HOUR, stepMs: 1000, value: (s, i) => (s * 13 + i) % 100 },
    { metric: 'bench_q_month', series: 100, spanMs: (quick ? 7 : 30) * DAY, stepMs: 60_000, value: (s, i) => Math.round((s + 20 * Math.sin(i / 50)) * 10) / 10 },
  ];
}

/**
 * Appends the data sets to a Vigil data dir (through the same storage code as the server) and,
 * when `promDir` is set, backfills the same samples into Prometheus blocks with promtool — one
 * OpenMetrics file per 2 h block range, because promtool re-reads its whole input once per block.
 */
async function prepareQueryData(sets: QuerySet[], end: number, vigilDir: string, promDir: string | null, log: Log): Promise<void> {
  const config = { ...toServerConfig(parseOptions(SERVER_OPTIONS, { argv: [], env: {} }).values), dataDir: vigilDir };
  const storage = await openStorage({ ...config, retentionMs: 40 * DAY }, systemClock);
  try {
    const ids: number[][] = [];
    for (const set of sets) {
      const refs = Array.from({ length: set.series }, (_, s) => ({ metric: set.metric, labels: (set.series > 1 ? { n: String(s) } : {}) as Record<string, string>, agentId: null }));
      ids.push((await storage.series.resolve(refs, 1_000_000)) as number[]);
    }
    const block = 2 * HOUR;
    const first = Math.min(...sets.map((s) => end - s.spanMs));
    log(`query data: ${sets.map((s) => `${s.metric} ${s.series} × ${s.spanMs / s.stepMs}`).join(', ')}`);
    for (let w = Math.floor(first / block) * block; w < end; w += block) {
      const lines: string[] = [];
      const rows: SampleRow[] = [];
      sets.forEach((set, k) => {
        const start = end - set.spanMs;
        const from = Math.max(w, start);
        const to = Math.min(w + block, end);
        if (from >= to) return;
        lines.push(`# TYPE ${set.metric} gauge`);
        for (let s = 0; s < set.series; s++) {
          const name = set.series > 1 ? `${set.metric}{n="${s}"}` : set.metric;
          for (let ts = start + Math.ceil((from - start) / set.stepMs) * set.stepMs; ts < to; ts += set.stepMs) {
            const v = set.value(s, (ts - start) / set.stepMs);
            rows.push({ seriesId: ids[k]![s]!, ts, value: v });
            lines.push(`${name} ${v} ${(ts / 1000).toFixed(3)}`);
          }
        }
      });
      for (let i = 0; i < rows.length; i += 50_000) await storage.samples.append(rows.slice(i, i + 50_000));
      if (promDir && lines.length > 0) {
        const file = join(promDir, 'block.om');
        writeFileSync(file, `${lines.join('\n')}\n# EOF\n`);
        const res = spawnSync('promtool', ['tsdb', 'create-blocks-from', 'openmetrics', '-q', file, join(promDir, 'tsdb')], { stdio: ['ignore', 'ignore', 'pipe'] });
        if (res.status !== 0) throw new Error(`promtool failed: ${res.stderr.toString().slice(0, 500)}`);
        rmSync(file);
      }
    }
    log('query data: compaction and rollups');
    for (let i = 0; i < 50; i++) {
      const before = (await storage.samples.stats()).counters?.['rollups_built'] ?? 0;
      await storage.samples.maintain(Date.now());
      if ((await storage.samples.stats()).counters?.['rollups_built'] === before && i > 1) break;
    }
  } finally {
    await storage.close();
  }
}

async function timeGets(url: string, headers: Record<string, string>, n: number): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    const res = await fetch(url, { headers });
    if (res.status !== 200) throw new Error(`query ${res.status}: ${(await res.text()).slice(0, 300)}`);
    await res.arrayBuffer();
    times.push(performance.now() - t);
  }
  return times;
}

export async function queryLatency(quick: boolean, log: Log, withPrometheus: boolean): Promise<BenchFigure[]> {
  const root = mkdtempSync(join(tmpdir(), 'vigil-bench-query-'));
  const vigilDir = join(root, 'vigil');
  const promDir = join(root, 'prom');
  const sets = querySets(quick);
  const end = Math.floor(Date.now() / HOUR) * HOUR;
  let server: ServerProcess | null = null;
  let prom: PrometheusProcess | null = null;
  try {
    if (withPrometheus) mkdirSync(promDir, { recursive: true });
    await prepareQueryData(sets, end, vigilDir, withPrometheus ? promDir : null, log);
    if (withPrometheus) {
      prom = await startPrometheus('', { dataDir: promDir });
      // Let Prometheus compact the backfilled 2 h blocks, as it would over time.
      let blocks = await prom.selfMetric('prometheus_tsdb_blocks_loaded');
      for (let i = 0; i < (quick ? 0 : 24); i++) {
        await new Promise((r) => setTimeout(r, 5000));
        const now = await prom.selfMetric('prometheus_tsdb_blocks_loaded');
        if (now === blocks && i > 12) break;
        blocks = now;
      }
      log(`prometheus: ${blocks} blocks loaded`);
    }
    const { ensureBuilt } = await import('../scripts/build-if-needed.mjs');
    ensureBuilt({ server: true, web: false });
    server = await startServerProcess({}, vigilDir);
    const cookie = await benchLogin(server.url);
    const n = quick ? 20 : 100;
    const figures: BenchFigure[] = [];
    const cases: [string, QuerySet, number][] = [
      ['query_1x1d_raw', sets[0]!, 10_000],
      ['query_100x1h_raw', sets[1]!, 10_000],
      [`query_100x${quick ? 7 : 30}d_rollup`, sets[2]!, HOUR],
    ];
    for (const [name, set, step] of cases) {
      const start = end - set.spanMs;
      const v = await timeGets(`${server.url}/api/v1/query?query=${set.metric}&start=${start}&end=${end}&step=${step / 1000}s&agg=avg`, { cookie }, n);
      const tier = ((await (await fetch(`${server.url}/api/v1/query?query=${set.metric}&start=${start}&end=${end}&step=${step / 1000}s&agg=avg`, { headers: { cookie } })).json()) as { tier: string }).tier;
      let p: number[] | null = null;
      if (prom) {
        const q = encodeURIComponent(`avg_over_time(${set.metric}[${step / 1000}s])`);
        p = await timeGets(`${prom.url}/api/v1/query_range?query=${q}&start=${(start + step) / 1000}&end=${end / 1000}&step=${step / 1000}`, {}, n);
      }
      const note = `${set.series} series × ${set.spanMs / set.stepMs} samples at ${set.stepMs / 1000} s, step ${step / 1000} s, agg avg; Vigil tier ${tier}; Prometheus avg_over_time(m[${step / 1000}s]) query_range`;
      figures.push({ name: `${name}_p50`, value: median(v), unit: 'ms', target: '<= Prometheus', ...(p ? { peer: { name: 'prometheus', value: median(p) } } : {}), note: `${n} queries; ${note}` });
      figures.push({ name: `${name}_p99`, value: percentile(v, 99), unit: 'ms', ...(p ? { peer: { name: 'prometheus', value: percentile(p, 99) } } : {}) });
    }
    return figures;
  } finally {
    await server?.stop();
    await prom?.stop();
    rmSync(root, { recursive: true, force: true });
  }
}

/** The issue-3 figures. Prometheus parts are skipped (and said so) when it is not installed. */
export const suite: BenchSuite = {
  name: 'tsdb',
  description: 'Time-series engine: bytes/sample (node_exporter, 10k synthetic), HTTP ingest + CPU/sample, range-query latency, restart; side by side with Prometheus',
  async run({ quick, log }) {
    const figures: BenchFigure[] = [];
    const failed: string[] = [];
    const withProm = hasPrometheus();
    if (!withProm) log('prometheus is not installed: peer figures are skipped');
    // One failing part must not throw away the figures of the others.
    const part = async (name: string, fn: () => Promise<BenchFigure[]> | BenchFigure[]) => {
      try {
        figures.push(...(await fn()));
      } catch (err) {
        log(`${name} FAILED: ${String(err)}`);
        failed.push(`${name}: ${String(err).slice(0, 200)}`);
      }
    };
    await part('codec', () => codecOnFixture());
    await part('restart', () => restartTime(log));
    await part('synthetic', () => synthetic10k(quick, log));
    let promCpu: number | null = null;
    if (withProm) await part('prometheus cpu', async () => ((promCpu = await prometheusCpuPerSample(quick, log)), []));
    await part('http ingest', () => httpIngestFigures(quick, log, promCpu));
    if (withProm) await part('node_exporter', () => nodeExporterSideBySide(quick, log));
    await part('queries', () => queryLatency(quick, log, withProm));
    if (failed.length > 0) figures.push({ name: 'failed_parts', value: failed.length, unit: 'parts', note: failed.join(' | ') });
    return figures;
  },
};

