/**
 * HTTP ingest throughput and server CPU per sample with 10,000 interleaved series (10 agents ×
 * 1,000 series), in three request shapes: 10 points per series as `[ts, value]` pairs, the same in
 * the columnar form (`ts` + `values`), and the agent's own shape (one point per series per
 * request). Each shape runs against a fresh `vigil server` process (durability D).
 */
import type { BenchFigure } from './bench-types.js';
import type { ColumnarSeriesItem, SeriesItem } from '../src/protocol/ingest.js';
import { benchAgentKey, benchLogin, startServerProcess } from './support/server-process.js';

type Log = (msg: string) => void;

/** One measured request shape. */
export interface IngestShape {
  /** Figure name suffix, e.g. `10k_series`. */
  name: string;
  /** Points per series per request. */
  points: number;
  form: 'points' | 'columns';
  note: string;
}

export const INGEST_SHAPES: readonly IngestShape[] = [
  { name: '10k_series', points: 10, form: 'points', note: 'requests of 1000 series × 10 points as [ts, value] pairs' },
  { name: 'columnar_10k_series', points: 10, form: 'columns', note: 'requests of 1000 series × 10 points in the columnar form (ts + values arrays)' },
  { name: 'agent_shape_10k_series', points: 1, form: 'points', note: "requests of 1000 series × 1 point, the agent's own shape (one batch per collection)" },
];

const AGENTS = 10;
const SERIES_PER_AGENT = 1000;

function requestBody(shape: IngestShape, t0: number, round: number): string {
  const series = Array.from({ length: SERIES_PER_AGENT }, (_, i): SeriesItem | ColumnarSeriesItem => {
    const ts = Array.from({ length: shape.points }, (_, p) => t0 + (round * shape.points + p) * 1000);
    const values = ts.map((_, p) => (i * 7 + round * shape.points + p) % 100);
    const head = { metric: `bench_m${i % 20}`, labels: { idx: String(i) } };
    return shape.form === 'columns' ? { ...head, ts, values } : { ...head, points: ts.map((t, p): [number, number] => [t, values[p]!]) };
  });
  return JSON.stringify({ series });
}

/** Runs one shape: `samplesTotal` samples after a series-creating round, 4 requests in flight. */
export async function measureIngestShape(shape: IngestShape, quick: boolean, log: Log): Promise<{ samplesPerSecond: number; cpuMicrosPerSample: number; samples: number }> {
  const server = await startServerProcess({ VIGIL_DURABILITY: 'D' });
  try {
    const cookie = await benchLogin(server.url);
    const samplesTotal = quick ? 1_200_000 : 4_000_000;
    const rounds = Math.round(samplesTotal / (AGENTS * SERIES_PER_AGENT * shape.points));
    const keys = await Promise.all(Array.from({ length: AGENTS }, (_, a) => benchAgentKey(server.url, cookie, `tsdb-ingest-${a}`)));
    const t0 = Math.floor(Date.now() / 1000) * 1000 - (rounds + 1) * shape.points * 1000;
    // Agents of one run send the same values; only the key (host label) differs.
    const bodies = Array.from({ length: rounds + 1 }, (_, r) => requestBody(shape, t0, r));
    const post = async (a: number, r: number) => {
      const res = await fetch(`${server.url}/api/v1/ingest`, { method: 'POST', headers: { authorization: `Bearer ${keys[a]}`, 'content-type': 'application/json' }, body: bodies[r]! });
      if (res.status !== 200) throw new Error(`ingest ${res.status}: ${(await res.text()).slice(0, 300)}`);
      await res.arrayBuffer();
    };
    // Round 0 creates the series (a one-time index cost, not measured).
    await Promise.all(keys.map((_, a) => post(a, 0)));
    const queue: [number, number][] = [];
    for (let r = 1; r <= rounds; r++) for (let a = 0; a < AGENTS; a++) queue.push([a, r]);
    log(`http ingest (${shape.name}): ${AGENTS} agents × ${SERIES_PER_AGENT} series × ${shape.points} point(s) × ${rounds} rounds, ${shape.form}`);
    const cpu0 = server.cpuMicros();
    const start = performance.now();
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        for (let job = queue.shift(); job; job = queue.shift()) await post(job[0], job[1]);
      }),
    );
    const seconds = (performance.now() - start) / 1000;
    const samples = AGENTS * SERIES_PER_AGENT * shape.points * rounds;
    return { samplesPerSecond: samples / seconds, cpuMicrosPerSample: (server.cpuMicros() - cpu0) / samples, samples };
  } finally {
    await server.stop();
  }
}

/** The figures of every shape, CPU compared with Prometheus's CPU per scraped sample when known. */
export async function httpIngestFigures(quick: boolean, log: Log, promCpu: number | null): Promise<BenchFigure[]> {
  const { ensureBuilt } = await import('../scripts/build-if-needed.mjs');
  ensureBuilt({ server: true, web: false });
  const figures: BenchFigure[] = [];
  for (const shape of INGEST_SHAPES) {
    const m = await measureIngestShape(shape, quick, log);
    figures.push(
      { name: `http_ingest_${shape.name}_samples_per_s`, value: Math.round(m.samplesPerSecond), unit: 'samples/s', target: '>= 500000', note: `${m.samples} samples; ${shape.note}; 4 in flight; durability D` },
      {
        name: `http_ingest_${shape.name}_cpu_us_per_sample`,
        value: m.cpuMicrosPerSample,
        unit: 'µs/sample',
        target: '<= Prometheus',
        ...(promCpu !== null ? { peer: { name: 'prometheus scrape', value: promCpu } } : {}),
        note: 'Vigil server process CPU (HTTP + JSON + validation + series lookup + engine); Prometheus: process CPU per appended sample scraping 10 × 10k series at 1 s',
      },
    );
  }
  return figures;
}
