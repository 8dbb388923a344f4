import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { freshnessOf } from './freshness.js';

test('freshness thresholds are multiples of the interval', () => {
  const now = 1_000_000;
  assert.equal(freshnessOf(now - 19_999, now, 10_000), 'fresh');
  assert.equal(freshnessOf(now - 20_000, now, 10_000), 'late');
  assert.equal(freshnessOf(now - 59_999, now, 10_000), 'late');
  assert.equal(freshnessOf(now - 60_000, now, 10_000), 'stale');
  assert.equal(freshnessOf(null, now, 10_000), 'stale');
  assert.equal(freshnessOf(now - 1500, now, 1000), 'fresh');
  assert.equal(freshnessOf(now - 2500, now, 1000), 'late');
  // Unknown interval falls back to 10 s; a future timestamp (clock skew) is fresh.
  assert.equal(freshnessOf(now - 15_000, now, null), 'fresh');
  assert.equal(freshnessOf(now + 5000, now, 10_000), 'fresh');
});

test('property: freshness only gets worse as time passes', () => {
  const rank = { fresh: 0, late: 1, stale: 2 };
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 1e12 }), fc.integer({ min: 0, max: 1e7 }), fc.integer({ min: 0, max: 1e7 }), fc.integer({ min: 1000, max: 3_600_000 }), (seen, d1, d2, interval) => {
      const a = freshnessOf(seen, seen + d1, interval);
      const b = freshnessOf(seen, seen + d1 + d2, interval);
      assert.ok(rank[b] >= rank[a]);
    }),
  );
});
