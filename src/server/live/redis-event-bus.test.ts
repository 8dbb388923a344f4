import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { Redis } from 'ioredis';
import { needRedis } from '../../../test/support/requirements.js';
import type { BusEvent } from './event-bus.js';
import { parseEnvelope, reconnectDelay, RedisEventBus } from './redis-event-bus.js';

const URL = 'redis://127.0.0.1:6379/0';
const skip = await needRedis();

/** Resolves when `pred` holds, polling every 10 ms, or rejects after `ms`. */
async function until(pred: () => boolean, ms = 3000): Promise<void> {
  const end = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('parseEnvelope', () => {
  it('accepts a valid envelope and rejects anything else without throwing', () => {
    assert.deepEqual(parseEnvelope('{"o":"a","t":"x","d":{"n":1}}'), { o: 'a', t: 'x', d: { n: 1 } });
    for (const bad of ['', 'null', '[]', '{"o":1,"t":"x","d":0}', '{"o":"a","t":"","d":0}', '{"o":"a","t":"x"}', '{']) assert.equal(parseEnvelope(bad), null, bad);
    fc.assert(
      fc.property(fc.string(), (s) => {
        const r = parseEnvelope(s);
        assert.ok(r === null || (typeof r.o === 'string' && typeof r.t === 'string'));
      }),
    );
  });

  it('reconnect delays grow from 100 ms and stay at most 5 s', () => {
    assert.equal(reconnectDelay(1), 100);
    assert.equal(reconnectDelay(2), 200);
    assert.equal(reconnectDelay(100), 5000);
  });
});

describe('RedisEventBus (real Redis)', { skip }, () => {
  const buses: RedisEventBus[] = [];
  const channel = `vigil-test:${randomUUID()}`;
  const make = (opts: Partial<ConstructorParameters<typeof RedisEventBus>[0]> = {}) => {
    const b = new RedisEventBus({ url: URL, channel, ...opts });
    buses.push(b);
    return b;
  };
  after(async () => {
    await Promise.all(buses.map((b) => b.close()));
  });

  it('delivers an event once to every replica, including the publisher itself', async () => {
    const a = make();
    const b = make();
    assert.ok(await a.ready());
    assert.ok(await b.ready());
    const gotA: BusEvent[] = [];
    const gotB: BusEvent[] = [];
    a.subscribe((e) => gotA.push(e));
    b.subscribe((e) => gotB.push(e));
    a.publish({ type: 'samples_appended', data: { n: 1 } });
    // Local delivery is synchronous.
    assert.deepEqual(gotA, [{ type: 'samples_appended', data: { n: 1 } }]);
    await until(() => gotB.length === 1);
    b.publish({ type: 'alert_state_changed', data: { id: 'x' } });
    await until(() => gotA.length === 2);
    // A marker round trip proves nothing else is still in flight (no echo of our own events).
    a.publish({ type: 'marker', data: null });
    await until(() => gotB.length === 3);
    assert.deepEqual(gotA.map((e) => e.type), ['samples_appended', 'alert_state_changed', 'marker']);
    assert.deepEqual(gotB.map((e) => e.type), ['samples_appended', 'alert_state_changed', 'marker']);
    assert.equal(a.counters.received, 1);
  });

  it('ignores and counts malformed and oversized messages', async () => {
    const a = make({ maxMessageBytes: 200 });
    assert.ok(await a.ready());
    const got: BusEvent[] = [];
    a.subscribe((e) => got.push(e));
    const raw = new Redis(URL);
    try {
      await raw.publish(channel, 'not json');
      await raw.publish(channel, '{"o":"z","t":5,"d":1}');
      await raw.publish(channel, JSON.stringify({ o: 'z', t: 'big', d: 'x'.repeat(500) }));
      await raw.publish(channel, JSON.stringify({ o: 'z', t: 'ok', d: 1 }));
    } finally {
      raw.disconnect();
    }
    await until(() => got.length === 1);
    assert.deepEqual(got, [{ type: 'ok', data: 1 }]);
    assert.equal(a.counters.malformed, 2);
    assert.equal(a.counters.oversized, 1);
    // An oversized local event still reaches local handlers, it just stays on this replica.
    a.publish({ type: 'local-only', data: 'y'.repeat(500) });
    assert.equal(got.at(-1)?.type, 'local-only');
    assert.equal(a.counters.oversized, 2);
  });

  it('keeps local delivery while Redis is unreachable and buffers a bounded backlog', async () => {
    const errors: unknown[] = [];
    const down = make({ url: 'redis://127.0.0.1:1', maxPending: 3, onConnectionError: (e) => errors.push(e) });
    const got: BusEvent[] = [];
    down.subscribe((e) => got.push(e));
    for (let i = 0; i < 5; i++) down.publish({ type: 'e', data: i });
    assert.equal(got.length, 5);
    assert.equal(down.counters.dropped, 2);
    await until(() => errors.length > 0);
  });

  it('a handler that throws does not stop the others', async () => {
    const errs: unknown[] = [];
    const a = make({ onHandlerError: (e) => errs.push(e) });
    const got: number[] = [];
    a.subscribe(() => {
      throw new Error('boom');
    });
    a.subscribe((e) => got.push(e.data as number));
    a.publish({ type: 'n', data: 7 });
    assert.deepEqual(got, [7]);
    assert.equal(errs.length, 1);
  });
});
