import { join } from 'node:path';
import type { SeriesItem } from '../../../protocol/ingest.js';
import { point, type Collector, type CollectorContext, type CollectorFactory, type CollectResult } from '../../collector.js';
import { ProcReader } from '../proc-reader.js';
import { linuxOnly } from '../linux-only.js';
import { parseProcStat, type CpuTimes } from './parse-proc-stat.js';

/** Mode shares reported per CPU, from deltas of /proc/stat ticks. */
export interface CpuShares {
  user: number;
  system: number;
  iowait: number;
  steal: number;
  idle: number;
}

/**
 * Percent of time per mode between two readings of one CPU line, or null when the counters did
 * not advance or went backwards (CPU hot-plug). Single fields may step back a little (per-CPU
 * iowait is known to), so negative field deltas are clamped to zero instead of voiding the tick.
 */
export function cpuShares(prev: CpuTimes, cur: CpuTimes): CpuShares | null {
  const d = (k: keyof CpuTimes) => Math.max(0, cur[k] - prev[k]);
  const sumPrev = prev.user + prev.nice + prev.system + prev.idle + prev.iowait + prev.irq + prev.softirq + prev.steal;
  const sumCur = cur.user + cur.nice + cur.system + cur.idle + cur.iowait + cur.irq + cur.softirq + cur.steal;
  if (sumCur < sumPrev) return null;
  const user = d('user') + d('nice');
  const system = d('system') + d('irq') + d('softirq');
  const iowait = d('iowait');
  const steal = d('steal');
  const idle = d('idle');
  const total = user + system + iowait + steal + idle;
  if (total <= 0) return null;
  const pct = (v: number) => (v * 100) / total;
  return { user: pct(user), system: pct(system), iowait: pct(iowait), steal: pct(steal), idle: pct(idle) };
}

const MODES = ['user', 'system', 'iowait', 'steal', 'idle'] as const;

/** CPU usage, total and per core, from /proc/stat. */
export class CpuCollector implements Collector {
  readonly name = 'cpu';
  private readonly reader = new ProcReader();
  private path = '/proc/stat';
  private prev = new Map<string, CpuTimes>();

  init(ctx: CollectorContext): void {
    this.path = join(ctx.procRoot, 'stat');
  }

  collect(now: number): CollectResult {
    const stat = parseProcStat(this.reader.read(this.path));
    const series: SeriesItem[] = [];
    for (const [cpu, times] of stat.cpus) {
      const prev = this.prev.get(cpu);
      const shares = prev ? cpuShares(prev, times) : null;
      if (!shares) continue;
      series.push(point('cpu_usage_percent', 100 - shares.idle - shares.iowait, now, { cpu }));
      for (const mode of MODES) series.push(point('cpu_mode_percent', shares[mode], now, { cpu, mode }));
    }
    this.prev = stat.cpus;
    return { series };
  }

  close(): void {}
}

/** Factory of the `cpu` collector (Linux). */
export const cpuCollectorFactory: CollectorFactory = {
  name: 'cpu',
  description: 'CPU usage per mode, total and per core (/proc/stat)',
  create: () => new CpuCollector(),
  unavailableReason: (ctx) => linuxOnly(ctx, 'stat'),
};
