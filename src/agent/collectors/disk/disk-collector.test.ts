import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { FixtureHost } from '../../testing/fixture-host.js';
import { DiskCollector } from './disk-collector.js';
import { PARTITION_RE, parseDiskstats } from './parse-diskstats.js';

const T0 = 1_800_000_000_000;

test('parseDiskstats reads the counters used for rates and skips short lines', () => {
  const d = parseDiskstats(' 254 0 vda 108760 20934 6085914 32717 149371 89468 10279280 75116 0 27740 117547\n 7 0 loop0 0 0\n');
  assert.deepEqual(d, [{ name: 'vda', readsCompleted: 108760, sectorsRead: 6085914, writesCompleted: 149371, sectorsWritten: 10279280, ioMs: 27740 }]);
});

test('PARTITION_RE recognises partitions but not whole disks', () => {
  for (const p of ['sda1', 'vdb12', 'xvda1', 'nvme0n1p2', 'mmcblk0p1']) assert.ok(PARTITION_RE.test(p), p);
  for (const d of ['sda', 'vda', 'nvme0n1', 'mmcblk0', 'dm-0', 'md0']) assert.ok(!PARTITION_RE.test(d), d);
});

test('DiskCollector: rates of whole disks between the two snapshots; loop devices ignored', () => {
  const host = new FixtureHost();
  try {
    host.use('t0');
    const c = new DiskCollector();
    c.init(host.ctx());
    assert.deepEqual(c.collect(T0).series, []);
    host.use('t1');
    const series = c.collect(T0 + 1100).series;
    assert.deepEqual([...new Set(series.map((s) => s.labels?.device))], ['vda', 'zram0']);
    const v = (metric: string) => series.find((s) => s.metric === metric && s.labels?.device === 'vda')?.points[0]?.[1] ?? NaN;
    const close = (a: number, b: number) => assert.ok(Math.abs(a - b) < 1e-6, `${a} vs ${b}`);
    // vda: 240 sectors read and 2 reads in 1.1 s, nothing written, io time unchanged.
    close(v('disk_read_bytes_per_second'), (240 * 512) / 1.1);
    close(v('disk_reads_per_second'), 2 / 1.1);
    assert.equal(v('disk_write_bytes_per_second'), 0);
    assert.equal(v('disk_busy_percent'), 0);
  } finally {
    host.cleanup();
  }
});

test('DiskCollector: without /sys/block it falls back to the partition pattern', () => {
  const host = new FixtureHost();
  try {
    host.use('t0');
    rmSync(join(host.dir, 'sys'), { recursive: true });
    const c = new DiskCollector();
    c.init(host.ctx());
    c.collect(T0);
    host.use('t1');
    rmSync(join(host.dir, 'sys'), { recursive: true });
    const devices = new Set(c.collect(T0 + 1000).series.map((s) => s.labels?.device));
    assert.deepEqual([...devices], ['vda', 'zram0']);
  } finally {
    host.cleanup();
  }
});
