import { cpus, freemem, loadavg, totalmem, uptime } from 'node:os';
import type { SeriesItem } from '../../../protocol/ingest.js';
import { point, type Collector, type CollectorFactory, type CollectResult } from '../../collector.js';

interface CoreTimes {
  user: number;
  system: number;
  idle: number;
}

/**
 * What Node's `os` module offers, for hosts without Linux /proc (macOS, BSD, Windows). These
 * stand in for the Linux `cpu`, `memory`, `load` and `uptime` collectors with fewer details:
 * no iowait or steal, no cache, buffers or swap figures.
 */
export class NodeOsCpuCollector implements Collector {
  readonly name = 'cpu';
  private prev: CoreTimes[] | null = null;

  init(): void {}

  collect(now: number): CollectResult {
    const cur = cpus().map((c) => ({ user: c.times.user + c.times.nice, system: c.times.sys + c.times.irq, idle: c.times.idle }));
    const series: SeriesItem[] = [];
    if (this.prev && this.prev.length === cur.length) {
      const total: CoreTimes = { user: 0, system: 0, idle: 0 };
      cur.forEach((c, i) => {
        const p = (this.prev as CoreTimes[])[i] as CoreTimes;
        const d = { user: Math.max(0, c.user - p.user), system: Math.max(0, c.system - p.system), idle: Math.max(0, c.idle - p.idle) };
        total.user += d.user;
        total.system += d.system;
        total.idle += d.idle;
        series.push(...cpuPoints(String(i), d, now));
      });
      series.push(...cpuPoints('total', total, now));
    }
    this.prev = cur;
    return { series };
  }

  close(): void {}
}

function cpuPoints(cpu: string, d: CoreTimes, now: number): SeriesItem[] {
  const sum = d.user + d.system + d.idle;
  if (sum <= 0) return [];
  const pct = (v: number) => (v * 100) / sum;
  return [
    point('cpu_usage_percent', 100 - pct(d.idle), now, { cpu }),
    point('cpu_mode_percent', pct(d.user), now, { cpu, mode: 'user' }),
    point('cpu_mode_percent', pct(d.system), now, { cpu, mode: 'system' }),
    point('cpu_mode_percent', pct(d.idle), now, { cpu, mode: 'idle' }),
  ];
}

/** Total and free memory from `os.totalmem()` / `os.freemem()`. */
export class NodeOsMemoryCollector implements Collector {
  readonly name = 'memory';
  init(): void {}
  collect(now: number): CollectResult {
    const total = totalmem();
    const available = Math.min(total, freemem());
    if (total <= 0) return { series: [] };
    return {
      series: [
        point('memory_total_bytes', total, now),
        point('memory_available_bytes', available, now),
        point('memory_used_bytes', total - available, now),
        point('memory_usage_percent', ((total - available) * 100) / total, now),
      ],
    };
  }
  close(): void {}
}

/** Load averages from `os.loadavg()`. */
export class NodeOsLoadCollector implements Collector {
  readonly name = 'load';
  init(): void {}
  collect(now: number): CollectResult {
    const [l1, l5, l15] = loadavg();
    return { series: [point('load1', l1 ?? 0, now), point('load5', l5 ?? 0, now), point('load15', l15 ?? 0, now)] };
  }
  close(): void {}
}

/** Uptime from `os.uptime()`. */
export class NodeOsUptimeCollector implements Collector {
  readonly name = 'uptime';
  init(): void {}
  collect(now: number): CollectResult {
    return { series: [point('uptime_seconds', uptime(), now)] };
  }
  close(): void {}
}

/** Factories of the portable collectors (used when Linux /proc is not available). */
export const nodeOsCollectorFactories: readonly CollectorFactory[] = [
  { name: 'cpu', description: 'CPU usage from os.cpus() (no iowait/steal)', create: () => new NodeOsCpuCollector(), unavailableReason: () => null },
  { name: 'memory', description: 'Memory from os.totalmem()/os.freemem() (no swap)', create: () => new NodeOsMemoryCollector(), unavailableReason: () => null },
  {
    name: 'load',
    description: 'Load averages from os.loadavg()',
    create: () => new NodeOsLoadCollector(),
    // Windows has no load average; os.loadavg() returns zeros there, which would be a lie.
    unavailableReason: (ctx) => (ctx.platform === 'win32' ? 'Windows has no load average' : null),
  },
  { name: 'uptime', description: 'Uptime from os.uptime()', create: () => new NodeOsUptimeCollector(), unavailableReason: () => null },
];
