import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import type { LiveServerMessage } from '../../../protocol/live.js';
import { parseSelector } from '../../../protocol/selector.js';
import { createTestApp, type TestApp } from '../../testing/test-app.js';

/** Collects messages of a real WebSocket client and waits for one matching `pred`. */
function inbox(ws: WebSocket) {
  const msgs: LiveServerMessage[] = [];
  const waiters: { pred: (m: LiveServerMessage) => boolean; resolve: (m: LiveServerMessage) => void }[] = [];
  ws.on('message', (data) => {
    const m = JSON.parse(String(data)) as LiveServerMessage;
    msgs.push(m);
    for (const w of [...waiters]) {
      if (!w.pred(m)) continue;
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve(m);
    }
  });
  return {
    msgs,
    next(pred: (m: LiveServerMessage) => boolean, timeoutMs = 5000): Promise<LiveServerMessage> {
      const found = msgs.find(pred);
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        waiters.push({ pred, resolve });
        setTimeout(() => reject(new Error(`no matching message; got ${JSON.stringify(msgs).slice(0, 500)}`)), timeoutMs).unref();
      });
    },
  };
}

describe('live WebSocket', () => {
  let t: TestApp;
  let base: string;
  let cookie: string;
  before(async () => {
    t = await createTestApp();
    base = (await t.listen()).replace('http', 'ws');
    cookie = await t.login();
  });
  after(async () => t.close());

  it('refuses an unauthenticated upgrade', async () => {
    const ws = new WebSocket(`${base}/api/v1/live`);
    const status = await new Promise<number>((resolve) => ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0)));
    assert.equal(status, 401);
  });

  it('delivers committed samples to a filtered subscription', async () => {
    const key = await t.agentKey('live-host');
    const ws = new WebSocket(`${base}/api/v1/live`, { headers: { cookie } });
    const box = inbox(ws);
    await box.next((m) => m.type === 'hello');
    ws.send(JSON.stringify({ op: 'subscribe', id: 's1', topic: 'samples', filter: { host: 'live-host', metric: 'load1' } }));
    ws.send(JSON.stringify({ op: 'subscribe', id: 'a1', topic: 'agents' }));
    await box.next((m) => m.type === 'subscribed' && m.id === 's1');
    const now = t.clock.now();
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/ingest', headers: { authorization: `Bearer ${key}` }, payload: { series: [{ metric: 'load1', points: [[now, 0.7]] }, { metric: 'load5', points: [[now, 0.5]] }] } });
    assert.equal(res.statusCode, 200);
    const msg = await box.next((m) => m.type === 'samples');
    const [series] = (await t.storage.series.select(parseSelector('load1{host="live-host"}'), 1)).series;
    assert.deepEqual(msg, { type: 'samples', sub: 's1', host: 'live-host', series: [{ id: series!.id, metric: 'load1', labels: { host: 'live-host' }, points: [[now, 0.7]] }] });
    const agent = await box.next((m) => m.type === 'agent');
    assert.equal(agent.type === 'agent' && agent.agent.name, 'live-host');
    ws.close();
  });

  it('answers bad messages with typed errors and keeps the connection', async () => {
    const ws = new WebSocket(`${base}/api/v1/live`, { headers: { cookie } });
    const box = inbox(ws);
    await box.next((m) => m.type === 'hello');
    ws.send('not json');
    await box.next((m) => m.type === 'error' && m.code === 'VIGIL_ERR_INVALID_JSON');
    ws.send(JSON.stringify({ op: 'subscribe', id: 'x', topic: 'nope' }));
    await box.next((m) => m.type === 'error' && m.id === 'x');
    ws.send(JSON.stringify({ op: 'subscribe', id: 'y', topic: 'samples', filter: { metric: 'bad name' } }));
    await box.next((m) => m.type === 'error' && m.id === 'y');
    ws.send(JSON.stringify({ op: 'ping' }));
    await box.next((m) => m.type === 'pong');
    ws.close();
  });

  it('closes the socket on logout', async () => {
    const c2 = await t.login();
    const ws = new WebSocket(`${base}/api/v1/live`, { headers: { cookie: c2 } });
    const box = inbox(ws);
    await box.next((m) => m.type === 'hello');
    const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
    await t.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: { cookie: c2, 'x-requested-with': 'vigil' } });
    assert.equal(await closed, 4001);
  });
});
