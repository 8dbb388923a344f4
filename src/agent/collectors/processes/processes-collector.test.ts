import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { FIXTURES, FixtureHost } from '../../testing/fixture-host.js';
import { ProcessesCollector } from './processes-collector.js';
import { parsePasswd, parsePidStat, parseStatusUid } from './parse-pid-stat.js';
import { selectTopProcesses } from './select-top-processes.js';

const T0 = 1_800_000_000_000;

test('parsePidStat handles names with spaces and parentheses', () => {
  const s = parsePidStat(readFileSync(join(FIXTURES, 't1/proc/25265/stat'), 'utf8'));
  assert.deepEqual(s, { pid: 25265, comm: 'od) (d x', state: 'S', cpuTicks: 0, startTime: 164025, rssPages: 420, kernelThread: false });
  assert.equal(parsePidStat('garbage'), null);
  // Flags 0x208040 include PF_KTHREAD (kthreadd); 4194560 (0x400100) do not (a user process).
  assert.equal(parsePidStat('2 (kthreadd) S 0 0 0 0 -1 2129984 0 0 0 0 0 0 0 0 20 0 1 0 18 0 0 18446744073709551615 0 0 0')?.kernelThread, true);
  assert.equal(parsePidStat('1 (init) S 0 0 0 0 -1 4194560 20208 18484087 0 1893 982 2103 100402 29432 10 -10 19 0 18 50040832 2471 18446744073709551615')?.kernelThread, false);
  assert.equal(parsePidStat('12 (x) S 1 2'), null);
});

test('parseStatusUid and parsePasswd', () => {
  assert.equal(parseStatusUid(readFileSync(join(FIXTURES, 't1/proc/25267/status'), 'utf8')), 65534);
  assert.equal(parseStatusUid('Name: x\n'), null);
  const users = parsePasswd('root:x:0:0::/:/bin/sh\nbad\n:x:5:5\nnobody:x:65534:65534::/:/bin/false\ndup:x:0:0\n');
  assert.deepEqual([...users], [[0, 'root'], [65534, 'nobody']]);
});

test('selectTopProcesses: union of top-n by CPU and by memory, at most 2n, ordered by CPU', () => {
  fc.assert(
    fc.property(
      fc.uniqueArray(fc.record({ pid: fc.nat(), cpuPercent: fc.double({ min: 0, max: 800, noNaN: true }), rssBytes: fc.nat() }), { selector: (p) => p.pid, maxLength: 60 }),
      fc.integer({ min: 0, max: 20 }),
      (all, n) => {
        const top = selectTopProcesses(all, n);
        assert.ok(top.length <= 2 * n && top.length <= all.length);
        assert.equal(new Set(top.map((p) => p.pid)).size, top.length);
        for (let i = 1; i < top.length; i++) assert.ok((top[i - 1] as { cpuPercent: number }).cpuPercent >= (top[i] as { cpuPercent: number }).cpuPercent);
        if (n > 0 && all.length > 0) {
          const maxCpu = Math.max(...all.map((p) => p.cpuPercent));
          const maxMem = Math.max(...all.map((p) => p.rssBytes));
          assert.ok(top.some((p) => p.cpuPercent === maxCpu));
          assert.ok(top.some((p) => p.rssBytes === maxMem));
        }
      },
    ),
  );
});

test('ProcessesCollector: counts on the first tick, top processes with CPU %, user and command on the second', () => {
  const host = new FixtureHost();
  try {
    host.use('t0');
    const c = new ProcessesCollector();
    c.init(host.ctx({ topProcesses: 2 }));
    const first = c.collect(T0);
    assert.equal(first.processes, undefined);
    assert.deepEqual(first.series.find((s) => s.metric === 'processes_total')?.points, [[T0, 6]]);
    assert.ok(first.series.some((s) => s.metric === 'processes_running'));
    host.use('t1');
    const second = c.collect(T0 + 1100);
    const top = second.processes ?? [];
    // Busiest: the shell loop (108 ticks in 1.1 s at 100 Hz); biggest RSS: pid 1 (2495 pages).
    assert.deepEqual(top[0], {
      pid: 25269,
      name: 'sh',
      state: 'R',
      cpuPercent: 98.18,
      memoryBytes: 364 * 4096,
      memoryPercent: Math.round(((364 * 4096 * 100) / (24683656 * 1024)) * 100) / 100,
      user: 'root',
      command: "sh -c i=0; while [ $i -lt 100000000 ]; do i=$((i+1)); done",
    });
    const pids = top.map((p) => p.pid);
    assert.ok(pids.includes(1) && pids.includes(25265) && pids.length <= 4, `pids ${pids}`);
    assert.equal(top.find((p) => p.pid === 1)?.command, '/sbin/init');
    assert.equal(top.find((p) => p.pid === 25265)?.name, 'od) (d x');
    // Later ticks report counts; the full scan (and the lists) come every 10 s.
    const third = c.collect(T0 + 2100);
    assert.equal(third.processes, undefined);
    assert.deepEqual(third.series.find((s) => s.metric === 'processes_total')?.points, [[T0 + 2100, 6]]);
    assert.equal(c.collect(T0 + 11_000).processes, undefined);
    assert.ok((c.collect(T0 + 11_100).processes?.length ?? 0) >= 2);
  } finally {
    host.cleanup();
  }
});

test('ProcessesCollector: a reused pid (new start time) is not charged the old process CPU; user names resolve', () => {
  const host = new FixtureHost();
  try {
    host.use('t0');
    const c = new ProcessesCollector();
    c.init(host.ctx({ topProcesses: 10 }));
    c.collect(T0);
    host.use('t1');
    const path = join(host.dir, 'proc/25269/stat');
    writeFileSync(path, readFileSync(path, 'utf8').replace(' 164025 ', ' 164999 '));
    const top = c.collect(T0 + 1000).processes ?? [];
    assert.equal(top.find((p) => p.pid === 25269)?.cpuPercent, 0);
    assert.equal(top.find((p) => p.pid === 25267)?.user, 'nobody');
    // Kernel threads have no command line.
    assert.equal(top.find((p) => p.pid === 2)?.command, undefined);
  } finally {
    host.cleanup();
  }
});
