import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURES, FixtureHost } from '../../testing/fixture-host.js';
import { CpuCollector, cpuShares } from './cpu-collector.js';
import { parseProcStat } from './parse-proc-stat.js';

const T0 = 1_800_000_000_000;

test('parseProcStat reads the total and per-core lines, btime and process counts of the fixture', () => {
  const s = parseProcStat(readFileSync(join(FIXTURES, 't0/proc/stat'), 'utf8'));
  assert.deepEqual([...s.cpus.keys()], ['total', '0', '1']);
  assert.deepEqual(s.cpus.get('total'), { user: 68130, nice: 0, system: 12182, idle: 244443, iowait: 1366, irq: 0, softirq: 532, steal: 435 });
  assert.equal(s.bootTimeSec, 1795319357);
  assert.equal(typeof s.procsRunning, 'number');
  assert.equal(s.procsBlocked, 0);
});

test('parseProcStat tolerates short lines (old kernels) and skips garbage', () => {
  const s = parseProcStat('cpu 1 2 3 4\ncpux 9 9 9\ncpu0 a b c\nbtime nope\n');
  assert.deepEqual(s.cpus.get('total'), { user: 1, nice: 2, system: 3, idle: 4, iowait: 0, irq: 0, softirq: 0, steal: 0 });
  assert.equal(s.cpus.size, 1);
  assert.equal(s.bootTimeSec, null);
});

test('cpuShares: modes from tick deltas; a backwards total is a reset; a small iowait step back is clamped', () => {
  const a = { user: 100, nice: 0, system: 50, idle: 800, iowait: 50, irq: 0, softirq: 0, steal: 0 };
  const b = { user: 150, nice: 10, system: 60, idle: 880, iowait: 50, irq: 5, softirq: 5, steal: 0 };
  // user 50 + nice 10, system 10 + irq 5 + softirq 5, idle 80 → 160 ticks.
  assert.deepEqual(cpuShares(a, b), { user: 37.5, system: 12.5, iowait: 0, steal: 0, idle: 50 });
  assert.equal(cpuShares(b, a), null);
  assert.equal(cpuShares(a, a), null);
  const iowaitBack = cpuShares(a, { ...b, iowait: 45 });
  assert.ok(iowaitBack && iowaitBack.iowait === 0 && Math.abs(iowaitBack.user + iowaitBack.system + iowaitBack.idle - 100) < 1e-9);
});

test('CpuCollector: no rate on the first tick, then total and per-core usage from the captured snapshots', async () => {
  const host = new FixtureHost();
  try {
    host.use('t0');
    const c = new CpuCollector();
    c.init(host.ctx());
    assert.deepEqual(c.collect(T0).series, []);
    host.use('t1');
    const series = c.collect(T0 + 1100).series;
    // 2 cores + total, each with usage + 5 modes.
    assert.equal(series.length, 18);
    const get = (metric: string, cpu: string, mode?: string) =>
      series.find((s) => s.metric === metric && s.labels?.cpu === cpu && s.labels?.mode === mode)?.points[0];
    // total deltas: user 113, system 10 + softirq 1, idle 96 → 220 ticks.
    assert.deepEqual(get('cpu_usage_percent', 'total'), [T0 + 1100, 100 - (96 * 100) / 220]);
    assert.deepEqual(get('cpu_mode_percent', 'total', 'user'), [T0 + 1100, (113 * 100) / 220]);
    assert.deepEqual(get('cpu_mode_percent', 'total', 'system'), [T0 + 1100, 5]);
    assert.deepEqual(get('cpu_mode_percent', 'total', 'steal'), [T0 + 1100, 0]);
    // cpu0: user 58, idle 50 → 108 ticks.
    assert.deepEqual(get('cpu_usage_percent', '0'), [T0 + 1100, 100 - (50 * 100) / 108]);
  } finally {
    host.cleanup();
  }
});

test('CpuCollector: counters going backwards (hot-plug, reset) produce no rate, then resume', () => {
  const host = new FixtureHost();
  try {
    host.use('t1');
    const c = new CpuCollector();
    c.init(host.ctx());
    c.collect(T0);
    host.use('t0');
    assert.deepEqual(c.collect(T0 + 1000).series, []);
    host.use('t1');
    assert.equal(c.collect(T0 + 2000).series.length, 18);
  } finally {
    host.cleanup();
  }
});

test('CpuCollector: a core that disappears between ticks is simply not reported', () => {
  const host = new FixtureHost();
  try {
    host.use('t0');
    const c = new CpuCollector();
    c.init(host.ctx());
    c.collect(T0);
    host.use('t1');
    const path = join(host.dir, 'proc/stat');
    writeFileSync(path, readFileSync(path, 'utf8').replace(/^cpu1 .*\n/m, ''));
    const cpus = new Set(c.collect(T0 + 1000).series.map((s) => s.labels?.cpu));
    assert.deepEqual([...cpus], ['total', '0']);
  } finally {
    host.cleanup();
  }
});
