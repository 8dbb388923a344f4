import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { formatAgo } from './format-ago.js';

test('formatAgo picks a readable unit', () => {
  assert.equal(formatAgo(0), 'just now');
  assert.equal(formatAgo(-5000), 'just now');
  assert.equal(formatAgo(3_400), '3 s ago');
  assert.equal(formatAgo(119_000), '119 s ago');
  assert.equal(formatAgo(4 * 60_000), '4 min ago');
  assert.equal(formatAgo(3 * 3_600_000), '3 h ago');
  assert.equal(formatAgo(5 * 86_400_000), '5 d ago');
  assert.equal(formatAgo(null), '–');
});

test('property: formatAgo is monotonic in its number within one unit', () => {
  fc.assert(
    fc.property(fc.integer({ min: 1000, max: 119_999 }), fc.integer({ min: 0, max: 118_999 }), (a, d) => {
      const b = Math.min(a + d, 119_999);
      const na = Number(formatAgo(a).split(' ')[0]);
      const nb = Number(formatAgo(b).split(' ')[0]);
      assert.ok(nb >= na);
    }),
  );
});
