import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createTestApp, type TestApp } from '../../src/server/testing/test-app.js';
import { testConfig } from '../../src/server/testing/test-config.js';
import { RedisRateLimitStore } from '../../src/server/ratelimit/redis-rate-limit-store.js';
import { needRedis } from '../support/requirements.js';

const skip = await needRedis();

describe('rate limits shared through Redis', { skip }, () => {
  // Two replicas (two apps over two databases) share one Redis: the budget is global.
  let a: TestApp;
  let b: TestApp;
  const prefix = `vigil-test-${randomUUID()}`;
  before(async () => {
    const rateLimit = { ...testConfig('/unused').rateLimit, api: 6 };
    a = await createTestApp({ rateLimit, redisUrl: 'redis://127.0.0.1:6379/0' });
    b = await createTestApp({ rateLimit, redisUrl: 'redis://127.0.0.1:6379/0' }, a.clock);
  });
  after(async () => {
    await a?.close();
    await b?.close();
  });

  it('counts requests of both replicas against one budget: max passes, max+1 is 429', async () => {
    const ip = `192.0.2.${Math.floor(Math.random() * 200) + 1}`;
    a.clock.advance(60_000 * 60 * 24 * 365 * Math.floor(Math.random() * 50 + 1)); // a fresh window no other run used
    const codes: number[] = [];
    for (let i = 0; i < 7; i++) {
      const app = i % 2 === 0 ? a : b;
      codes.push((await app.app.inject({ method: 'GET', url: '/api/v1/agents', remoteAddress: ip })).statusCode);
    }
    assert.deepEqual(codes, [401, 401, 401, 401, 401, 401, 429]);
  });

  it('falls back to in-memory counting (never fully open) when Redis is unreachable', async () => {
    const errors: unknown[] = [];
    const store = new RedisRateLimitStore({ url: 'redis://127.0.0.1:1', onError: (e) => errors.push(e) });
    try {
      const r1 = await store.hit('k', 60_000, 0);
      const r2 = await store.hit('k', 60_000, 0);
      assert.deepEqual([r1.count, r2.count], [1, 2]);
      assert.equal(store.fallbacks, 2);
      assert.equal(errors.length, 2);
    } finally {
      await store.close();
    }
  });

  it('uses atomic increments: concurrent hits are all counted', async () => {
    const store = new RedisRateLimitStore({ url: 'redis://127.0.0.1:6379', prefix: `${prefix}:c:` });
    try {
      assert.equal(await store.ready(), true);
      const results = await Promise.all(Array.from({ length: 50 }, () => store.hit('same', 60_000, 1_000)));
      assert.deepEqual(results.map((r) => r.count).sort((x, y) => x - y), Array.from({ length: 50 }, (_, i) => i + 1));
      assert.equal((await store.peek('same', 60_000, 1_000)).count, 50);
      assert.equal(store.fallbacks, 0);
    } finally {
      await store.close();
    }
  });
});
