import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ManualClock } from '../core/clock.js';
import { clientKey } from './client-key.js';
import { MemoryRateLimitStore } from './memory-rate-limit-store.js';
import { rateLimitHeader, rateLimitPolicyHeader, RateLimiter, type RateLimitGroup } from './rate-limiter.js';

const policies = (limit: number) =>
  Object.fromEntries((['api', 'ui', 'ingest', 'login', 'public'] as RateLimitGroup[]).map((g) => [g, { limit, windowMs: 60_000 }])) as Record<RateLimitGroup, { limit: number; windowMs: number }>;

describe('RateLimiter', () => {
  it('allows exactly max requests per window, refuses max+1 and resets with the next window', async () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 1, 0, 0, 10));
    const rl = new RateLimiter(new MemoryRateLimitStore(), clock, { policies: policies(3), random: () => 0 });
    for (let i = 1; i <= 3; i++) {
      const d = await rl.check('api', '10.0.0.1');
      assert.equal(d.allowed, true, `request ${i}`);
      assert.equal(d.remaining, 3 - i);
    }
    const over = await rl.check('api', '10.0.0.1');
    assert.equal(over.allowed, false);
    assert.equal(over.firstViolation, true);
    assert.equal(over.resetSeconds, 50, 'window started at :00, now is :10');
    assert.equal((await rl.check('api', '10.0.0.1')).firstViolation, false, 'only the first refusal is flagged');
    assert.equal((await rl.check('api', '10.0.0.2')).allowed, true, 'other clients have their own budget');
    assert.equal((await rl.check('ui', '10.0.0.1')).allowed, true, 'other groups have their own budget');
    clock.advance(50_000);
    assert.equal((await rl.check('api', '10.0.0.1')).allowed, true);
  });

  it('spreads refused clients with up to 10 % of the window of jitter', async () => {
    const clock = new ManualClock(0);
    const rl = new RateLimiter(new MemoryRateLimitStore(), clock, { policies: policies(1), random: () => 0.999 });
    await rl.check('api', 'k');
    const d = await rl.check('api', 'k');
    assert.equal(d.resetSeconds, 66);
  });

  it('formats the IETF RateLimit and RateLimit-Policy fields', () => {
    assert.equal(rateLimitPolicyHeader({ group: 'api', limit: 100, windowMs: 60_000 }), '"api";q=100;w=60');
    assert.equal(rateLimitHeader({ group: 'api', remaining: 0, resetSeconds: 37 }), '"api";r=0;t=37');
  });

  it('never counts more than the hits, whatever the interleaving of keys and time', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.constantFrom('a', 'b', 'c'), fc.nat(120_000)), { maxLength: 60 }), async (hits) => {
        const clock = new ManualClock(0);
        const rl = new RateLimiter(new MemoryRateLimitStore(), clock, { policies: policies(5), random: () => 0 });
        const sorted = [...hits].sort((x, y) => x[1] - y[1]);
        const perWindow = new Map<string, number>();
        for (const [key, t] of sorted) {
          clock.set(t);
          const w = `${key}@${Math.floor(t / 60_000)}`;
          const n = (perWindow.get(w) ?? 0) + 1;
          perWindow.set(w, n);
          assert.equal((await rl.check('api', key)).allowed, n <= 5);
        }
      }),
      { numRuns: 200 },
    );
  });
});

describe('MemoryRateLimitStore', () => {
  it('stays bounded under a flood of distinct keys', async () => {
    const store = new MemoryRateLimitStore({ maxKeys: 1000 });
    for (let i = 0; i < 5000; i++) await store.hit(`k${i}`, 60_000, 0);
    assert.ok(store.size <= 1000, `size ${store.size}`);
  });
});

describe('clientKey', () => {
  it('groups IPv6 addresses by /64 and unwraps IPv4-mapped addresses', () => {
    assert.equal(clientKey('2001:db8:1:2:aaaa::1'), '2001:db8:1:2::/64');
    assert.equal(clientKey('2001:db8:1:2:ffff:ffff:ffff:ffff'), '2001:db8:1:2::/64');
    assert.equal(clientKey('2001:db8::1'), '2001:db8:0:0::/64');
    assert.equal(clientKey('::ffff:10.1.2.3'), '10.1.2.3');
    assert.equal(clientKey('10.1.2.3'), '10.1.2.3');
    assert.equal(clientKey('fe80::1%eth0'), 'fe80:0:0:0::/64');
  });

  it('maps every address of one /64 to the same key', () => {
    const group = fc.integer({ min: 0, max: 0xffff }).map((n) => n.toString(16));
    fc.assert(
      fc.property(fc.array(group, { minLength: 4, maxLength: 4 }), fc.array(group, { minLength: 4, maxLength: 4 }), fc.array(group, { minLength: 4, maxLength: 4 }), (prefix, a, b) => {
        assert.equal(clientKey([...prefix, ...a].join(':')), clientKey([...prefix, ...b].join(':')));
      }),
      { numRuns: 300 },
    );
  });
});
