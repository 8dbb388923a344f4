import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, chmodSync, copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SecurityEventInput } from '../../../../protocol/security.js';
import type { CollectResult } from '../../../collector.js';
import { until } from '../../../testing/ingest-sink.js';
import { sanitizeEvents } from '../../../sanitize-events.js';
import { FixtureHost } from '../../../testing/fixture-host.js';
import { authLogCollectorFactory, resolveAuthSource } from './auth-log-collector.js';
import { JournalSource } from './journal-source.js';

const TESTDATA = new URL('../../testdata/security/', import.meta.url).pathname;
const NOW = Date.parse('2026-12-06T02:00:00Z');

function valid(events: SecurityEventInput[]): void {
  assert.deepEqual(sanitizeEvents(events).reasons, []);
}

test('auth.log under --root-fs: appended brute-force lines become auth_failure events once, with MITRE ids', async () => {
  const host = new FixtureHost();
  try {
    mkdirSync(join(host.dir, 'var/log'), { recursive: true });
    const log = join(host.dir, 'var/log/auth.log');
    writeFileSync(log, 'Dec  5 00:00:00 web-1 sshd[1]: Failed password for root from 192.0.2.99 port 1 ssh2\n');
    const factory = authLogCollectorFactory({ source: 'auto', startAt: 'end' });
    const ctx = host.ctx();
    assert.equal(factory.unavailableReason(ctx), null);
    const c = factory.create(ctx);
    await c.init(ctx);
    assert.deepEqual((await c.collect(NOW)).events, [], 'history before the start is not replayed');
    appendFileSync(log, readFileSync(join(TESTDATA, 'auth-bruteforce.log')));
    const events = (await c.collect(NOW)).events ?? [];
    valid(events);
    const failures = events.filter((e) => e.event_type === 'auth_failure' && e.metadata?.src_ip === '203.0.113.45');
    assert.equal(failures.length, 12, '9 failed passwords + 3 invalid users');
    const pw = failures.find((e) => e.metadata?.reason === undefined);
    assert.equal(pw?.mitre_technique, 'T1110.001');
    assert.equal(pw?.severity, 'medium');
    assert.equal(pw?.source, 'auth-log');
    assert.equal(pw?.correlation_id, 'sshd:web-1:48213');
    assert.deepEqual(pw?.metadata, { user: 'admin', src_ip: '203.0.113.45', port: 40112, method: 'password', program: 'sshd', pid: 48213, log_host: 'web-1', invalid_user: true });
    assert.equal(pw?.ts, Date.parse('2026-12-05T21:14:06.892113Z'));
    const ok = events.find((e) => e.event_type === 'auth_success');
    assert.equal(ok?.mitre_technique, 'T1078');
    assert.equal(ok?.metadata?.user, 'deploy');
    assert.equal(new Set(events.map((e) => e.event_id)).size, events.length, 'unique ids');
    assert.deepEqual((await c.collect(NOW)).events, []);
    await c.close();
    // A restart continues after the last line.
    const again = factory.create(ctx);
    await again.init(ctx);
    appendFileSync(log, readFileSync(join(TESTDATA, 'auth-debian12.log')));
    const next = (await again.collect(NOW)).events ?? [];
    valid(next);
    assert.deepEqual(next.map((e) => `${e.event_type}/${e.severity}/${e.mitre_technique}`), [
      'auth_failure/medium/T1548.003',
      'auth_failure/medium/T1548.003',
      'privilege_escalation/high/T1548.003',
      'auth_success/low/T1078',
      'auth_failure/medium/T1110',
      'auth_failure/medium/T1110.001',
      'auth_failure/medium/T1110.001',
      'auth_failure/medium/T1110.001',
    ]);
    assert.equal(next[7]?.metadata?.repeated, 2);
    await again.close();
  } finally {
    host.cleanup();
  }
});

test('availability: unreadable or missing sources are reasons, not errors; /var/log/secure is found too', () => {
  const host = new FixtureHost();
  try {
    const none = { source: 'auto', startAt: 'end' as const, journalctl: join(host.dir, 'no-journalctl') };
    assert.match(resolveAuthSource(host.ctx(), { ...none, journalctl: undefined, source: join(host.dir, 'nope.log') }).kind, /none/);
    assert.equal(resolveAuthSource(host.ctx({ platform: 'darwin' }), none).kind, 'none');
    mkdirSync(join(host.dir, 'var/log'), { recursive: true });
    copyFileSync(join(TESTDATA, 'secure-rhel9.log'), join(host.dir, 'var/log/secure'));
    assert.deepEqual(resolveAuthSource(host.ctx(), none), { kind: 'file', path: join(host.dir, 'var/log/secure') });
    assert.deepEqual(resolveAuthSource(host.ctx(), { ...none, source: 'journal', journalctl: '/bin/true' }), { kind: 'journal', bin: '/bin/true' });
  } finally {
    host.cleanup();
  }
});

