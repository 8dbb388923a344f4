import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BenchFigure, BenchSuite } from './bench-types.js';
import type { CollectorContext } from '../src/agent/collector.js';
import { parseAuthLine } from '../src/agent/collectors/security/auth/parse-auth-line.js';
import { DEFAULT_FIM_PATHS, fimCollectorFactory } from '../src/agent/collectors/security/fim/fim-collector.js';
import { portsCollectorFactory } from '../src/agent/collectors/security/ports/ports-collector.js';
import { suspiciousProcessesCollectorFactory } from '../src/agent/collectors/security/suspicious-processes/suspicious-processes-collector.js';

const FIXTURE = new URL('../src/agent/collectors/testdata/security/auth-bruteforce.log', import.meta.url).pathname;

function ctx(stateDir: string, onLog: (msg: string, fields?: Record<string, unknown>) => void): CollectorContext {
  const quiet = () => undefined;
  return { intervalMs: 10_000, procRoot: '/proc', sysRoot: '/sys', rootFs: '/', topProcesses: 10, log: { debug: onLog, info: onLog, warn: quiet, error: quiet }, platform: 'linux', clockTicks: 100, pageSize: 4096, stateDir, emitEvents: quiet };
}

/** Mean ms of `fn` over `n` calls. */
async function timeEach(n: number, fn: (i: number) => unknown): Promise<number> {
  const t0 = performance.now();
  for (let i = 0; i < n; i++) await fn(i);
  return (performance.now() - t0) / n;
}

/**
 * Cost of the agent's security collectors on this host (real /proc, real /usr/bin): auth-line
 * parsing throughput, the FIM baseline (hashing every default path) and an unchanged re-scan
 * (stat only), one listening-ports scan and one suspicious-processes scan. Bounded: one pass
 * over the default FIM paths, a fixed number of scans.
 */
export const suite: BenchSuite = {
  name: 'security-agent',
  description: 'agent security collectors: auth parse rate, FIM baseline/re-scan time, ports and process scan time (real /proc, /usr/bin)',
  async run({ quick, log }) {
    const figures: BenchFigure[] = [];
    const lines = readFileSync(FIXTURE, 'utf8').trimEnd().split('\n');
    const n = quick ? 50_000 : 300_000;
    const now = Date.now();
    let found = 0;
    const t0 = performance.now();
    for (let i = 0; i < n; i++) if (parseAuthLine(lines[i % lines.length] as string, now)) found++;
    const s = (performance.now() - t0) / 1000;
    figures.push({ name: 'auth_parse_lines_per_s', value: Math.round(n / s), unit: 'lines/s', note: `${n} lines of auth-bruteforce.log (${Math.round((found / n) * 100)}% findings)` });

    const dir = mkdtempSync(join(tmpdir(), 'vigil-bench-sec-'));
    try {
      let files = 0;
      let scanDone: (() => void) | null = null;
      const c = ctx(join(dir, 'fim'), (msg, f) => {
        if (msg === 'file integrity baseline recorded' || msg === 'file integrity scan done') {
          files = Number(f?.files ?? 0);
          scanDone?.();
        }
      });
      const fim = fimCollectorFactory({ paths: DEFAULT_FIM_PATHS, exclude: [], intervalMs: 1000, maxFiles: 20_000, maxFileBytes: 64 * 1024 * 1024, watch: false }).create(c);
      await fim.init(c);
      const b0 = performance.now();
      await new Promise<void>((resolve) => {
        scanDone = resolve;
        void fim.collect(0);
      });
      const baselineMs = performance.now() - b0;
      log(`fim baseline: ${files} files in ${baselineMs.toFixed(0)} ms`);
      figures.push({ name: 'fim_baseline_ms', value: Math.round(baselineMs), unit: 'ms', note: `${files} entries of the default paths (SHA-256 of every file)` });
      // The scan's bookkeeping finishes right after its log line.
      await new Promise((resolve) => setTimeout(resolve, 20));
      const r0 = performance.now();
      await new Promise<void>((resolve) => {
        scanDone = resolve;
        void fim.collect(1000);
      });
      await fim.close();
      figures.push({ name: 'fim_rescan_unchanged_ms', value: Math.round(performance.now() - r0), unit: 'ms', note: `${files} entries, stat only (hashes reused when inode/size/mtime/ctime are unchanged)` });

      const pc = ctx(join(dir, 'ports'), () => undefined);
      const ports = portsCollectorFactory(0).create(pc);
      await ports.init(pc);
      const portsBaselineMs = await timeEach(1, (i) => ports.collect(i));
      const portsMs = await timeEach(quick ? 20 : 100, (i) => ports.collect(1000 + i));
      figures.push({ name: 'ports_scan_ms', value: portsMs, unit: 'ms', note: `one scan of /proc/net/{tcp,tcp6,udp,udp6} (baseline incl. owner lookup over /proc/*/fd: ${portsBaselineMs.toFixed(1)} ms)` });

      const sc = ctx(join(dir, 'procs'), () => undefined);
      const procs = suspiciousProcessesCollectorFactory(0).create(sc);
      await procs.init(sc);
      const procsMs = await timeEach(quick ? 20 : 100, (i) => procs.collect(i));
      figures.push({ name: 'suspicious_processes_scan_ms', value: procsMs, unit: 'ms', note: 'one scan of /proc/<pid>/{stat,exe,cmdline}' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    return figures;
  },
};
