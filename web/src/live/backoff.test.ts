import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { backoffDelay } from './backoff.js';

test('backoff doubles from the minimum and is capped', () => {
  assert.equal(backoffDelay(0, 1), 500);
  assert.equal(backoffDelay(0, 0), 250);
  assert.equal(backoffDelay(3, 1), 4000);
  assert.equal(backoffDelay(10, 1), 15_000);
  assert.equal(backoffDelay(1000, 0), 7500);
  assert.equal(backoffDelay(2, 1, { minMs: 100, maxMs: 300 }), 300);
});

test('property: delays stay within [cap/2, cap] and never exceed max', () => {
  fc.assert(
    fc.property(fc.integer({ min: -5, max: 10_000 }), fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 1, max: 10_000 }), fc.integer({ min: 1, max: 120_000 }), (attempt, r, min, extra) => {
      const max = min + extra;
      const d = backoffDelay(attempt, r, { minMs: min, maxMs: max });
      const cap = Math.min(max, min * 2 ** Math.min(Math.max(0, attempt), 30));
      assert.ok(d >= Math.floor(cap / 2) && d <= Math.ceil(cap), `${d} vs cap ${cap}`);
      assert.ok(d <= max);
    }),
  );
});
