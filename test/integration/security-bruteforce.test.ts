/**
 * Evidence for issue 6: a recorded sshd brute-force burst reaches a real `vigil server`, the
 * `brute_force` detection appears in the API (linked to its inputs), is pushed live over the
 * WebSocket, raises a SecurityDetection alert and lands in the notification center.
 *
 * The agent's auth-log collector is built on another branch (sec-agent). Until it is merged this
 * test sends what that collector sends for the recorded lines below (the burst of
 * `src/agent/collectors/testdata/security/auth-bruteforce.log`) with the agent's key; at merge time
 * it switches to a real `vigil agent` tailing a copy of that file (see docs/security.md).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
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

describe('brute force from a recorded auth.log burst', () => {
  it('is detected, shown in the API, pushed live, alerted and noticed', async () => {
    const dir = await processDataDir();
    let server: VigilProcess | null = null;
    let ws: WebSocket | null = null;
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

      const events = eventsFromLog(Date.now());
      const res = await fetch(`${server.url}/api/v1/events`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify({ events }) });
      assert.equal(res.status, 200, await res.text());

      let page: SecurityEventPage | null = null;
      await eventually(async () => (page = await api.call<SecurityEventPage>('GET', '/api/v1/events?event_type=brute_force')).total === 1, 20_000, 'brute_force detection');
      const bf = page!.events[0]!;
      assert.equal(bf.severity, 'high');
      assert.equal(bf.mitre_technique, 'T1110');
      assert.equal(bf.host, 'web-1');
      assert.equal(bf.metadata?.['src_ip'], '203.0.113.45');
      const detail = await api.call<{ related: SecurityEvent[] }>('GET', `/api/v1/events/${bf.event_id}`);
      const related = new Set(detail.related.map((e) => e.event_id));
      for (const e of events.slice(0, 5)) assert.ok(related.has(e.event_id), 'the detection links its inputs');

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
      await server?.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
