import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FixtureHost } from '../../testing/fixture-host.js';
import { FilesystemCollector, filesystemSeries } from './filesystem-collector.js';
import { decodeMountField, parseMounts, realMounts } from './parse-mounts.js';

test('parseMounts decodes octal escapes in device and mount point', () => {
  const m = parseMounts('/dev/sdb1 /mnt/my\\040disk ext4 rw 0 0\nshort line\n');
  assert.deepEqual(m, [{ device: '/dev/sdb1', mountPoint: '/mnt/my disk', fstype: 'ext4' }]);
  assert.equal(decodeMountField('a\\011b\\134c'), 'a\tb\\c');
});

test('realMounts drops pseudo and image file systems, container layers and /proc,/sys,/dev; last duplicate wins', () => {
  const m = realMounts(
    parseMounts(
      [
        'proc /proc proc rw 0 0',
        'tmpfs /dev/shm tmpfs rw 0 0',
        '/dev/loop3 /snap/core/1 squashfs ro 0 0',
        'overlay / overlay rw 0 0',
        'overlay /var/lib/docker/overlay2/x/merged overlay rw 0 0',
        '/dev/sda1 /data ext4 rw 0 0',
        '/dev/sdb1 /data xfs rw 0 0',
        'server:/export /nfs nfs4 rw 0 0',
        'cgroup2 /sys/fs/cgroup cgroup2 rw 0 0',
      ].join('\n'),
    ),
  );
  assert.deepEqual(
    m.map((e) => `${e.device} ${e.mountPoint} ${e.fstype}`),
    ['overlay / overlay', '/dev/sdb1 /data xfs', 'server:/export /nfs nfs4'],
  );
});

test('filesystemSeries: df-style usage percent, inode figures only when the file system has inode limits', () => {
  const m = { device: '/dev/sda1', mountPoint: '/data', fstype: 'ext4' };
  // 1000 blocks of 4 KiB, 300 free of which 250 available to users (50 reserved for root).
  const s = filesystemSeries(m, { bsize: 4096, blocks: 1000, bfree: 300, bavail: 250, files: 100, ffree: 40 }, 7);
  const v = (metric: string) => s.find((x) => x.metric === metric)?.points[0]?.[1];
  assert.equal(v('filesystem_size_bytes'), 4096000);
  assert.equal(v('filesystem_used_bytes'), 700 * 4096);
  assert.equal(v('filesystem_free_bytes'), 250 * 4096);
  assert.equal(v('filesystem_usage_percent'), (700 * 100) / 950);
  assert.equal(v('filesystem_inodes_used'), 60);
  assert.equal(v('filesystem_inodes_usage_percent'), 60);
  assert.deepEqual(s[0]?.labels, { mount: '/data', device: '/dev/sda1', fstype: 'ext4' });
  const noInodes = filesystemSeries(m, { bsize: 4096, blocks: 10, bfree: 5, bavail: 5, files: 0, ffree: 0 }, 7);
  assert.deepEqual(noInodes.map((x) => x.metric), ['filesystem_size_bytes', 'filesystem_used_bytes', 'filesystem_free_bytes', 'filesystem_usage_percent']);
  assert.deepEqual(filesystemSeries(m, { bsize: 4096, blocks: 0, bfree: 0, bavail: 0, files: 0, ffree: 0 }, 7), []);
});

test('FilesystemCollector: statfs of the real mounts of the fixture (only "/" is a real file system there)', async () => {
  const host = new FixtureHost();
  try {
    host.use('t0');
    const c = new FilesystemCollector();
    c.init(host.ctx());
    const series = (await c.collect(9)).series;
    assert.deepEqual([...new Set(series.map((s) => s.labels?.mount))], ['/']);
    const size = series.find((s) => s.metric === 'filesystem_size_bytes')?.points[0]?.[1] ?? 0;
    const pct = series.find((s) => s.metric === 'filesystem_usage_percent')?.points[0]?.[1] ?? -1;
    assert.ok(size > 0 && pct >= 0 && pct <= 100, `size ${size}, usage ${pct}`);
    assert.equal(series[0]?.labels?.device, '/dev/vda');
  } finally {
    host.cleanup();
  }
});

test('FilesystemCollector: a mount point that cannot be stat-ed is skipped, the others still report', async () => {
  const host = new FixtureHost();
  try {
    host.use('t0');
    const { appendFileSync } = await import('node:fs');
    appendFileSync(`${host.dir}/proc/mounts`, '/dev/vdb /gone ext4 rw 0 0\n');
    const c = new FilesystemCollector();
    c.init(host.ctx());
    const mounts = new Set((await c.collect(9)).series.map((s) => s.labels?.mount));
    assert.deepEqual([...mounts], ['/']);
    assert.ok(host.log.events.some((e) => e.msg === 'statfs failed' && e.fields?.mount === '/gone'));
  } finally {
    host.cleanup();
  }
});
