import { join } from 'node:path';
import { point, type Collector, type CollectorContext, type CollectorFactory, type CollectResult } from '../../collector.js';
import { ProcReader } from '../proc-reader.js';
import { linuxOnly } from '../linux-only.js';

/** Seconds since boot from /proc/uptime (first field); null when malformed. */
export function parseUptime(text: string): number | null {
  const m = /^\s*(\d+(?:\.\d+)?)/.exec(text);
  return m ? Number(m[1]) : null;
}

/** Host uptime from /proc/uptime. */
export class UptimeCollector implements Collector {
  readonly name = 'uptime';
  private readonly reader = new ProcReader();
  private path = '/proc/uptime';

  init(ctx: CollectorContext): void {
    this.path = join(ctx.procRoot, 'uptime');
  }

  collect(now: number): CollectResult {
    const up = parseUptime(this.reader.read(this.path));
    return { series: up === null ? [] : [point('uptime_seconds', up, now)] };
  }

  close(): void {}
}

/** Factory of the `uptime` collector (Linux). */
export const uptimeCollectorFactory: CollectorFactory = {
  name: 'uptime',
  description: 'Seconds since boot (/proc/uptime)',
  create: () => new UptimeCollector(),
  unavailableReason: (ctx) => linuxOnly(ctx, 'uptime'),
};
