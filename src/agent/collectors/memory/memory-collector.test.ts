import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FixtureHost } from '../../testing/fixture-host.js';
import { MemoryCollector, memoryFigures } from './memory-collector.js';
import { parseMeminfo } from './parse-meminfo.js';

test('parseMeminfo converts kB (KiB) to bytes and keeps unit-less counts', () => {
  const m = parseMeminfo('MemTotal:       1000 kB\nHugePages_Total:       3\nActive(anon):   5 kB\nbogus line\n');
  assert.equal(m.get('MemTotal'), 1024000);
  assert.equal(m.get('HugePages_Total'), 3);
  assert.equal(m.get('Active(anon)'), 5120);
  assert.equal(m.size, 3);
});

test('memoryFigures: used = total - available; old kernels without MemAvailable estimate it', () => {
  const kb = (n: number) => n * 1024;
  const modern = memoryFigures(new Map([['MemTotal', kb(1000)], ['MemAvailable', kb(600)], ['SwapTotal', kb(100)], ['SwapFree', kb(25)]]));
  assert.deepEqual(modern, { total: kb(1000), available: kb(600), used: kb(400), cached: 0, buffers: 0, swapTotal: kb(100), swapUsed: kb(75) });
  const old = memoryFigures(new Map([['MemTotal', kb(1000)], ['MemFree', kb(100)], ['Buffers', kb(50)], ['Cached', kb(250)]]));
  assert.equal(old?.available, kb(400));
  assert.equal(memoryFigures(new Map()), null);
});

test('MemoryCollector reports every memory and swap series of the catalogue from the fixture', () => {
  const host = new FixtureHost();
  try {
    host.use('t1');
    const c = new MemoryCollector();
    c.init(host.ctx());
    const series = c.collect(5).series;
    const v = (metric: string) => series.find((s) => s.metric === metric)?.points[0]?.[1];
    assert.equal(v('memory_total_bytes'), 24683656 * 1024);
    assert.equal(v('memory_available_bytes'), 24018428 * 1024);
    assert.equal(v('memory_used_bytes'), (24683656 - 24018428) * 1024);
    assert.equal(v('memory_cached_bytes'), 2608460 * 1024);
    assert.equal(v('memory_buffers_bytes'), 64828 * 1024);
    assert.equal(v('memory_usage_percent'), ((24683656 - 24018428) * 100) / 24683656);
    // The VM has no swap: 0 of 0, reported as 0 % so alert rules see a continuous series.
    assert.equal(v('swap_total_bytes'), 0);
    assert.equal(v('swap_usage_percent'), 0);
    assert.equal(series.length, 9);
  } finally {
    host.cleanup();
  }
});
