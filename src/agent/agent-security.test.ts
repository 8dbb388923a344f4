// The agent end to end with the security collectors (issue 6): a temp host root with an
// auth.log and a watched file, the real /proc for listening ports, a real spool directory and a
// real HTTP sink on 127.0.0.1 recording POST /api/v1/events. Real time (fs.watch and sockets are
// real), 1 s interval.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SecurityEventBatch, SecurityEventInput } from '../protocol/security.js';
import { parseOptions } from '../options/option-spec.js';
import { Agent } from './agent.js';
import { AGENT_OPTION_SPECS, agentConfig } from './agent-options.js';
import { memoryLogger } from './testing/fixture-host.js';
import { IngestSink, until } from './testing/ingest-sink.js';
import { sanitizeEvents } from './sanitize-events.js';

const TESTDATA = new URL('./collectors/testdata/security/', import.meta.url).pathname;

test('auth.log lines (across rotation and a restart), a changed watched file and a new listening socket each come out once', { timeout: 60_000 }, async () => {
  const root = mkdtempSync(join(tmpdir(), 'vigil-sec-root-'));
  const dataDir = mkdtempSync(join(tmpdir(), 'vigil-sec-data-'));
  mkdirSync(join(root, 'var/log'), { recursive: true });
  mkdirSync(join(root, 'etc'), { recursive: true });
  const authLog = join(root, 'var/log/auth.log');
  writeFileSync(authLog, '2026-12-05T20:00:00.000000+00:00 web-1 sshd[1]: Failed password for root from 192.0.2.99 port 1 ssh2\n');
  writeFileSync(join(root, 'etc/app.conf'), 'listen = 127.0.0.1\n');
  const sink = new IngestSink();
  const url = await sink.start();
  const log = memoryLogger();
  const r = parseOptions(AGENT_OPTION_SPECS, {
    argv: ['--server', url, '--interval', '1s', '--data-dir', dataDir, '--root-fs', root, '--collectors', 'auth-log,listening-ports,fim', '--ports-interval', '1s', '--fim-paths', '/etc/app.conf', '--spool-fsync=false'],
    env: { VIGIL_KEY: 'vgk_security_agent_test_0123456789' },
  });
  assert.deepEqual(r.errors, []);
  const config = agentConfig(r.values);
  const events = (): SecurityEventInput[] => sink.requests.filter((q) => q.path === '/api/v1/events').flatMap((q) => (q.body as SecurityEventBatch).events);
  const of = (type: string) => events().filter((e) => e.event_type === type);
  const server = createServer();
  let agent = await Agent.start(config, { log });
  let ac = new AbortController();
  let running = agent.run(ac.signal);
  try {
    assert.deepEqual(agent.facts().capabilities, ['auth-log', 'listening-ports', 'fim']);
    // Baselines: ports at the first tick, FIM in the background.
    await until(() => log.events.some((e) => e.msg === 'file integrity baseline recorded') && log.events.some((e) => e.msg === 'listening ports baseline recorded'), 10_000, 'baselines');

    // 1. A brute-force burst appended to auth.log: 9 failed passwords + 3 invalid users from one address.
    appendFileSync(authLog, readFileSync(join(TESTDATA, 'auth-bruteforce.log')));
    await until(() => of('auth_failure').length >= 12, 10_000, 'brute-force events');
    assert.equal(of('auth_failure').filter((e) => e.metadata?.src_ip === '203.0.113.45').length, 12);
    assert.equal(of('auth_success').length, 1);

    // 2. Rotation: one line into the old file, rename, two lines into the new file.
    appendFileSync(authLog, '2026-12-05T21:16:00.000000+00:00 web-1 sshd[500]: Failed password for root from 198.51.100.1 port 1000 ssh2\n');
    renameSync(authLog, `${authLog}.1`);
    writeFileSync(authLog, '2026-12-05T21:16:01.000000+00:00 web-1 sshd[501]: Failed password for root from 198.51.100.2 port 1001 ssh2\n2026-12-05T21:16:02.000000+00:00 web-1 sshd[502]: Invalid user x from 198.51.100.3 port 1002\n');
    await until(() => of('auth_failure').length >= 15, 10_000, 'events across the rotation');

    // 3. The watched file changes: file_changed within seconds (fs.watch, not the 15 min scan).
    const changedAt = Date.now();
    appendFileSync(join(root, 'etc/app.conf'), 'listen = 0.0.0.0\n');
    await until(() => of('file_changed').length === 1, 5_000, 'file_changed');
    const fim = of('file_changed')[0];
    assert.equal(fim?.metadata?.path, '/etc/app.conf');
    assert.ok(Date.now() - changedAt < 5_000);

    // 4. A listening socket opened here: port_opened with its port and this process as owner.
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    await until(() => of('port_opened').some((e) => e.metadata?.port === port), 10_000, 'port_opened');
    const opened = of('port_opened').find((e) => e.metadata?.port === port);
    assert.equal(opened?.metadata?.pid, process.pid);
    assert.equal(opened?.severity, 'low', 'loopback only');

    // 5. A restart repeats nothing and continues where it stopped.
    ac.abort();
    await running;
    const before = events().length;
    appendFileSync(authLog, '2026-12-05T21:17:00.000000+00:00 web-1 sshd[600]: Failed password for admin from 198.51.100.9 port 1009 ssh2\n');
    agent = await Agent.start(config, { log });
    ac = new AbortController();
    running = agent.run(ac.signal);
    await until(() => events().length > before, 10_000, 'event after the restart');
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    // Port events of other processes on this machine may come and go meanwhile; they are not ours.
    const after = events().slice(before).filter((e) => !e.event_type.startsWith('port_'));
    assert.deepEqual(after.map((e) => `${e.event_type}:${e.metadata?.src_ip ?? e.metadata?.port}`), ['auth_failure:198.51.100.9']);

    // Each line once overall, every event valid for the wire contract.
    const all = events();
    assert.deepEqual(sanitizeEvents(all).reasons, []);
    assert.equal(new Set(all.map((e) => e.event_id)).size, all.length);
    assert.equal(of('auth_failure').length, 16);
    assert.equal(all.filter((e) => e.metadata?.src_ip === '192.0.2.99').length, 0, 'history before the first start is not replayed');
  } finally {
    ac.abort();
    await running;
    server.close();
    await sink.stop();
    rmSync(root, { recursive: true, force: true });
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test('events returned by a plugin are checked against the wire contract: valid ones go to /api/v1/events, invalid ones are dropped and logged', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-sec-plugin-'));
  const sink = new IngestSink();
  const url = await sink.start();
  const log = memoryLogger();
  writeFileSync(
    join(dir, 'events.mjs'),
    `import { randomUUID } from 'node:crypto';
export default () => ({ name: 'honeypot', collect(now) { return { series: [], events: [
  { event_id: randomUUID(), ts: now, event_type: 'anomaly_detected', severity: 'high', source: 'honeypot', description: 'login on the decoy port', mitre_technique: 'T1078', metadata: { src_ip: '203.0.113.9' } },
  { event_id: 'not-a-uuid', ts: now, event_type: 'auth_failure', severity: 'high', source: 'honeypot', description: 'x' },
  { event_id: randomUUID(), ts: now, event_type: 'made_up', severity: 'high', source: 'honeypot', description: 'x' },
  { event_id: randomUUID(), ts: now, event_type: 'auth_failure', severity: 'low', source: 'honeypot', description: 'x', metadata: { blob: 'x'.repeat(9000) } },
] }; } })`,
  );
  const r = parseOptions(AGENT_OPTION_SPECS, {
    argv: ['--server', url, '--interval', '1s', '--data-dir', join(dir, 'data'), '--plugin', join(dir, 'events.mjs'), '--collectors', 'honeypot', '--spool-fsync=false'],
    env: { VIGIL_KEY: 'vgk_security_agent_test_0123456789' },
  });
  assert.deepEqual(r.errors, []);
  const agent = await Agent.start(agentConfig(r.values), { log });
  try {
    await agent.tick(Date.now());
    await until(() => sink.requests.some((q) => q.path === '/api/v1/events'), 10_000, 'events posted');
    const batch = sink.requests.find((q) => q.path === '/api/v1/events')?.body as SecurityEventBatch;
    assert.deepEqual(batch.events.map((e) => e.description), ['login on the decoy port']);
    const warn = log.events.find((e) => /invalid security events/.test(e.msg));
    assert.equal(warn?.fields?.dropped, 3);
    assert.equal(warn?.fields?.collector, 'honeypot');
  } finally {
    await agent.stop();
    await sink.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});
