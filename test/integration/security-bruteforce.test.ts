/**
 * Evidence for issue 6: a recorded sshd brute-force burst reaches a real `vigil server`, the
 * `brute_force` detection appears in the API (linked to its inputs), is pushed live over the
 * WebSocket, raises a SecurityDetection alert and lands in the notification center.
 *
 * With the agent's auth-log collector and its fixture on the branch, a real `vigil agent` tails a
 * copy of `src/agent/collectors/testdata/security/auth-bruteforce.log` (time stamps shifted so the
 * burst ended a minute ago). Without them (the collector is built on the sec-agent branch), the
 * test sends what that collector sends for the same recorded lines with the agent's key.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import type { SecurityEvent, SecurityEventInput, SecurityEventPage } from '../../src/protocol/security.js';
import { eventually, PROCESS_ADMIN_PASSWORD, processDataDir, ProcessApi, startVigilServer, type VigilProcess } from '../support/vigil-process.js';

/** sshd lines of the recorded burst (auth.log, Debian 12 format): one source IP, 7 failures in 45 s. */
const RECORDED = `2026-12-05T21:14:06.892113+00:00 web-1 sshd[48213]: Failed password for invalid user admin from 203.0.113.45 port 40112 ssh2
2026-12-05T21:14:11.640027+00:00 web-1 sshd[48220]: Failed password for root from 203.0.113.45 port 40126 ssh2
2026-12-05T21:14:15.913554+00:00 web-1 sshd[48220]: Failed password for root from 203.0.113.45 port 40126 ssh2
2026-12-05T21:14:20.207716+00:00 web-1 sshd[48220]: Failed password for root from 203.0.113.45 port 40126 ssh2
2026-12-05T21:14:33.255812+00:00 web-1 sshd[48231]: Failed password for invalid user ubuntu from 203.0.113.45 port 40158 ssh2
2026-12-05T21:14:43.402215+00:00 web-1 sshd[48240]: Failed password for invalid user oracle from 203.0.113.45 port 40170 ssh2
2026-12-05T21:14:47.688431+00:00 web-1 sshd[48240]: Failed password for invalid user oracle from 203.0.113.45 port 40170 ssh2`;

const root = new URL('../..', import.meta.url).pathname;
const FIXTURE = join(root, 'src', 'agent', 'collectors', 'testdata', 'security', 'auth-bruteforce.log');
const REAL_AGENT = existsSync(FIXTURE) && existsSync(join(root, 'src', 'agent', 'collectors', 'security', 'auth', 'auth-log-collector.ts'));

/** An rsyslog RFC 3339 stamp (microseconds, numeric offset) as in the recording. */
function rsyslogStamp(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000+00:00');
}

/** The recorded log with every RFC 3339 stamp shifted by the same amount so its last line is a minute old. */
function shiftedLog(text: string, now: number): string {
  const stamps = [...text.matchAll(/^(\S+)/gm)].map((m) => Date.parse(m[1]!)).filter(Number.isFinite);
  const shift = now - 60_000 - Math.max(...stamps);
  return text.replace(/^(\S+)/gm, (s) => (Number.isFinite(Date.parse(s)) ? rsyslogStamp(Date.parse(s) + shift) : s));
}

/** Starts `vigil agent` with only the auth-log collector, reading `logPath` from its beginning. */
function startAgent(url: string, key: string, dataDir: string, logPath: string): ChildProcess {
  const args = ['--import', 'tsx', join(root, 'src', 'cli.ts'), 'agent', '--server', url, '--data-dir', dataDir, '--interval', '1s', '--auth-log', logPath, '--auth-log-start', 'beginning', '--disable', 'listening-ports,fim,suspicious-processes'];
  return spawn(process.execPath, args, { cwd: root, env: { ...process.env, VIGIL_KEY: key, VIGIL_LOG_LEVEL: 'warn' }, stdio: 'ignore' });
}

const FAILED = /^(\S+) \S+ sshd\[(\d+)\]: Failed (\S+) for (invalid user )?(\S+) from (\S+) port (\d+)/;

/** What the auth-log collector sends for each line, shifted so the burst ended a minute ago. */
function eventsFromLog(now: number): SecurityEventInput[] {
  const lines = RECORDED.split('\n').map((l) => FAILED.exec(l)).filter((m): m is RegExpExecArray => m !== null);
  const shift = now - 60_000 - Date.parse(lines[lines.length - 1]![1]!);
  return lines.map((m) => ({
    event_id: randomUUID(),
    ts: Date.parse(m[1]!) + shift,
    event_type: 'auth_failure',
    severity: 'low',
    source: 'auth-log',
    description: `Failed ${m[3]} for ${m[4] ? 'invalid user ' : ''}${m[5]} from ${m[6]}`,
    correlation_id: `sshd-${m[2]}`,
    mitre_technique: 'T1110',
    metadata: { user: m[5], src_ip: m[6], port: Number(m[7]), method: m[3], program: 'sshd' },
  }));
}

