import type { CollectorFactory } from '../collector.js';
import { cpuCollectorFactory } from './cpu/cpu-collector.js';
import { diskCollectorFactory } from './disk/disk-collector.js';
import { filesystemCollectorFactory } from './filesystem/filesystem-collector.js';
import { loadCollectorFactory } from './load/load-collector.js';
import { memoryCollectorFactory } from './memory/memory-collector.js';
import { networkCollectorFactory } from './network/network-collector.js';
import { nodeOsCollectorFactories } from './node-os/node-os-collectors.js';
import { processesCollectorFactory } from './processes/processes-collector.js';
import { uptimeCollectorFactory } from './uptime/uptime-collector.js';

/**
 * Uses `primary` (the /proc reader) when it can run, else `fallback` (Node's `os`), under the
 * same name, so dashboards see the same metric names on every platform.
 */
export function withFallback(primary: CollectorFactory, fallback: CollectorFactory | undefined): CollectorFactory {
  if (!fallback) return primary;
  return {
    name: primary.name,
    description: primary.description,
    create: (ctx) => (primary.unavailableReason(ctx) === null ? primary.create(ctx) : fallback.create(ctx)),
    unavailableReason: (ctx) => {
      const p = primary.unavailableReason(ctx);
      const f = p === null ? null : fallback.unavailableReason(ctx);
      return p === null || f === null ? null : `${p}; ${f}`;
    },
  };
}

/** Tuning of the built-in collectors. */
export interface BuiltinCollectorOptions {
  /** Time between full process scans for the top lists, in ms; default 10 s. */
  processScanIntervalMs?: number;
}

/** The built-in host collectors, in the order their series appear in a batch. */
export function builtinCollectorFactories(opts: BuiltinCollectorOptions = {}): CollectorFactory[] {
  const fallback = (name: string) => nodeOsCollectorFactories.find((f) => f.name === name);
  return [
    cpuCollectorFactory,
    memoryCollectorFactory,
    filesystemCollectorFactory,
    diskCollectorFactory,
    networkCollectorFactory,
    loadCollectorFactory,
    uptimeCollectorFactory,
    processesCollectorFactory(opts.processScanIntervalMs),
  ].map((f) => withFallback(f, fallback(f.name)));
}
