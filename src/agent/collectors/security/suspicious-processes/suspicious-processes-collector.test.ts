import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FixtureHost, FIXTURES } from '../../../testing/fixture-host.js';
import { sanitizeEvents } from '../../../sanitize-events.js';
import { classifyProcess } from './classify-process.js';
import { suspiciousProcessesCollectorFactory } from './suspicious-processes-collector.js';

const STAT = readFileSync(join(FIXTURES, 't0/proc/25269/stat'), 'utf8');

/** Adds a process to the fixture /proc: stat (captured line with pid, comm and start time replaced), exe link, cmdline. */
function addProcess(proc: string, pid: number, comm: string, start: number, exe: string | null, argv: string[], flags?: number): void {
  const dir = join(proc, String(pid));
  mkdirSync(dir, { recursive: true });
  const fields = STAT.slice(STAT.lastIndexOf(')') + 2).split(' ');
  fields[19] = String(start);
  if (flags !== undefined) fields[6] = String(flags);
  writeFileSync(join(dir, 'stat'), `${pid} (${comm}) ${fields.join(' ')}`);
  writeFileSync(join(dir, 'cmdline'), argv.join('\0') + '\0');
  writeFileSync(join(dir, 'status'), `Name:\t${comm}\nUid:\t1000\t1000\t1000\t1000\n`);
  if (exe) symlinkSync(exe, join(dir, 'exe'));
}

test('classification: temp dirs, deleted and memfd executables, interpreters running temp scripts; ordinary processes pass', () => {
  assert.equal(classifyProcess({ exe: '/usr/sbin/sshd', argv: ['sshd: /usr/sbin/sshd -D'] }), null);
  assert.deepEqual(classifyProcess({ exe: '/tmp/.x/kworker', argv: ['[kworker/0:1]'] }), { reason: 'runs_from_temp', severity: 'medium', path: '/tmp/.x/kworker' });
  assert.equal(classifyProcess({ exe: '/dev/shm/m', argv: [] })?.severity, 'high');
  assert.deepEqual(classifyProcess({ exe: '/usr/local/bin/miner (deleted)', argv: ['miner'] }), { reason: 'deleted_executable', severity: 'high', mitre: 'T1070.004', path: '/usr/local/bin/miner' });
  assert.equal(classifyProcess({ exe: '/memfd:payload (deleted)', argv: [] })?.mitre, 'T1620');
  assert.equal(classifyProcess({ exe: '/usr/bin/bash', argv: ['bash', '/var/tmp/i.sh'] })?.mitre, 'T1059.004');
  assert.equal(classifyProcess({ exe: '/usr/bin/python3.11', argv: ['python3', '-u', '/dev/shm/r.py'] })?.mitre, 'T1059.006');
  assert.equal(classifyProcess({ exe: '/usr/bin/bash', argv: ['bash', '/home/a/ok.sh'] }), null);
  assert.equal(classifyProcess({ exe: null, argv: ['/tmp/x'] })?.reason, 'runs_from_temp', 'cmdline when exe is not readable');
});