async function sessionCookie(url: string): Promise<string> {
  const res = await fetch(`${url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-requested-with': 'vigil' }, body: JSON.stringify({ username: 'admin', password: PROCESS_ADMIN_PASSWORD }) });
  return `vigil_sid=${/vigil_sid=([^;]+)/.exec(res.headers.get('set-cookie') ?? '')?.[1] ?? ''}`;
}

describe(`brute force from a recorded auth.log burst (${REAL_AGENT ? 'real vigil agent' : 'events sent as the agent would'})`, () => {
  it('is detected, shown in the API, pushed live, alerted and noticed', async () => {
    const dir = await processDataDir();
    const agentDir = mkdtempSync(join(tmpdir(), 'vigil-agent-sec-'));
    let server: VigilProcess | null = null;
    let ws: WebSocket | null = null;
    let agent: ChildProcess | null = null;
    try {
      server = await startVigilServer(dir);
      const api = await ProcessApi.login(server.url);
      const { key } = await api.call<{ key: string }>('POST', '/api/v1/agents', { name: 'web-1' });
      const live: { type: string; data?: { events: SecurityEvent[] } }[] = [];
      ws = new WebSocket(`${server.url.replace('http', 'ws')}/api/v1/live`, { headers: { cookie: await sessionCookie(server.url) } });
      await new Promise<void>((resolve, reject) => {
        ws!.on('message', (d) => {
          const m = JSON.parse(String(d)) as { type: string };
          live.push(m);
          if (m.type === 'subscribed') resolve();
        });
        ws!.on('error', reject);
        ws!.on('open', () => ws!.send(JSON.stringify({ op: 'subscribe', id: 's', topic: 'security_events' })));
      });

      let inputs: string[];
      if (REAL_AGENT) {
        const logPath = join(agentDir, 'auth.log');
        writeFileSync(logPath, shiftedLog(readFileSync(FIXTURE, 'utf8'), Date.now()));
        agent = startAgent(server.url, key, join(agentDir, 'data'), logPath);
        let failures: SecurityEventPage | null = null;
        await eventually(async () => (failures = await api.call<SecurityEventPage>('GET', '/api/v1/events?event_type=auth_failure&host=web-1&limit=100')).total >= 5, 30_000, 'the agent shipped the failures');
        inputs = failures!.events.map((e) => e.event_id);
      } else {
        const events = eventsFromLog(Date.now());
        const res = await fetch(`${server.url}/api/v1/events`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify({ events }) });
        assert.equal(res.status, 200, await res.text());
        inputs = events.map((e) => e.event_id);
      }

      let page: SecurityEventPage | null = null;
      await eventually(async () => (page = await api.call<SecurityEventPage>('GET', '/api/v1/events?event_type=brute_force')).total === 1, 20_000, 'brute_force detection');
      const bf = page!.events[0]!;
      assert.equal(bf.severity, 'high');
      assert.equal(bf.mitre_technique, 'T1110');
      assert.equal(bf.host, 'web-1');
      assert.equal(bf.metadata?.['src_ip'], '203.0.113.45');
      const detail = await api.call<{ related: SecurityEvent[] }>('GET', `/api/v1/events/${bf.event_id}`);
      const related = new Set(detail.related.map((e) => e.event_id));
      const linked = inputs.filter((id) => related.has(id));
      assert.ok(linked.length >= 5, `the detection links its inputs (${linked.length} of ${inputs.length})`);

      await eventually(() => live.some((m) => m.type === 'event' && m.data?.events.some((e) => e.event_type === 'brute_force')), 10_000, 'live push of the detection');
      assert.ok(!live.some((m) => m.type === 'event' && m.data?.events.some((e) => e.event_type === 'auth_failure')), 'low events are not pushed by default');

      await eventually(
        async () => (await api.call<{ alerts: { labels: Record<string, string>; state: string }[] }>('GET', '/api/v1/alerts')).alerts.some((a) => a.labels['detection'] === 'brute_force' && a.state === 'firing'),
        20_000,
        'SecurityDetection alert firing',
      );
      await eventually(async () => (await api.call<{ items: { title: string }[] }>('GET', '/api/v1/me/inbox')).items.some((i) => i.title.includes('brute_force on web-1')), 10_000, 'notification-center item');
    } finally {
      ws?.close();
      agent?.kill('SIGTERM');
      await server?.stop();
      rmSync(dir, { recursive: true, force: true });
      rmSync(agentDir, { recursive: true, force: true });
    }
  });
});
