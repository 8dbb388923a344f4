import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CollectorRegistry } from '../collector-registry.js';
import { FixtureHost } from '../testing/fixture-host.js';
import { builtinCollectorFactories } from './builtin-collectors.js';

test('on Linux every built-in collector runs from /proc', () => {
  const host = new FixtureHost();
  try {
    host.use('t0');
    const reg = new CollectorRegistry();
    for (const f of builtinCollectorFactories()) reg.register(f);
    const sel = reg.select([], [], host.ctx());
    assert.deepEqual(sel.enabled.map((f) => f.name), ['cpu', 'memory', 'filesystem', 'disk', 'network', 'load', 'uptime', 'processes']);
    assert.deepEqual(sel.unavailable, []);
  } finally {
    host.cleanup();
  }
});

test("elsewhere the agent reports what Node's os offers and lists the rest as unavailable with reasons", async () => {
  const host = new FixtureHost();
  try {
    host.use('t0');
    const reg = new CollectorRegistry();
    for (const f of builtinCollectorFactories()) reg.register(f);
    const ctx = host.ctx({ platform: 'darwin' });
    const sel = reg.select([], [], ctx);
    assert.deepEqual(sel.enabled.map((f) => f.name), ['cpu', 'memory', 'load', 'uptime']);
    assert.deepEqual(sel.unavailable, [
      'filesystem: needs Linux /proc (this host runs darwin)',
      'disk: needs Linux /proc (this host runs darwin)',
      'network: needs Linux /proc (this host runs darwin)',
      'processes: needs Linux /proc (this host runs darwin)',
    ]);
    const windows = reg.select([], [], host.ctx({ platform: 'win32' }));
    assert.ok(windows.unavailable.some((u) => u.startsWith('load: needs Linux /proc (this host runs win32); Windows has no load average')));
    // The fallbacks produce the catalogue's metric names.
    const metrics = new Set<string>();
    for (const f of sel.enabled) {
      const c = f.create(ctx);
      await c.init(ctx);
      await c.collect(1000);
      for (const s of (await c.collect(2000)).series) metrics.add(s.metric);
      await c.close();
    }
    for (const m of ['memory_usage_percent', 'load1', 'uptime_seconds']) assert.ok(metrics.has(m), m);
  } finally {
    host.cleanup();
  }
});

test('CollectorRegistry: --collectors and --disable must name known collectors', () => {
  const host = new FixtureHost();
  try {
    host.use('t0');
    const reg = new CollectorRegistry();
    for (const f of builtinCollectorFactories()) reg.register(f);
    assert.deepEqual(reg.select(['cpu', 'load'], ['load'], host.ctx()).enabled.map((f) => f.name), ['cpu']);
    assert.throws(() => reg.select(['cpu', 'gpu'], [], host.ctx()), /unknown collector "gpu"; known: cpu, memory/);
    assert.throws(() => reg.register(builtinCollectorFactories()[0]!), /two collectors are named "cpu"/);
    assert.throws(() => reg.register({ ...builtinCollectorFactories()[0]!, name: '../x' }), /collector name/);
  } finally {
    host.cleanup();
  }
});
