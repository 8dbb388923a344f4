import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import WebSocket from 'ws';
import type { AlertView, ChannelView, NotificationView } from '../../src/protocol/alerting.js';
import { incidentApp, type IncidentApp } from '../support/incident-app.js';
import { startHttpRecorder } from '../support/http-recorder.js';
import { startSmtpSink } from '../support/smtp-sink.js';

const ROUTING = (receiver: string, over: Record<string, unknown> = {}) => ({ root: { id: 'root', matchers: [], receiver, groupWait: '0s', groupInterval: '1m', repeatInterval: '4h', ...over }, version: 0 });
const CPU_RULE = { name: 'HighCPU', type: 'threshold', description: 'CPU is saturated.', spec: { selector: 'cpu_usage_percent{cpu="total"}', warning: 80, critical: 90 } };

async function channel(app: IncidentApp, body: Record<string, unknown>): Promise<ChannelView> {
  return app.api<ChannelView>('POST', '/api/v1/channels', body, 201);
}

async function receiver(app: IncidentApp, name: string, channelIds: string[], userIds: string[] = []): Promise<void> {
  await app.api('POST', '/api/v1/receivers', { name, channelIds, userIds }, 201);
}

describe('notification channels against real local receivers', () => {
  it('webhook: Alertmanager-compatible body, HMAC signature, idempotency key; secrets are write-only', async () => {
    const app = await incidentApp();
    const hook = await startHttpRecorder();
    try {
      const secretUrl = `${hook.url}/hook?token=s3cr3t-token`;
      const c = await channel(app, { name: 'ops-hook', type: 'webhook', config: {}, secrets: { url: secretUrl, hmacSecret: 'hmac-secret-0123456789' } });
      assert.deepEqual(c.secrets, { url: { set: true }, hmacSecret: { set: true } });
      const listed = await app.raw('GET', '/api/v1/channels');
      assert.ok(!listed.body.includes('s3cr3t') && !listed.body.includes('hmac-secret'), 'no secret in any answer');
      await receiver(app, 'ops', [c.id]);
      await app.api('PUT', '/api/v1/routing', ROUTING('ops'));
      await app.api('POST', '/api/v1/rules', CPU_RULE, 201);
      await app.ingest('cpu_usage_percent', { cpu: 'total' }, 97.5);
      await app.run();
      await hook.waitFor(1);
      const r = hook.requests[0]!;
      assert.equal(r.path, '/hook?token=s3cr3t-token');
      assert.equal(r.headers['content-type'], 'application/json');
      const body = JSON.parse(r.body);
      assert.equal(body.version, '4');
      assert.equal(body.status, 'firing');
      assert.equal(body.receiver, 'ops');
      assert.equal(body.truncatedAlerts, 0);
      assert.deepEqual(body.groupLabels, { alertname: 'HighCPU' });
      assert.deepEqual(body.commonLabels, { alertname: 'HighCPU', cpu: 'total', host: 'web-1', severity: 'critical' });
      assert.equal(body.alerts.length, 1);
      assert.equal(body.alerts[0].status, 'firing');
      assert.equal(body.alerts[0].endsAt, '0001-01-01T00:00:00Z');
      assert.match(body.alerts[0].startsAt, /^\d{4}-\d\d-\d\dT/);
      assert.match(body.alerts[0].generatorURL, /\/alerts\/[0-9a-f]{24}$/);
      assert.equal(body.alerts[0].annotations.description, 'CPU is saturated.');
      assert.equal(body.vigil.kind, 'firing');
      assert.equal(r.headers['idempotency-key'], body.vigil.notificationId);
      const ts = r.headers['x-vigil-timestamp'] as string;
      assert.equal(r.headers['x-vigil-signature'], `sha256=${createHmac('sha256', 'hmac-secret-0123456789').update(`${ts}.${r.body}`).digest('hex')}`);
      // Resolve: one more message with status resolved and the same incident key.
      app.clock.advance(10_000);
      await app.ingest('cpu_usage_percent', { cpu: 'total' }, 20);
      await app.advance(61_000, 61_000);
      await hook.waitFor(2);
      const resolved = JSON.parse(hook.requests[1]!.body);
      assert.equal(resolved.status, 'resolved');
      assert.notEqual(resolved.alerts[0].endsAt, '0001-01-01T00:00:00Z');
      assert.equal(resolved.vigil.dedupKey, body.vigil.dedupKey);
      await app.advance(10 * 60_000, 60_000);
      assert.equal(hook.requests.length, 2, 'nothing more once resolved');
    } finally {
      await hook.close();
      await app.close();
    }
  });

  it('PagerDuty Events v2: trigger, acknowledge, resolve with the same dedup_key and the documented fields', async () => {
    const app = await incidentApp();
    const pd = await startHttpRecorder(() => ({ status: 202, headers: { 'content-type': 'application/json' }, body: '{"status":"success","message":"Event processed"}' }));
    try {
      const routingKey = 'R0123456789abcdef0123456789ABCDE';
      const c = await channel(app, { name: 'pd', type: 'pagerduty', config: { baseUrl: pd.url, component: 'web' }, secrets: { routingKey } });
      await receiver(app, 'pager', [c.id]);
      await app.api('PUT', '/api/v1/routing', ROUTING('pager'));
      await app.api('POST', '/api/v1/rules', CPU_RULE, 201);
      await app.ingest('cpu_usage_percent', { cpu: 'total' }, 95);
      await app.run();
      await pd.waitFor(1);
      const trigger = JSON.parse(pd.requests[0]!.body);
      assert.equal(pd.requests[0]!.path, '/v2/enqueue');
      assert.equal(trigger.routing_key, routingKey);
      assert.equal(trigger.event_action, 'trigger');
      assert.match(trigger.dedup_key, /^vigil-[0-9a-f]{32}$/);
      assert.equal(trigger.payload.severity, 'critical');
      assert.equal(trigger.payload.source, 'web-1');
      assert.equal(trigger.payload.component, 'web');
      assert.ok(trigger.payload.summary.length > 0 && trigger.payload.summary.length <= 1024);
      assert.doesNotThrow(() => new Date(trigger.payload.timestamp).toISOString());
      assert.equal(trigger.payload.custom_details.firing, 1);
      assert.equal(trigger.payload.custom_details.alerts[0].value, 95);
      assert.equal(trigger.client, 'Vigil');
      assert.match(trigger.links[0].href, /\/alerts\//);
      const [alert] = (await app.api<{ alerts: AlertView[] }>('GET', '/api/v1/alerts?state=firing')).alerts;
      await app.api('POST', `/api/v1/alerts/${alert!.id}/ack`, { comment: 'looking' });
      await app.run();
      await pd.waitFor(2);
      assert.deepEqual(JSON.parse(pd.requests[1]!.body), { routing_key: routingKey, event_action: 'acknowledge', dedup_key: trigger.dedup_key });
      app.clock.advance(10_000);
      await app.ingest('cpu_usage_percent', { cpu: 'total' }, 10);
      await app.advance(61_000, 61_000);
      await pd.waitFor(3);
      assert.deepEqual(JSON.parse(pd.requests[2]!.body), { routing_key: routingKey, event_action: 'resolve', dedup_key: trigger.dedup_key });
      await assert.rejects(channel(app, { name: 'bad-pd', type: 'pagerduty', config: {}, secrets: { routingKey: 'short' } }), /routingKey/);
    } finally {
      await pd.close();
      await app.close();
    }
  });

  it('Slack: a burst of 200 alerts becomes one grouped message; 429 Retry-After is honoured', async () => {
    const app = await incidentApp();
    const slack = await startHttpRecorder((_r, i) => (i === 0 ? { status: 429, headers: { 'retry-after': '30' }, body: 'rate_limited' } : { status: 200, body: 'ok' }));
    try {
      const c = await channel(app, { name: 'slack-ops', type: 'slack', config: { channel: '#ops' }, secrets: { webhookUrl: `${slack.url}/services/T000/B000/XXXX` } });
      await receiver(app, 'chat', [c.id]);
      await app.api('PUT', '/api/v1/routing', ROUTING('chat', { groupWait: '10s' }));
      await app.api('POST', '/api/v1/rules', { name: 'DiskFull', type: 'threshold', spec: { selector: 'filesystem_usage_percent', critical: 90 } }, 201);
      const t = app.clock.now();
      const series = Array.from({ length: 200 }, (_, i) => ({ metric: 'filesystem_usage_percent', labels: { mount: `/data${i}` }, points: [[t, 95]] }));
      const res = await app.app.inject({ method: 'POST', url: '/api/v1/ingest', headers: { authorization: `Bearer ${app.key}` }, payload: { protocol: 1, series } });
      assert.equal(res.statusCode, 200);
      await app.services.deps.incidents.engine.settle();
      await app.advance(10_000, 1000);
      await slack.waitFor(1);
      await app.advance(29_000, 1000);
      assert.equal(slack.requests.length, 1, 'no second attempt before Retry-After');
      await app.advance(2_000, 1000);
      await slack.waitFor(2);
      const msg = JSON.parse(slack.requests[1]!.body);
      assert.equal(msg.channel, '#ops');
      assert.match(msg.text, /\[FIRING:200\] DiskFull/);
      assert.equal(msg.attachments[0].color, '#d00000');
      assert.equal(msg.attachments[0].fields[1].value, '200 firing, 0 resolved');
      const listed = (msg.attachments[0].text.match(/^• \*DiskFull\*/gm) ?? []).length;
      const more = Number(/and (\d+) more/.exec(msg.attachments[0].text)?.[1] ?? 0);
      assert.ok(listed > 10 && msg.attachments[0].text.length <= 3000);
      assert.equal(listed + more, 200, 'every alert is accounted for in the one message');
      const [n] = (await app.api<{ notifications: NotificationView[] }>('GET', '/api/v1/notifications')).notifications;
      const detail = await app.api<NotificationView>('GET', `/api/v1/notifications/${n!.id}`);
      assert.deepEqual(detail.log?.map((a) => [a.outcome, a.statusCode]), [['retry', 429], ['ok', 200]]);
      assert.ok((detail.log![1]!.ts - detail.log![0]!.ts) >= 30_000, 'second attempt at or after Retry-After');
    } finally {
      await slack.close();
      await app.close();
    }
  });

  it('e-mail: a rule fires → the local SMTP server receives HTML and text with metric, value, threshold, severity, time, fixes and link', async () => {
    const app = await incidentApp();
    const smtp = await startSmtpSink();
    try {
      const c = await channel(app, { name: 'mail', type: 'email', config: { host: smtp.host, port: smtp.port, security: 'none', from: 'vigil@example.com', to: ['oncall@example.com'] } });
      await receiver(app, 'mailers', [c.id]);
      await app.api('PUT', '/api/v1/routing', ROUTING('mailers'));
      await app.api('POST', '/api/v1/rules', CPU_RULE, 201);
      await app.ingest('cpu_usage_percent', { cpu: 'total' }, 93.25);
      await app.run();
      await smtp.waitFor(1);
      const m = smtp.messages[0]!;
      assert.deepEqual(m.to, ['oncall@example.com']);
      assert.equal(m.subject, '[FIRING:1] HighCPU');
      for (const part of [m.text, m.html]) {
        assert.match(part, /cpu_usage_percent/);
        assert.match(part, /93\.25/);
        assert.match(part, /critical/);
        assert.match(part, /\b90\b/);
        assert.match(part, /busiest processes/);
        assert.match(part, /\/alerts\/[0-9a-f]{24}/);
        assert.match(part, /\d{4}-\d\d-\d\dT\d\d:\d\d/);
      }
      assert.match(m.html, /<table/);
      assert.match(m.headers['x-vigil-dedup-key'] ?? '', /^vigil-/);
      const test = await app.api<NotificationView>('POST', `/api/v1/channels/${c.id}/test`);
      assert.equal(test.status, 'delivered');
      await smtp.waitFor(2);
      assert.match(smtp.messages[1]!.subject, /TEST/);
    } finally {
      await smtp.close();
      await app.close();
    }
  });

  it('in-app: inbox per user, pushed over WebSocket to its owner only; preferences and mark read', async () => {
    const app = await incidentApp();
    try {
      const me = await app.api<{ user: { id: string } }>('GET', '/api/v1/auth/me');
      const viewer = await app.services.deps.users.create('viewer1', 'viewer-password-1', 'viewer');
      const c = await channel(app, { name: 'bell', type: 'inapp', config: { users: [me.user.id] } });
      await receiver(app, 'inbox', [c.id]);
      await app.api('PUT', '/api/v1/routing', ROUTING('inbox'));
      await app.api('POST', '/api/v1/rules', CPU_RULE, 201);
      const url = await app.listen();
      const viewerCookie = await app.login('viewer1', 'viewer-password-1');
      const open = (cookie: string) =>
        new Promise<{ ws: WebSocket; messages: unknown[] }>((resolve) => {
          const ws = new WebSocket(`${url.replace('http', 'ws')}/api/v1/live`, { headers: { cookie } });
          const messages: unknown[] = [];
          ws.on('message', (d) => {
            const m = JSON.parse(String(d));
            messages.push(m);
            if (m.type === 'subscribed') resolve({ ws, messages });
          });
          ws.on('open', () => ws.send(JSON.stringify({ op: 'subscribe', id: 'n', topic: 'notifications' })));
        });
      const admin = await open(app.cookie);
      const other = await open(viewerCookie);
      await app.ingest('cpu_usage_percent', { cpu: 'total' }, 99);
      await app.run();
      for (let i = 0; i < 50 && !admin.messages.some((m) => (m as { type: string }).type === 'event'); i++) await new Promise((r) => setTimeout(r, 20));
      const ev = admin.messages.find((m) => (m as { type: string }).type === 'event') as { data: { item: { title: string; severity: string }; unread: number } };
      assert.equal(ev.data.item.severity, 'critical');
      assert.match(ev.data.item.title, /HighCPU/);
      assert.equal(ev.data.unread, 1);
      assert.ok(!other.messages.some((m) => (m as { type: string }).type === 'event'), "another user's socket gets nothing");
      admin.ws.close();
      other.ws.close();
      const inbox = await app.api<{ items: { id: string }[]; unread: number }>('GET', '/api/v1/me/inbox');
      assert.equal(inbox.unread, 1);
      await app.api('POST', `/api/v1/me/inbox/${inbox.items[0]!.id}/read`, {}, 204);
      assert.equal((await app.api<{ unread: number }>('GET', '/api/v1/me/inbox')).unread, 0);
      const viewerInbox = await app.app.inject({ method: 'GET', url: '/api/v1/me/inbox', headers: { cookie: viewerCookie } });
      assert.deepEqual(JSON.parse(viewerInbox.body).items, []);
      await app.api('PUT', '/api/v1/me/preferences', { email: 'not-an-address' }, 400);
      const prefs = await app.api<{ email: string; slackWebhookUrl: { set: boolean } }>('PUT', '/api/v1/me/preferences', { email: 'admin@example.com', minSeverity: 'warning', slackWebhookUrl: 'https://hooks.slack.test/x', quietHours: { start: '22:00', end: '07:00', timeZone: 'Europe/Berlin' } });
      assert.equal(prefs.email, 'admin@example.com');
      assert.deepEqual(prefs.slackWebhookUrl, { set: true });
      assert.ok(!JSON.stringify(await app.api('GET', '/api/v1/me/preferences')).includes('hooks.slack.test'));
      void viewer;
    } finally {
      await app.close();
    }
  });
});
