/**
 * The agent's own cost: a real `vigil agent` process (built, `dist/cli.js`) collecting this host
 * at a 1 s interval with every built-in collector, pushing to a loopback HTTP sink that answers
 * 200. Measured after a warm-up: CPU % of one core (from /proc/<pid>/stat) and RSS (sampled every
 * second from /proc/<pid>/status). Then the sink goes away for a while and comes back, and the
 * backlog drain rate is compared with the live rate (1 batch/s).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BenchFigure, BenchSuite } from './bench-types.js';
import { median, processCpuMicros, processRssBytes } from './support/server-process.js';
import { IngestSink, until } from '../src/agent/testing/ingest-sink.js';

const root = new URL('..', import.meta.url).pathname;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export const suite: BenchSuite = {
  name: 'agent',
  description: 'vigil agent at 1 s interval against a loopback sink: CPU % of one core, RSS, backlog drain rate',
  async run({ quick, log }) {
    const { ensureBuilt } = await import('../scripts/build-if-needed.mjs');
    ensureBuilt({ server: true, web: false });
    const measureMs = quick ? 20_000 : 60_000;
    const warmupMs = 5_000;
    const outageMs = quick ? 5_000 : 15_000;
    const dir = mkdtempSync(join(tmpdir(), 'vigil-bench-agent-'));
    const sink = new IngestSink();
    const url = await sink.start();
    const port = Number(new URL(url).port);
    const nodeArgs = (process.env.BENCH_AGENT_NODE_ARGS ?? '').split(' ').filter(Boolean);
    const child = spawn(process.execPath, [...nodeArgs, join(root, 'dist', 'cli.js'), 'agent', '--server', url, '--interval', '1s', '--data-dir', dir], {
      env: { ...process.env, VIGIL_KEY: 'vgk_bench_agent_key_0000000000', VIGIL_LOG_LEVEL: 'warn', VIGIL_CONFIG: '' },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    const pid = child.pid as number;
    try {
      await until(() => sink.ingests().length >= 2, 30_000, 'first batches from the agent');
      await sleep(warmupMs);
      log(`measuring ${measureMs / 1000} s`);
      const cpu0 = processCpuMicros(pid);
      const batches0 = sink.ingests().length;
      const t0 = performance.now();
      const rss: number[] = [];
      while (performance.now() - t0 < measureMs) {
        rss.push(processRssBytes(pid));
        await sleep(1000);
      }
      const wallUs = (performance.now() - t0) * 1000;
      const cpuPct = ((processCpuMicros(pid) - cpu0) / wallUs) * 100;
      const batches = sink.ingests().length - batches0;
      const samples = sink.ingests().slice(batches0).reduce((a, r) => a + ((r.body as { series?: { points: unknown[] }[] }).series ?? []).reduce((b, s) => b + s.points.length, 0), 0);

      log(`outage of ${outageMs / 1000} s, then drain`);
      await sink.stop();
      await sleep(outageMs);
      const before = sink.requests.length;
      const received = sink.ingests().length;
      await sink.start(port);
      // About outageMs/1000 batches were spooled. The drain rate is timed from the agent's first
      // request after the restart (its backoff wait is not part of the drain) to the last of them.
      const backlog = Math.round(outageMs / 1000);
      await until(() => sink.ingests().length >= received + backlog, 60_000, 'backlog drain');
      const first = sink.requests[before]?.at as number;
      const last = sink.ingests()[received + backlog - 1]?.at as number;
      const drainSec = Math.max(0.001, (last - first) / 1000);
      const mb = (b: number) => Math.round((b / 1024 / 1024) * 10) / 10;
      return [
        { name: 'agent_cpu_percent_1s_interval', value: Math.round(cpuPct * 100) / 100, unit: '% of one core', target: '<= 1', note: `${measureMs / 1000} s after a ${warmupMs / 1000} s warm-up; ${batches} batches, ${samples} samples` },
        { name: 'agent_rss_peak_mb', value: mb(Math.max(...rss)), unit: 'MB', target: '<= 60', note: `${rss.length} samples, 1 per second` },
        { name: 'agent_rss_median_mb', value: mb(median(rss)), unit: 'MB' },
        {
          name: 'agent_backlog_drain_batches_per_s',
          value: Math.round((backlog / drainSec) * 10) / 10,
          unit: 'batches/s',
          target: '>= 3 (3x the live rate)',
          note: `${backlog} batches spooled during a ${outageMs / 1000} s outage, sent back to back in ${drainSec.toFixed(3)} s (re-registration included); live rate 1/s`,
        },
      ] satisfies BenchFigure[];
    } finally {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
      await sink.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
