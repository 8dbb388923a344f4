import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { AlertExplanation, AlertView, ChannelView, NotificationView } from '../../src/protocol/alerting.js';
import { incidentApp, type IncidentApp } from '../support/incident-app.js';
import { startHttpRecorder } from '../support/http-recorder.js';

const CPU_RULE = { name: 'HighCPU', type: 'threshold', spec: { selector: 'cpu_usage_percent{cpu="total"}', critical: 90 } };

async function webhook(app: IncidentApp, name: string, url: string): Promise<ChannelView> {
  return app.api<ChannelView>('POST', '/api/v1/channels', { name, type: 'webhook', config: {}, secrets: { url } }, 201);
}

async function metric(app: IncidentApp, name: string): Promise<number> {
  const res = await app.raw('GET', '/metrics');
  const line = res.body.split('\n').find((l) => l.startsWith(`${name} `) || l.startsWith(`${name}{`));
  return line ? Number(line.split(' ').pop()) : 0;
}

describe('notification reliability', () => {
  it('T18: receiver 500 for 10 minutes then 200 → one delivery, ≤ 15 attempts in 10 min, failures visible, fallback after 5 min', async () => {
    const app = await incidentApp();
    const hook = await startHttpRecorder(() => ({ status: 500, body: 'boom' }));
    try {
      const me = await app.api<{ user: { id: string } }>('GET', '/api/v1/auth/me');
      const c = await webhook(app, 'flaky', `${hook.url}/alert`);
      const bell = await app.api<ChannelView>('POST', '/api/v1/channels', { name: 'bell', type: 'inapp', config: { users: [me.user.id] } }, 201);
      await app.api('POST', '/api/v1/receivers', { name: 'ops', channelIds: [c.id] }, 201);
      await app.api('POST', '/api/v1/receivers', { name: 'backup', channelIds: [bell.id] }, 201);
      await app.api('PUT', '/api/v1/routing', { root: { id: 'root', matchers: [], receiver: 'ops', groupWait: '0s' }, fallbackReceiver: 'backup', fallbackAfter: '5m', version: 0 });
      await app.api('POST', '/api/v1/rules', CPU_RULE, 201);
      await app.ingest('cpu_usage_percent', { cpu: 'total' }, 99);
      await app.run();
      const start = app.clock.now();
      await app.advance(10 * 60_000 - 1000, 1000);
      const [first] = (await app.api<{ notifications: NotificationView[] }>('GET', '/api/v1/notifications?status=pending')).notifications.filter((x) => x.channelType === 'webhook');
      const inTenMinutes = hook.requests.filter((r) => r.headers['idempotency-key'] === first?.id).length;
      assert.ok(inTenMinutes >= 5 && inTenMinutes <= 15, `attempts in 10 min: ${inTenMinutes}`);
      const [n] = (await app.api<{ notifications: NotificationView[] }>('GET', '/api/v1/notifications?status=pending')).notifications.filter((x) => x.channelType === 'webhook');
      assert.ok(n, 'still pending (not dropped) while the receiver fails');
      assert.equal(n.lastError, 'HTTP 500');
      assert.ok((await metric(app, 'vigil_notification_retries_total')) >= inTenMinutes - 1);
      const inbox = await app.api<{ items: { title: string }[] }>('GET', '/api/v1/me/inbox');
      assert.equal(inbox.items.length, 1, 'the fallback receiver got a copy after 5 minutes');
      hook.respond = () => ({ status: 200, body: 'ok' });
      await app.advance(6 * 60_000, 1000);
      const ok = hook.requests.length;
      assert.equal((await app.api<NotificationView>('GET', `/api/v1/notifications/${n.id}`)).status, 'delivered');
      await app.advance(10 * 60_000, 10_000);
      assert.equal(hook.requests.length, ok, 'exactly one successful delivery, nothing after it');
      const ids = new Set(hook.requests.map((r) => r.headers['idempotency-key']));
      assert.deepEqual([...ids], [n.id], 'every attempt carries the same idempotency key (the self-alert is never sent through the failing channel)');
      const log = (await app.api<NotificationView>('GET', `/api/v1/notifications/${n.id}`)).log!;
      assert.equal(log.filter((a) => a.outcome === 'ok').length, 1);
      assert.ok(log.every((a, i) => i === 0 || a.ts > log[i - 1]!.ts));
      const gaps = log.slice(1).map((a, i) => a.ts - log[i]!.ts);
      assert.ok(gaps.every((g) => g <= 5 * 60_000 + 1000), 'backoff is capped at 5 min');
      void start;
    } finally {
      await hook.close();
      await app.close();
    }
  });

  it('T20: a 4xx is not retried, is shown as a config error on the channel and in the audit log, and goes to the fallback', async () => {
    const app = await incidentApp();
    const bad = await startHttpRecorder(() => ({ status: 404, body: 'no_service' }));
    const backup = await startHttpRecorder();
    try {
      const c = await webhook(app, 'typo', `${bad.url}/wrong`);
      const b = await webhook(app, 'backup-hook', `${backup.url}/ok`);
      await app.api('POST', '/api/v1/receivers', { name: 'ops', channelIds: [c.id] }, 201);
      await app.api('POST', '/api/v1/receivers', { name: 'backup', channelIds: [b.id] }, 201);
      await app.api('PUT', '/api/v1/routing', { root: { id: 'root', matchers: [], receiver: 'ops', groupWait: '0s' }, fallbackReceiver: 'backup', version: 0 });
      await app.api('POST', '/api/v1/rules', CPU_RULE, 201);
      await app.ingest('cpu_usage_percent', { cpu: 'total' }, 99);
      await app.run();
      await app.advance(10 * 60_000, 5000);
      assert.ok(bad.requests.length <= 2, `attempts: ${bad.requests.length}`);
      const ch = await app.api<ChannelView>('GET', `/api/v1/channels/${c.id}`);
      assert.match(ch.configError ?? '', /HTTP 404/);
      const audit = await app.storage.audit.list({ action: 'notify.channel_config_error', limit: 10 });
      assert.equal(audit.length, 1);
      assert.equal(audit[0]?.target, 'channel:typo');
      assert.equal(backup.requests.length, 1, 'the fallback receiver got it once');
      assert.equal((await metric(app, 'vigil_notifications_failed_total')), 1);
      // Fixing the channel clears the error.
      await app.api('PUT', `/api/v1/channels/${c.id}`, { name: 'typo', type: 'webhook', config: {}, secrets: { url: `${backup.url}/fixed` } });
      assert.equal((await app.api<ChannelView>('GET', `/api/v1/channels/${c.id}`)).configError, null);
    } finally {
      await bad.close();
      await backup.close();
      await app.close();
    }
  });

  it('escalation: unacknowledged after 15 min → team lead; acknowledgement stops further steps and repeats', async () => {
    const app = await incidentApp();
    const oncall = await startHttpRecorder();
    const lead = await startHttpRecorder();
    const pager = await startHttpRecorder();
    try {
      const c1 = await webhook(app, 'oncall', oncall.url);
      const c2 = await webhook(app, 'lead', lead.url);
      const c3 = await webhook(app, 'pager', pager.url);
      for (const [name, c] of [['oncall', c1], ['lead', c2], ['pager', c3]] as const) await app.api('POST', '/api/v1/receivers', { name, channelIds: [c.id] }, 201);
      await app.api('PUT', '/api/v1/routing', {
        root: { id: 'root', matchers: [], receiver: 'oncall', groupWait: '0s', repeatInterval: '1h', routes: [{ id: 'critical', matchers: [{ name: 'severity', op: '=', value: 'critical' }], escalation: [{ after: '0s', receiver: 'oncall' }, { after: '15m', receiver: 'lead' }, { after: '30m', receiver: 'pager' }] }] },
        version: 0,
      });
      await app.api('POST', '/api/v1/rules', CPU_RULE, 201);
      await app.ingest('cpu_usage_percent', { cpu: 'total' }, 99);
      await app.run();
      assert.equal(oncall.requests.length, 1);
      await app.advance(14 * 60_000, 60_000);
      assert.equal(lead.requests.length, 0);
      await app.advance(2 * 60_000, 60_000);
      assert.equal(lead.requests.length, 1, 'step 2 after 15 min');
      const [alert] = (await app.api<{ alerts: AlertView[] }>('GET', '/api/v1/alerts?state=firing')).alerts;
      await app.api('POST', `/api/v1/alerts/${alert!.id}/ack`, { comment: 'mine', expiresIn: '2h' });
      await app.run();
      assert.equal(JSON.parse(oncall.requests.at(-1)!.body).vigil.kind, 'acknowledged');
      assert.equal(JSON.parse(lead.requests.at(-1)!.body).vigil.kind, 'acknowledged');
      const firing = () => [...oncall.requests, ...lead.requests].filter((r) => JSON.parse(r.body).vigil.kind === 'firing').length;
      const before = firing();
      await app.advance(50 * 60_000, 60_000);
      assert.equal(pager.requests.length, 0, 'no step 3 after the acknowledgement');
      assert.equal(firing(), before, 'no repeats while acknowledged');
      const explain = await app.api<AlertExplanation>('GET', `/api/v1/alerts/${alert!.id}/explain`);
      assert.deepEqual(explain.matchedRoutes.map((r) => r.id), ['critical']);
      const steps = explain.steps.map((s) => s.step);
      for (const s of ['route', 'notification', 'delivery', 'escalation', 'ack']) assert.ok(steps.includes(s as never), `explain has a ${s} step`);
      assert.ok(explain.notifications.length >= 4);
      assert.ok(explain.notifications.every((n) => (n.log?.length ?? 0) >= 1));
    } finally {
      await Promise.all([oncall.close(), lead.close(), pager.close()]);
      await app.close();
    }
  });

  it('silenced alerts are explained, not sent; the end of the silence sends them', async () => {
    const app = await incidentApp();
    const hook = await startHttpRecorder();
    try {
      const c = await webhook(app, 'ops', hook.url);
      await app.api('POST', '/api/v1/receivers', { name: 'ops', channelIds: [c.id] }, 201);
      await app.api('PUT', '/api/v1/routing', { root: { id: 'root', matchers: [], receiver: 'ops', groupWait: '0s', groupInterval: '10s' }, version: 0 });
      await app.api('POST', '/api/v1/rules', CPU_RULE, 201);
      const s = await app.api<{ id: string }>('POST', '/api/v1/silences', { matchers: [{ name: 'host', op: '=', value: 'web-1' }], endsAt: app.clock.now() + 3_600_000, comment: 'maintenance of web-1' }, 201);
      await app.api('POST', '/api/v1/silences', { matchers: [{ name: 'host', op: '=~', value: '.*' }], endsAt: app.clock.now() + 60_000, comment: 'everything' }, 400);
      await app.ingest('cpu_usage_percent', { cpu: 'total' }, 99);
      await app.advance(60_000, 10_000);
      assert.equal(hook.requests.length, 0);
      const [alert] = (await app.api<{ alerts: AlertView[] }>('GET', '/api/v1/alerts')).alerts;
      const explain = await app.api<AlertExplanation>('GET', `/api/v1/alerts/${alert!.id}/explain`);
      assert.equal(explain.suppressedBy[0]?.kind, 'silence');
      assert.ok(explain.steps.some((x) => x.step === 'silence' && /maintenance of web-1/.test(x.message)));
      await app.api('DELETE', `/api/v1/silences/${s.id}`);
      await app.advance(20_000, 10_000);
      assert.equal(hook.requests.length, 1);
    } finally {
      await hook.close();
      await app.close();
    }
  });

  it('a channel that keeps failing raises the NotificationChannelFailing self-alert, cleared by a success', async () => {
    const app = await incidentApp();
    const hook = await startHttpRecorder(() => ({ status: 503, body: '' }));
    const watch = await startHttpRecorder();
    try {
      const c = await webhook(app, 'down', hook.url);
      const w = await webhook(app, 'watchdog', watch.url);
      await app.api('POST', '/api/v1/receivers', { name: 'ops', channelIds: [c.id] }, 201);
      await app.api('POST', '/api/v1/receivers', { name: 'watch', channelIds: [w.id] }, 201);
      await app.api('PUT', '/api/v1/routing', { root: { id: 'root', matchers: [], receiver: 'ops', groupWait: '0s', routes: [{ id: 'self', matchers: [{ name: 'vigil_system', op: '=', value: 'true' }], receiver: 'watch' }] }, version: 0 });
      await app.api('POST', '/api/v1/rules', CPU_RULE, 201);
      await app.ingest('cpu_usage_percent', { cpu: 'total' }, 99);
      await app.advance(5 * 60_000, 5000);
      await app.services.deps.incidents.engine.settle();
      await app.run();
      const self = (await app.api<{ alerts: AlertView[] }>('GET', '/api/v1/alerts?state=firing')).alerts.find((a) => a.labels.alertname === 'NotificationChannelFailing');
      assert.ok(self, 'self-alert firing');
      assert.equal(self.labels.channel, 'down');
      assert.ok(watch.requests.some((r) => JSON.parse(r.body).commonLabels.alertname === 'NotificationChannelFailing'), 'routed to the watchdog receiver');
      hook.respond = () => ({ status: 200, body: '' });
      await app.advance(6 * 60_000, 5000);
      await app.services.deps.incidents.engine.settle();
      assert.equal((await app.api<AlertView>('GET', `/api/v1/alerts/${self.id}`)).state, 'resolved');
    } finally {
      await hook.close();
      await watch.close();
      await app.close();
    }
  });
});