/** Collects until `c` returns events (journalctl runs asynchronously), at most 10 s. */
async function eventsOf(c: { collect(now: number): Promise<CollectResult> | CollectResult }, now: number): Promise<SecurityEventInput[]> {
  let events: SecurityEventInput[] = [];
  for (const end = Date.now() + 10_000; events.length === 0 && Date.now() < end; ) {
    events = (await c.collect(now)).events ?? [];
    if (events.length === 0) await new Promise((r) => setTimeout(r, 10));
  }
  return events;
}

test('journal source: one journalctl --follow; its JSON entries become events; the cursor is saved and a restarted agent follows on after it', async () => {
  const host = new FixtureHost();
  const collectors: { close(): unknown }[] = [];
  try {
    // A stand-in journalctl that records its arguments, prints the captured entries on its first run, then follows (waits).
    const fake = join(host.dir, 'journalctl');
    const argsLog = join(host.dir, 'args.log');
    const once = join(host.dir, 'printed');
    writeFileSync(fake, `#!/bin/sh\necho "$@" >> ${argsLog}\nif [ ! -e ${once} ]; then touch ${once}; cat ${join(TESTDATA, 'journal-sshd.json')}; fi\nexec sleep 30\n`);
    chmodSync(fake, 0o755);
    const factory = authLogCollectorFactory({ source: 'journal', startAt: 'end', journalctl: fake });
    const ctx = host.ctx();
    const c = factory.create(ctx);
    collectors.push(c);
    await c.init(ctx);
    const events = await eventsOf(c, NOW);
    valid(events);
    assert.deepEqual(events.map((e) => `${e.event_type}:${e.metadata?.user}:${e.ts}`), [
      `auth_failure:admin:${Date.parse('2026-12-05T21:14:02.518Z')}`,
      `auth_failure:admin:${Date.parse('2026-12-05T21:14:06.892Z')}`,
      `auth_failure:alice:${Date.parse('2026-12-05T21:20:01.123Z')}`,
    ]);
    assert.deepEqual((await c.collect(NOW + 1000)).events, [], 'each entry once');
    assert.deepEqual((await c.collect(NOW + 2000)).events, []);
    assert.equal(readFileSync(argsLog, 'utf8').trim().split('\n').length, 1, 'one journalctl for the life of the collector');
    await c.close();
    assert.match(readFileSync(join(ctx.stateDir, 'journal.json'), 'utf8'), /i=1a32/);
    const again = factory.create(ctx);
    collectors.push(again);
    await again.init(ctx);
    await until(() => readFileSync(argsLog, 'utf8').trim().split('\n').length === 2, 10_000, 'second journalctl');
    const calls = readFileSync(argsLog, 'utf8').trim().split('\n');
    assert.match(calls[0] as string, /^--follow .*--since=@\d+$/);
    assert.match(calls[1] as string, /^--follow .*--after-cursor=s=4f1c9a2e3b7d4c1e9f0a8b6c5d4e3f21;i=1a32;/);
  } finally {
    for (const c of collectors) await c.close();
    host.cleanup();
  }
});

test('journal source: a journalctl that exits is reported once and started again 5 s later, after the last entry it delivered', async () => {
  const host = new FixtureHost();
  let src: JournalSource | null = null;
  try {
    // Prints the entries on its first run and exits; fails at once on every later run.
    const fake = join(host.dir, 'journalctl');
    const argsLog = join(host.dir, 'args.log');
    const once = join(host.dir, 'printed');
    writeFileSync(fake, `#!/bin/sh\necho "$@" >> ${argsLog}\nif [ ! -e ${once} ]; then touch ${once}; cat ${join(TESTDATA, 'journal-sshd.json')}; exit 0; fi\necho "Failed to open journal" >&2\nexit 1\n`);
    chmodSync(fake, 0o755);
    const runs = () => readFileSync(argsLog, 'utf8').trim().split('\n');
    const journal = new JournalSource({ bin: fake, statePath: join(host.dir, 'journal.json'), restartDelayMs: 5000 }, NOW);
    src = journal;
    journal.start(NOW);
    await until(() => !journal.running, 10_000, 'first journalctl to exit');
    assert.equal(journal.read(NOW + 1000).length, 4, 'what it printed before exiting, without an error (a clean exit)');
    assert.deepEqual(journal.read(NOW + 5999), []);
    assert.equal(runs().length, 1, 'not started again before 5 s');
    journal.read(NOW + 6000);
    await until(() => !journal.running, 10_000, 'second journalctl to exit');
    assert.equal(runs().length, 2);
    assert.match(runs()[1] as string, /^--follow .*--after-cursor=s=4f1c9a2e3b7d4c1e9f0a8b6c5d4e3f21;i=1a32;/);
    assert.throws(() => journal.read(NOW + 6500), /journalctl exited \(code 1\): Failed to open journal/);
    assert.deepEqual(journal.read(NOW + 7000), [], 'the failure is reported once');
    assert.equal(runs().length, 2);
  } finally {
    src?.close();
    host.cleanup();
  }
});
