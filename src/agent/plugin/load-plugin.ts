import { access } from 'node:fs/promises';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Collector, CollectorContext, CollectorFactory, CollectResult } from '../collector.js';

/** A plugin that cannot be used (missing file, import error, wrong shape); exit code 2 at boot. */
export class PluginLoadError extends Error {
  override name = 'PluginLoadError';
}

/**
 * What a plugin module exports: `default` (or `createCollector`) is a function returning a
 * collector object `{name, init?(ctx), collect(now), close?()}`, possibly through a promise.
 */
export type PluginModule = {
  default?: unknown;
  createCollector?: unknown;
};

/**
 * Loads a collector plugin from a JS module path (relative paths resolve against `cwd`). The
 * factory is called once here to learn the collector's name and check its shape, so a broken
 * plugin fails at boot with a clear message instead of at the first tick.
 * @throws PluginLoadError
 */
export async function loadPlugin(path: string, cwd = process.cwd()): Promise<CollectorFactory> {
  const abs = resolve(cwd, path);
  try {
    await access(abs);
  } catch {
    throw new PluginLoadError(`plugin ${path}: file not found (${abs})`);
  }
  let mod: PluginModule;
  try {
    mod = (await import(pathToFileURL(abs).href)) as PluginModule;
  } catch (err) {
    throw new PluginLoadError(`plugin ${path}: cannot be imported: ${(err as Error).message}`);
  }
  const factory = typeof mod.default === 'function' ? mod.default : mod.createCollector;
  if (typeof factory !== 'function') {
    throw new PluginLoadError(`plugin ${path}: must export a function as default (or "createCollector") that returns a collector`);
  }
  let instance: unknown;
  try {
    instance = await (factory as () => unknown)();
  } catch (err) {
    throw new PluginLoadError(`plugin ${path}: the factory threw: ${(err as Error).message}`);
  }
  const collector = checkShape(instance, path);
  let created = false;
  return {
    name: collector.name,
    description: `plugin ${path}`,
    create: () => {
      // The instance made at load time serves the first run; the registry creates one per run.
      if (created) throw new PluginLoadError(`plugin ${path}: create() called twice`);
      created = true;
      return collector;
    },
    unavailableReason: () => null,
  };
}

function checkShape(value: unknown, path: string): Collector {
  if (typeof value !== 'object' || value === null) throw new PluginLoadError(`plugin ${path}: the factory must return an object`);
  const c = value as Record<string, unknown>;
  if (typeof c.name !== 'string' || !/^[a-zA-Z][a-zA-Z0-9_-]{0,63}$/.test(c.name)) {
    throw new PluginLoadError(`plugin ${path}: "name" must be 1-64 letters, digits, "-" or "_", starting with a letter`);
  }
  if (typeof c.collect !== 'function') throw new PluginLoadError(`plugin ${path}: "collect(now)" must be a function`);
  for (const k of ['init', 'close']) {
    if (c[k] !== undefined && typeof c[k] !== 'function') throw new PluginLoadError(`plugin ${path}: "${k}" must be a function when present`);
  }
  const name = c.name;
  return {
    name,
    init: (ctx: CollectorContext) => (typeof c.init === 'function' ? (c.init as (x: CollectorContext) => unknown).call(value, ctx) : undefined) as void,
    collect: (now: number) => (c.collect as (n: number) => CollectResult | Promise<CollectResult>).call(value, now),
    close: () => (typeof c.close === 'function' ? (c.close as () => unknown).call(value) : undefined) as void,
  };
}
