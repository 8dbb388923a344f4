import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { UserPrincipal } from '../auth/principal.js';
import { LocalEventBus } from './event-bus.js';
import { DEFAULT_HUB_LIMITS, LiveHub, type LiveSocket } from './live-hub.js';
import { SAMPLES_APPENDED } from './live-events.js';
import { samplesTopic } from './topics/samples-topic.js';

/** An in-memory socket whose send buffer we control, to exercise the slow-consumer path. */
class MemorySocket implements LiveSocket {
  sent: string[] = [];
  bufferedAmount = 0;
  closed: { code?: number; reason?: string } | null = null;
  pings = 0;
  send(data: string): void {
    this.sent.push(data);
  }
  close(code?: number, reason?: string): void {
    this.closed = { code, reason };
  }
  ping(): void {
    this.pings++;
  }
  terminate(): void {
    this.closed = { code: 1006 };
  }
}

const viewer: UserPrincipal = { kind: 'user', userId: 'u', username: 'v', role: 'viewer', permissions: ['read:overview', 'read:metrics'], via: 'session', sessionIdHash: 'h', keyId: null };
const guest: UserPrincipal = { ...viewer, role: 'guest', permissions: ['read:overview'] };
const event = { type: SAMPLES_APPENDED, data: { agentId: 'a', host: 'h1', series: [{ metric: 'load1', labels: { host: 'h1' }, ts: [1], values: [1] }] } };
const tick = () => new Promise((r) => setImmediate(r));

describe('LiveHub', () => {
  it('enforces the topic permission per subscription', async () => {
    const bus = new LocalEventBus();
    const hub = new LiveHub(bus, [samplesTopic]);
    const s = new MemorySocket();
    const h = hub.connect(s, guest);
    h.onMessage(JSON.stringify({ op: 'subscribe', id: '1', topic: 'samples' }));
    assert.match(s.sent.at(-1)!, /VIGIL_ERR_FORBIDDEN/);
    hub.close();
  });

  it('drops messages for a slow client, reports the count, then cuts it off', async () => {
    const bus = new LocalEventBus();
    const hub = new LiveHub(bus, [samplesTopic], { ...DEFAULT_HUB_LIMITS, maxBufferedBytes: 100, maxDroppedBeforeClose: 3 });
    const s = new MemorySocket();
    const h = hub.connect(s, viewer);
    h.onMessage(JSON.stringify({ op: 'subscribe', id: '1', topic: 'samples', filter: { host: 'h1' } }));
    s.bufferedAmount = 1000;
    bus.publish(event);
    bus.publish(event);
    await tick();
    assert.equal(hub.counters.messagesDropped, 2);
    s.bufferedAmount = 0;
    bus.publish(event);
    await tick();
    const tail = s.sent.slice(-2).map((x) => JSON.parse(x));
    assert.deepEqual(tail[0], { type: 'dropped', count: 2 });
    assert.equal(tail[1].type, 'samples');
    s.bufferedAmount = 1000;
    bus.publish(event);
    await tick();
    assert.equal(s.closed?.code, 1013);
    assert.equal(hub.size, 0);
    hub.close();
  });

  it('refuses clients over the limit and terminates clients that miss a pong', () => {
    const hub = new LiveHub(new LocalEventBus(), [samplesTopic], { ...DEFAULT_HUB_LIMITS, maxClients: 1, heartbeatMs: 3_600_000 });
    const a = new MemorySocket();
    hub.connect(a, viewer);
    const b = new MemorySocket();
    hub.connect(b, viewer);
    assert.equal(b.closed?.code, 1013);
    hub.close();
    assert.equal(a.closed?.code, 1001);
  });
});
