import { join } from 'node:path';
import { point, type Collector, type CollectorContext, type CollectorFactory, type CollectResult } from '../../collector.js';
import { ProcReader } from '../proc-reader.js';
import { linuxOnly } from '../linux-only.js';

/** Parses the three load averages of /proc/loadavg; null when malformed. */
export function parseLoadavg(text: string): [number, number, number] | null {
  const f = text.trim().split(/\s+/).slice(0, 3).map(Number);
  return f.length === 3 && f.every((v) => Number.isFinite(v) && v >= 0) ? (f as [number, number, number]) : null;
}

/** Run-queue load averages from /proc/loadavg. */
export class LoadCollector implements Collector {
  readonly name = 'load';
  private readonly reader = new ProcReader();
  private path = '/proc/loadavg';

  init(ctx: CollectorContext): void {
    this.path = join(ctx.procRoot, 'loadavg');
  }

  collect(now: number): CollectResult {
    const l = parseLoadavg(this.reader.read(this.path));
    if (!l) return { series: [] };
    return { series: [point('load1', l[0], now), point('load5', l[1], now), point('load15', l[2], now)] };
  }

  close(): void {}
}

/** Factory of the `load` collector (Linux). */
export const loadCollectorFactory: CollectorFactory = {
  name: 'load',
  description: 'Load averages over 1, 5 and 15 minutes (/proc/loadavg)',
  create: () => new LoadCollector(),
  unavailableReason: (ctx) => linuxOnly(ctx, 'loadavg'),
};