test('each suspicious process is reported once, also across restarts; a new process with a reused pid is reported again', async () => {
  const host = new FixtureHost();
  host.use('t0');
  try {
    const proc = join(host.dir, 'proc');
    mkdirSync(join(proc, 'sys/kernel/random'), { recursive: true });
    writeFileSync(join(proc, 'sys/kernel/random/boot_id'), 'b0d1e5c2-6f7a-4a8b-9c0d-1e2f3a4b5c6d\n');
    addProcess(proc, 5001, 'xmrig', 9000, '/tmp/.cache/xmrig', ['/tmp/.cache/xmrig', '-o', 'pool:3333']);
    const ctx = host.ctx();
    const factory = suspiciousProcessesCollectorFactory(1000);
    assert.equal(factory.unavailableReason(ctx), null);
    const c = factory.create(ctx);
    await c.init(ctx);
    const first = (await c.collect(0)).events ?? [];
    assert.deepEqual(sanitizeEvents(first).reasons, []);
    // pid 25265 of the capture really ran from /tmp/cap (without a readable exe link: the command line tells).
    assert.deepEqual(first.map((e) => [e.event_type, e.severity, e.metadata?.pid, e.metadata?.reason, e.metadata?.uid]), [
      ['process_suspicious', 'medium', 25265, 'runs_from_temp', 0],
      ['process_suspicious', 'medium', 5001, 'runs_from_temp', 1000],
    ]);
    assert.equal(first[1]?.description, 'Suspicious process xmrig (pid 5001): runs from a temp directory: /tmp/.cache/xmrig');
    addProcess(proc, 5002, 'sh', 9100, '/usr/bin/dash', ['sh', '/dev/shm/stage2.sh']);
    assert.deepEqual(((await c.collect(1000)).events ?? []).filter((e) => e.event_type === 'process_suspicious').map((e) => [e.metadata?.pid, e.mitre_technique]), [[5002, 'T1059.004']]);
    assert.deepEqual((await c.collect(2000)).events, []);
    const again = factory.create(ctx);
    await again.init(ctx);
    assert.deepEqual((await again.collect(3000)).events, [], 'nothing repeated after a restart');
    rmSync(join(proc, '5001'), { recursive: true });
    addProcess(proc, 5001, 'xmrig', 9999, '/tmp/.cache/xmrig', ['/tmp/.cache/xmrig']);
    assert.deepEqual(((await again.collect(4000)).events ?? []).map((e) => e.metadata?.start_ticks), [9999]);
  } finally {
    host.cleanup();
  }
});

test('process_started: the first scan is a silent baseline, then each executable new to the host is reported once, also across restarts', async () => {
  const host = new FixtureHost();
  host.use('t0');
  try {
    const proc = join(host.dir, 'proc');
    mkdirSync(join(proc, 'sys/kernel/random'), { recursive: true });
    writeFileSync(join(proc, 'sys/kernel/random/boot_id'), 'b0d1e5c2-6f7a-4a8b-9c0d-1e2f3a4b5c6d\n');
    const factory = suspiciousProcessesCollectorFactory(1000);
    const ctx = host.ctx();
    const c = factory.create(ctx);
    await c.init(ctx);
    const started = async (collector: typeof c, now: number) => ((await collector.collect(now)).events ?? []).filter((e) => e.event_type === 'process_started');
    assert.deepEqual(await started(c, 0), [], 'what already runs is the baseline');
    addProcess(proc, 6001, 'nginx', 9000, '/usr/sbin/nginx', ['nginx: master process']);
    addProcess(proc, 6002, 'nginx', 9001, '/usr/sbin/nginx', ['nginx: worker process']);
    const events = await started(c, 1000);
    assert.deepEqual(sanitizeEvents(events).reasons, []);
    assert.deepEqual(events.map((e) => [e.severity, e.metadata?.comm, e.metadata?.exe, e.metadata?.uid]), [['low', 'nginx', '/usr/sbin/nginx', 1000]], 'one event per executable, not per process');
    assert.deepEqual(await started(c, 2000), []);
    const again = factory.create(ctx);
    await again.init(ctx);
    assert.deepEqual(await started(again, 3000), [], 'seen executables survive a restart');
    addProcess(proc, 6004, 'kworker/1:0-ev', 9200, null, []);
    assert.deepEqual(await started(again, 3500), [], 'kernel threads (no exe, no command line) are not executables');
    // Entries flagged PF_KTHREAD are skipped without reading their exe link or command line
    // (this one pretends to have both, pointing into /tmp, to show they are not looked at).
    addProcess(proc, 6005, 'kworker/0:2', 9300, '/tmp/x', ['/tmp/x'], 0x208040);
    assert.deepEqual(((await again.collect(3700)).events ?? []).map((e) => e.metadata?.pid), []);
    addProcess(proc, 6003, 'agentx', 9100, null, ['agentx']);
    assert.deepEqual((await started(again, 4000)).map((e) => [e.metadata?.comm, e.metadata?.exe]), [['agentx', null]], 'known by name when the exe link is unreadable');
  } finally {
    host.cleanup();
  }
});
