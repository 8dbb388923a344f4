import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FixtureHost } from '../../testing/fixture-host.js';
import { LoadCollector, parseLoadavg } from './load-collector.js';
import { UptimeCollector, parseUptime } from '../uptime/uptime-collector.js';

test('parseLoadavg and parseUptime accept the kernel format and reject garbage', () => {
  assert.deepEqual(parseLoadavg('1.01 1.31 0.82 3/158 25350\n'), [1.01, 1.31, 0.82]);
  assert.equal(parseLoadavg('1.0 x'), null);
  assert.equal(parseUptime('1641.90 2445.39\n'), 1641.9);
  assert.equal(parseUptime(''), null);
});

test('LoadCollector and UptimeCollector read the fixture', () => {
  const host = new FixtureHost();
  try {
    host.use('t1');
    const load = new LoadCollector();
    load.init(host.ctx());
    assert.deepEqual(load.collect(3).series, [
      { metric: 'load1', points: [[3, 1.01]] },
      { metric: 'load5', points: [[3, 1.31]] },
      { metric: 'load15', points: [[3, 0.82]] },
    ]);
    const up = new UptimeCollector();
    up.init(host.ctx());
    assert.deepEqual(up.collect(3).series, [{ metric: 'uptime_seconds', points: [[3, 1641.9]] }]);
  } finally {
    host.cleanup();
  }
});
