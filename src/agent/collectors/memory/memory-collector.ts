import { join } from 'node:path';
import type { SeriesItem } from '../../../protocol/ingest.js';
import { point, type Collector, type CollectorContext, type CollectorFactory, type CollectResult } from '../../collector.js';
import { ProcReader } from '../proc-reader.js';
import { linuxOnly } from '../linux-only.js';
import { parseMeminfo } from './parse-meminfo.js';

/** Memory figures in bytes derived from /proc/meminfo. */
export interface MemoryFigures {
  total: number;
  available: number;
  used: number;
  cached: number;
  buffers: number;
  swapTotal: number;
  swapUsed: number;
}

/**
 * Derives memory figures. `available` is `MemAvailable` (kernels ≥ 3.14); older kernels fall
 * back to free + buffers + cached, the same estimate `free` used before. Returns null without
 * `MemTotal`.
 */
export function memoryFigures(info: Map<string, number>): MemoryFigures | null {
  const total = info.get('MemTotal');
  if (total === undefined || total <= 0) return null;
  const buffers = info.get('Buffers') ?? 0;
  const cached = info.get('Cached') ?? 0;
  const available = Math.min(total, info.get('MemAvailable') ?? (info.get('MemFree') ?? 0) + buffers + cached);
  const swapTotal = info.get('SwapTotal') ?? 0;
  const swapUsed = Math.max(0, swapTotal - (info.get('SwapFree') ?? swapTotal));
  return { total, available, used: total - available, cached, buffers, swapTotal, swapUsed };
}

/** Memory and swap from /proc/meminfo. */
export class MemoryCollector implements Collector {
  readonly name = 'memory';
  private readonly reader = new ProcReader();
  private path = '/proc/meminfo';

  init(ctx: CollectorContext): void {
    this.path = join(ctx.procRoot, 'meminfo');
  }

  collect(now: number): CollectResult {
    const m = memoryFigures(parseMeminfo(this.reader.read(this.path)));
    if (!m) return { series: [] };
    return { series: memorySeries(m, now) };
  }

  close(): void {}
}

/** The memory and swap series of docs/metrics.md for one reading. */
export function memorySeries(m: MemoryFigures, now: number): SeriesItem[] {
  return [
    point('memory_total_bytes', m.total, now),
    point('memory_available_bytes', m.available, now),
    point('memory_used_bytes', m.used, now),
    point('memory_cached_bytes', m.cached, now),
    point('memory_buffers_bytes', m.buffers, now),
    point('memory_usage_percent', (m.used * 100) / m.total, now),
    point('swap_total_bytes', m.swapTotal, now),
    point('swap_used_bytes', m.swapUsed, now),
    // A host without swap uses 0 % of it; reporting 0 keeps the series continuous for alerts.
    point('swap_usage_percent', m.swapTotal > 0 ? (m.swapUsed * 100) / m.swapTotal : 0, now),
  ];
}

/** Factory of the `memory` collector (Linux). */
export const memoryCollectorFactory: CollectorFactory = {
  name: 'memory',
  description: 'Memory and swap use (/proc/meminfo)',
  create: () => new MemoryCollector(),
  unavailableReason: (ctx) => linuxOnly(ctx, 'meminfo'),
};
