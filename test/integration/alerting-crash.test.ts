import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import type { AlertDetail, AlertView } from '../../src/protocol/alerting.js';
import { startHttpRecorder, type HttpRecorder } from '../support/http-recorder.js';
import { eventually, processDataDir, ProcessApi, startVigilServer, type VigilProcess } from '../support/vigil-process.js';

/** Sets up a webhook channel, receiver, routing (no group wait) and a CPU rule; returns an agent key. */
async function configure(api: ProcessApi, hook: HttpRecorder, rule: Record<string, unknown>): Promise<string> {
  const c = await api.call<{ id: string }>('POST', '/api/v1/channels', { name: 'hook', type: 'webhook', config: {}, secrets: { url: `${hook.url}/alert` } });
  await api.call('POST', '/api/v1/receivers', { name: 'ops', channelIds: [c.id] });
  await api.call('PUT', '/api/v1/routing', { root: { id: 'root', matchers: [], receiver: 'ops', groupWait: '0s', groupInterval: '1m', repeatInterval: '4h' }, version: 0 });
  await api.call('POST', '/api/v1/rules', rule);
  return (await api.call<{ key: string }>('POST', '/api/v1/agents', { name: 'web-1' })).key;
}

describe('alerting across kill -9 of a real server process', () => {
  it('T19: killed during a slow send → delivered after restart with the same dedup and idempotency keys', async () => {
    const dir = await processDataDir();
    let release: () => void = () => {};
    const hook = await startHttpRecorder((_r, i) => (i === 0 ? new Promise((resolve) => (release = () => resolve({ status: 200 }))) : { status: 200 }));
    let server: VigilProcess | null = await startVigilServer(dir);
    try {
      const api = await ProcessApi.login(server.url);
      const key = await configure(api, hook, { name: 'HighCPU', type: 'threshold', spec: { selector: 'cpu_usage_percent{cpu="total"}', critical: 90 } });
      await api.ingest(key, [{ metric: 'cpu_usage_percent', labels: { cpu: 'total' }, points: [[Date.now(), 97]] }]);
      await hook.waitFor(1, 20_000);
      await server.kill9();
      release();
      server = await startVigilServer(dir);
      // The claim's lease (20 s) lapses, then the same notification is sent again.
      await hook.waitFor(2, 60_000);
      const [first, second] = hook.requests.map((r) => ({ key: r.headers['idempotency-key'], body: JSON.parse(r.body) }));
      assert.equal(second!.key, first!.key, 'same idempotency key');
      assert.equal(second!.body.vigil.dedupKey, first!.body.vigil.dedupKey, 'same incident key');
      assert.deepEqual(second!.body.alerts, first!.body.alerts, 'same content');
      await new Promise((r) => setTimeout(r, 3000));
      assert.equal(hook.requests.length, 2, 'delivered once after the restart, nothing more');
      const api2 = await ProcessApi.login(server.url);
      const { notifications } = await api2.call<{ notifications: { id: string; status: string; attempts: number }[] }>('GET', '/api/v1/notifications');
      assert.equal(notifications.length, 1);
      assert.equal(notifications[0]?.status, 'delivered');
      assert.equal(notifications[0]?.attempts, 2);
    } finally {
      await server?.stop();
      await hook.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('T23: killed while an alert fires → after restart no resolve/fire flap and no second notification', async () => {
    const dir = await processDataDir();
    const hook = await startHttpRecorder();
    let server: VigilProcess | null = await startVigilServer(dir);
    try {
      let api = await ProcessApi.login(server.url);
      const key = await configure(api, hook, { name: 'HighCPU', type: 'threshold', interval: '1s', keepFiringFor: '30s', spec: { selector: 'cpu_usage_percent{cpu="total"}', aggregation: 'avg', window: '30s', critical: 90 } });
      let t = Date.now() - 5000;
      const feed = async (n: number, value: number) => {
        for (let i = 0; i < n; i++) {
          t += 1000;
          await api.ingest(key, [{ metric: 'cpu_usage_percent', labels: { cpu: 'total' }, points: [[t, value]] }]);
        }
      };
      await feed(5, 96);
      await hook.waitFor(1, 20_000);
      const [alert] = (await api.call<{ alerts: AlertView[] }>('GET', '/api/v1/alerts?state=firing')).alerts;
      assert.ok(alert);
      const before = await api.call<AlertDetail>('GET', `/api/v1/alerts/${alert.id}`);
      await server.kill9();
      server = await startVigilServer(dir);
      api = await ProcessApi.login(server.url);
      t = Math.max(t, Date.now() - 1000);
      await feed(3, 95);
      await new Promise((r) => setTimeout(r, 3000));
      const after = await api.call<AlertDetail>('GET', `/api/v1/alerts/${alert.id}`);
      assert.equal(after.state, 'firing');
      assert.equal(after.firingSince, before.firingSince, 'the same episode');
      assert.deepEqual(after.transitions.map((x) => x.id), before.transitions.map((x) => x.id), 'no transition stored after the restart');
      assert.equal(hook.requests.length, 1, 'no duplicate firing notification');
      await eventually(async () => (await api.call<{ notifications: unknown[] }>('GET', '/api/v1/notifications')).notifications.length === 1, 5000, 'one notification in the outbox');
    } finally {
      await server?.stop();
      await hook.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
