import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FixtureHost } from '../../testing/fixture-host.js';
import { NetworkCollector } from './network-collector.js';
import { parseNetDev } from './parse-net-dev.js';

const HEADER = 'Inter-|   Receive\n face |bytes    packets errs drop fifo frame compressed multicast|bytes\n';

test('parseNetDev reads receive and transmit columns, including names glued to large counters', () => {
  const rows = parseNetDev(`${HEADER}  eth0: 10 2 1 0 0 0 0 0 20 4 3 0 0 0 0 0\nwlan0:99 1 0 0 0 0 0 0 5 1 0 0 0 0 0 0\nbroken: 1 2\n`);
  assert.deepEqual(rows, [
    { name: 'eth0', rxBytes: 10, rxPackets: 2, rxErrors: 1, txBytes: 20, txPackets: 4, txErrors: 3 },
    { name: 'wlan0', rxBytes: 99, rxPackets: 1, rxErrors: 0, txBytes: 5, txPackets: 1, txErrors: 0 },
  ]);
});

test('NetworkCollector: per-interface rates, loopback excluded, a reset counter gives no rate that tick', () => {
  const host = new FixtureHost();
  try {
    host.use('t0');
    const c = new NetworkCollector();
    c.init(host.ctx());
    assert.deepEqual(c.collect(0).series, []);
    const path = join(host.dir, 'proc/net/dev');
    const base = readFileSync(path, 'utf8');
    // eth0 receives 5,000 bytes in 2 s; ifb0 is reset (its counter drops to 0 from a high value).
    writeFileSync(path, base.replace('1091518314', '1091523314'));
    let series = c.collect(2000).series;
    assert.ok(!series.some((s) => s.labels?.interface === 'lo'));
    const rx = series.find((s) => s.metric === 'network_receive_bytes_per_second' && s.labels?.interface === 'eth0');
    assert.deepEqual(rx?.points, [[2000, 2500]]);
    assert.equal(series.length, 3 * 6);
    writeFileSync(path, base.replace('1091518314', '7'));
    series = c.collect(3000).series;
    assert.ok(!series.some((s) => s.metric === 'network_receive_bytes_per_second' && s.labels?.interface === 'eth0'));
    writeFileSync(path, base.replace('1091518314', '1007'));
    series = c.collect(4000).series;
    assert.deepEqual(series.find((s) => s.metric === 'network_receive_bytes_per_second' && s.labels?.interface === 'eth0')?.points, [[4000, 1000]]);
  } finally {
    host.cleanup();
  }
});
