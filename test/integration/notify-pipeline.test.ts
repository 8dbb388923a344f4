import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { AlertExplanation, AlertView, ChannelView } from '../../src/protocol/alerting.js';
import { incidentApp, type IncidentApp } from '../support/incident-app.js';
import { startHttpRecorder, type HttpRecorder } from '../support/http-recorder.js';
import { startSmtpSink } from '../support/smtp-sink.js';

const CPU_RULE = { name: 'HighCPU', type: 'threshold', interval: '10s', spec: { selector: 'cpu_usage_percent', critical: 90 } };

async function hookReceiver(app: IncidentApp, hook: HttpRecorder, routing: Record<string, unknown>): Promise<void> {
  const c = await app.api<ChannelView>('POST', '/api/v1/channels', { name: 'hook', type: 'webhook', config: {}, secrets: { url: hook.url } }, 201);
  await app.api('POST', '/api/v1/receivers', { name: 'ops', channelIds: [c.id] }, 201);
  await app.api('PUT', '/api/v1/routing', { root: { id: 'root', matchers: [], receiver: 'ops', ...routing }, version: 0 });
}

const bodies = (hook: HttpRecorder) => hook.requests.map((r) => JSON.parse(r.body) as { status: string; alerts: { labels: Record<string, string>; status: string }[]; vigil: { kind: string } });

