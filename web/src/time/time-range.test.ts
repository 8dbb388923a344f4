import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { chooseStep, queryWindow, TIME_RANGES, timeRangeById } from './time-range.js';

test('presets cover 15 min to 7 days and unknown ids fall back to 1 h', () => {
  assert.deepEqual(
    TIME_RANGES.map((r) => r.id),
    ['15m', '1h', '6h', '24h', '7d'],
  );
  assert.equal(timeRangeById('6h').ms, 6 * 3_600_000);
  assert.equal(timeRangeById('bogus').id, '1h');
  assert.equal(timeRangeById(null).id, '1h');
});

test('chooseStep never goes below the collection interval', () => {
  assert.equal(chooseStep(15 * 60_000, 10_000), 10_000);
  assert.equal(chooseStep(15 * 60_000, 1000), 5000);
  assert.equal(chooseStep(3_600_000, 10_000), 10_000);
  assert.equal(chooseStep(24 * 3_600_000, 10_000), 300_000);
  assert.equal(chooseStep(7 * 86_400_000, 10_000), 1_800_000);
});

test('property: chooseStep keeps buckets under the limit and queryWindow aligns start', () => {
  fc.assert(
    fc.property(fc.integer({ min: 60_000, max: 400 * 86_400_000 }), fc.integer({ min: 1000, max: 3_600_000 }), fc.integer({ min: 1e12, max: 2e12 }), (range, interval, now) => {
      const step = chooseStep(range, interval);
      assert.ok(step >= interval);
      assert.ok(range / step <= 360);
      const w = queryWindow(now, range, step);
      assert.equal(w.start % step, 0);
      assert.ok(w.start <= now - range && now - range - w.start < step);
    }),
  );
});
