import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { AlertView } from '../../src/protocol/alerting.js';
import type { QueryResult } from '../../src/protocol/query.js';
import { startHttpRecorder, type HttpRecorder } from '../support/http-recorder.js';
import { createTestCluster, isLeader, openLive, sessionCookie } from '../support/cluster.js';
import { needPostgres, needRedis } from '../support/requirements.js';
import { eventually, ProcessApi } from '../support/vigil-process.js';

const skip = (await needPostgres()) || (await needRedis());

/** Webhook channel, receiver, routing without group wait, the given rule; returns an agent key. */
async function configure(api: ProcessApi, hook: HttpRecorder, rule: Record<string, unknown>): Promise<string> {
  const c = await api.call<{ id: string }>('POST', '/api/v1/channels', { name: 'hook', type: 'webhook', config: {}, secrets: { url: `${hook.url}/alert` } });
  await api.call('POST', '/api/v1/receivers', { name: 'ops', channelIds: [c.id] });
  await api.call('PUT', '/api/v1/routing', { root: { id: 'root', matchers: [], receiver: 'ops', groupWait: '0s', groupInterval: '1m', repeatInterval: '4h' }, version: 0 });
  await api.call('POST', '/api/v1/rules', rule);
  return (await api.call<{ key: string }>('POST', '/api/v1/agents', { name: 'web-1' })).key;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('several replicas sharing PostgreSQL and Redis (real processes)', { skip }, () => {
  it('samples pushed to A reach a WebSocket client on B; the alert fires once and exactly one notification is sent; acks work on the follower', async () => {
    const cluster = await createTestCluster();
    const hook = await startHttpRecorder();
    try {
      // Started one after the other: the first creates the admin, the second finds it.
      const a = await cluster.start();
      const b = await cluster.start();
      const apiA = await ProcessApi.login(a.url);
      const key = await configure(apiA, hook, { name: 'HighCPU', type: 'threshold', spec: { selector: 'cpu_usage_percent{cpu="total"}', critical: 90 } });
      const cookieB = await sessionCookie(b.url);
      const cookieA = await sessionCookie(a.url);
      assert.deepEqual([await isLeader(a.url, cookieA), await isLeader(b.url, cookieB)], [true, false], 'the first replica leads');
      const live = await openLive(b.url, cookieB);
      live.send({ op: 'subscribe', id: 's1', topic: 'samples', filter: { host: 'web-1', metric: 'cpu_usage_percent' } });
      await live.next((m) => m.type === 'subscribed' && m.id === 's1');
      const t0 = Date.now();
      await apiA.ingest(key, [{ metric: 'cpu_usage_percent', labels: { cpu: 'total' }, points: [[t0, 42]] }]);
      const got = await live.next((m) => m.type === 'samples');
      assert.equal(got.type === 'samples' && got.host, 'web-1');
      assert.deepEqual(got.type === 'samples' && got.series.map((s) => s.points), [[[t0, 42]]]);
      // Cross the threshold through A, several times: one incident, one notification.
      for (let i = 1; i <= 6; i++) {
        await apiA.ingest(key, [{ metric: 'cpu_usage_percent', labels: { cpu: 'total' }, points: [[t0 + i * 1000, 97]] }]);
        await sleep(300);
      }
      await hook.waitFor(1, 20_000);
      await sleep(3000);
      assert.equal(hook.requests.length, 1, 'exactly one notification reached the webhook');
      const apiB = await ProcessApi.login(b.url);
      // A range query answered by B sees the samples still in A's head, each exactly once.
      const q = `/api/v1/query?query=${encodeURIComponent('cpu_usage_percent{cpu="total"}')}&start=${t0}&end=${t0 + 7000}&step=1s&agg=count`;
      let counts: (number | null)[] = [];
      await eventually(
        async () => {
          counts = (await apiB.call<QueryResult>('GET', q)).series[0]?.values ?? [];
          return counts.filter((v) => v !== null).length === 7;
        },
        5000,
        'the samples ingested on A in a query on B',
      );
      // Buckets start at whole seconds, so the seven samples may span eight buckets: one sample each.
      assert.deepEqual(counts.filter((v) => v !== null), [1, 1, 1, 1, 1, 1, 1]);
      const firing = (await apiB.call<{ alerts: AlertView[] }>('GET', '/api/v1/alerts?state=firing')).alerts;
      assert.equal(firing.length, 1, 'replica B sees the firing alert in the shared database');
      const { notifications } = await apiB.call<{ notifications: { status: string }[] }>('GET', '/api/v1/notifications');
      assert.deepEqual(notifications.map((n) => n.status), ['delivered']);
      // Acknowledging on the follower: the command travels to the leader, which owns the state.
      const acked = await apiB.call<AlertView>('POST', `/api/v1/alerts/${firing[0]!.id}/ack`, { comment: 'on it' });
      assert.equal(acked.ack?.by, 'user:admin');
      const seenOnA = (await apiA.call<{ alerts: AlertView[] }>('GET', '/api/v1/alerts?state=firing')).alerts;
      assert.equal(seenOnA[0]?.ack?.comment, 'on it');
      const unacked = await apiB.call<AlertView>('DELETE', `/api/v1/alerts/${firing[0]!.id}/ack`);
      assert.equal(unacked.ack, null);
      live.close();
    } finally {
      await cluster.close();
      await hook.close();
    }
  });

  it('kill -9 of the leader while an alert is pending: the other replica takes over within 15 s, one notification', async (ctx) => {
    const cluster = await createTestCluster();
    const hook = await startHttpRecorder();
    try {
      const a = await cluster.start();
      const b = await cluster.start();
      const apiA = await ProcessApi.login(a.url);
      // `for: 6s`: the alert is pending when the leader dies and due by the time B leads.
      const key = await configure(apiA, hook, { name: 'HighCPU', type: 'threshold', for: '6s', spec: { selector: 'cpu_usage_percent{cpu="total"}', critical: 90 } });
      const cookieB = await sessionCookie(b.url);
      assert.equal(await isLeader(a.url, await sessionCookie(a.url)), true);
      const apiB = await ProcessApi.login(b.url);
      let t = Date.now();
      // The agent pushes to B; A (the leader) evaluates what B publishes on the bus.
      await apiB.ingest(key, [{ metric: 'cpu_usage_percent', labels: { cpu: 'total' }, points: [[t, 97]] }]);
      await eventually(async () => (await apiB.call<{ alerts: AlertView[] }>('GET', '/api/v1/alerts?state=pending')).alerts.length === 1, 10_000, 'a pending alert stored by the leader');
      await a.kill9();
      const killedAt = Date.now();
      let takeoverMs = -1;
      const feed = setInterval(() => {
        t = Math.max(t + 1000, Date.now());
        void apiB.ingest(key, [{ metric: 'cpu_usage_percent', labels: { cpu: 'total' }, points: [[t, 97]] }]).catch(() => {});
      }, 1000);
      try {
        await eventually(
          async () => {
            if (!(await isLeader(b.url, cookieB))) return false;
            takeoverMs = Date.now() - killedAt;
            return true;
          },
          20_000,
          'replica B to take the lease',
        );
        assert.ok(takeoverMs <= 15_000, `takeover after ${takeoverMs} ms`);
        ctx.diagnostic(`takeover after kill -9: ${takeoverMs} ms`);
        await hook.waitFor(1, 20_000);
        await sleep(3000);
      } finally {
        clearInterval(feed);
      }
      assert.equal(hook.requests.length, 1, 'exactly one notification: none lost, no duplicate');
      const firing = (await apiB.call<{ alerts: AlertView[] }>('GET', '/api/v1/alerts?state=firing')).alerts;
      assert.equal(firing.length, 1);
      const { notifications } = await apiB.call<{ notifications: { status: string }[] }>('GET', '/api/v1/notifications');
      assert.deepEqual(notifications.map((n) => n.status), ['delivered']);
    } finally {
      await cluster.close();
      await hook.close();
    }
  });
});