describe('notification pipeline', () => {
  it('groups by labels, waits group_wait, batches later alerts after group_interval, repeats after repeat_interval', async () => {
    const app = await incidentApp();
    const hook = await startHttpRecorder();
    try {
      await hookReceiver(app, hook, { groupBy: ['alertname'], groupWait: '30s', groupInterval: '5m', repeatInterval: '1h' });
      await app.api('POST', '/api/v1/rules', CPU_RULE, 201);
      const feed = async (cpus: string[], v: number) => {
        for (const cpu of cpus) await app.ingest('cpu_usage_percent', { cpu }, v);
      };
      await feed(['0', '1'], 95);
      await app.advance(29_000);
      assert.equal(hook.requests.length, 0, 'group_wait');
      await app.advance(2_000);
      assert.equal(hook.requests.length, 1);
      assert.equal(bodies(hook)[0]!.alerts.length, 2, 'both alerts in one notification');
      await feed(['2'], 97);
      await app.advance(4 * 60_000, 10_000);
      assert.equal(hook.requests.length, 1, 'a new alert waits for group_interval');
      await app.advance(70_000, 10_000);
      assert.equal(hook.requests.length, 2);
      assert.equal(bodies(hook)[1]!.alerts.length, 3);
      // Keep the data fresh and wait for the repeat.
      for (let i = 0; i < 7; i++) {
        await feed(['0', '1', '2'], 96);
        await app.advance(10 * 60_000, 60_000);
      }
      assert.equal(hook.requests.length, 3, 'one reminder after repeat_interval (1 h)');
    } finally {
      await hook.close();
      await app.close();
    }
  });

  it('holds flapping alerts and records why; a maintenance window that ends sends the still-firing alert', async () => {
    const app = await incidentApp();
    const hook = await startHttpRecorder();
    try {
      await hookReceiver(app, hook, { groupWait: '0s', groupInterval: '10s' });
      await app.api('POST', '/api/v1/rules', CPU_RULE, 201);
      for (let i = 0; i < 8; i++) {
        await app.ingest('cpu_usage_percent', { cpu: '0' }, i % 2 === 0 ? 95 : 10);
        await app.advance(15_000, 15_000);
      }
      const [alert] = (await app.api<{ alerts: AlertView[] }>('GET', '/api/v1/alerts?match=cpu="0"')).alerts;
      assert.equal(alert?.flapping, true);
      const sent = hook.requests.length;
      assert.ok(sent < 8, `flapping holds notifications (${sent} sent for 8 changes)`);
      const explain = await app.api<AlertExplanation>('GET', `/api/v1/alerts/${alert!.id}/explain`);
      assert.ok(explain.steps.some((s) => s.step === 'flapping'));

      const now = new Date(app.clock.now());
      const hhmm = (d: Date) => `${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')}`;
      const day = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'][now.getUTCDay()];
      await app.api('POST', '/api/v1/maintenance-windows', { name: 'patch night', timeZone: 'UTC', schedule: { kind: 'weekly', days: [day], start: hhmm(new Date(now.getTime() - 60_000)), end: hhmm(new Date(now.getTime() + 5 * 60_000)) }, matchers: [{ name: 'cpu', op: '=', value: '1' }] }, 201);
      await app.ingest('cpu_usage_percent', { cpu: '1' }, 99);
      await app.advance(60_000, 10_000);
      assert.ok(!bodies(hook).some((b) => b.alerts.some((a) => a.labels.cpu === '1')), 'muted during the window');
      for (let i = 0; i < 6; i++) {
        await app.ingest('cpu_usage_percent', { cpu: '1' }, 99);
        await app.advance(60_000, 10_000);
      }
      assert.ok(bodies(hook).some((b) => b.status === 'firing' && b.alerts.some((a) => a.labels.cpu === '1' && a.status === 'firing')), 'notified when the window ended');
    } finally {
      await hook.close();
      await app.close();
    }
  });

  it('user preferences: minimum severity, quiet hours (critical breaks through), personal e-mail through the chosen SMTP channel', async () => {
    const app = await incidentApp();
    const smtp = await startSmtpSink();
    try {
      const me = await app.api<{ user: { id: string } }>('GET', '/api/v1/auth/me');
      const mail = await app.api<ChannelView>('POST', '/api/v1/channels', { name: 'smtp', type: 'email', config: { host: smtp.host, port: smtp.port, security: 'none', from: 'vigil@example.com' } }, 201);
      await app.api('PUT', '/api/v1/personal-channels/email', { channelId: mail.id });
      await app.api('POST', '/api/v1/receivers', { name: 'people', channelIds: [], userIds: [me.user.id] }, 201);
      await app.api('PUT', '/api/v1/routing', { root: { id: 'root', matchers: [], receiver: 'people', groupWait: '0s', groupBy: ['alertname', 'cpu'] }, version: 0 });
      const local = new Date(app.clock.now());
      const hh = (h: number) => `${String((local.getUTCHours() + h + 24) % 24).padStart(2, '0')}:00`;
      await app.api('PUT', '/api/v1/me/preferences', { email: 'me@example.com', channels: { email: true, inapp: true, slack: false }, minSeverity: 'warning', quietHours: { start: hh(-1), end: hh(2), timeZone: 'UTC' } });
      await app.api('POST', '/api/v1/rules', { name: 'Busy', type: 'threshold', spec: { selector: 'cpu_usage_percent', warning: 50, critical: 90 } }, 201);
      await app.api('POST', '/api/v1/rules', { name: 'Info', type: 'threshold', spec: { selector: 'load1', warning: 1 }, labels: {} }, 201);
      await app.ingest('cpu_usage_percent', { cpu: '0' }, 60);
      await app.ingest('cpu_usage_percent', { cpu: '1' }, 95);
      await app.run();
      await smtp.waitFor(1);
      await app.advance(5000);
      assert.equal(smtp.messages.length, 1, 'only the critical alert is e-mailed during quiet hours');
      assert.deepEqual(smtp.messages[0]!.to, ['me@example.com']);
      assert.match(smtp.messages[0]!.subject, /Busy \(1\)/);
      const inbox = await app.api<{ items: { severity: string }[] }>('GET', '/api/v1/me/inbox');
      assert.deepEqual(inbox.items.map((i) => i.severity).sort(), ['critical', 'warning'], 'the in-app inbox gets both');
      const [warn] = (await app.api<{ alerts: AlertView[] }>('GET', '/api/v1/alerts?match=cpu="0"')).alerts;
      const explain = await app.api<AlertExplanation>('GET', `/api/v1/alerts/${warn!.id}/explain`);
      assert.ok(explain.steps.some((s) => s.step === 'preference' && /quiet hours/.test(s.message)));
      const test = await app.api<{ notifications: { channelType: string; status: string }[] }>('POST', '/api/v1/me/test-notification');
      assert.deepEqual(test.notifications.map((n) => [n.channelType, n.status]).sort(), [['email', 'delivered'], ['inapp', 'delivered']]);
    } finally {
      await smtp.close();
      await app.close();
    }
  });
});
