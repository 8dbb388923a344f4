import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { combine, pooledQuantileBuckets, quantile } from './aggregate.js';
import { defaultStep } from './query-service.js';
import { parseTime } from './parse-time.js';

describe('aggregation', () => {
  it('computes type-7 quantiles like R and NumPy', () => {
    assert.equal(quantile([1, 2, 3, 4], 0.5), 2.5);
    assert.equal(quantile([10], 0.95), 10);
    assert.ok(Math.abs(quantile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.95) - 9.55) < 1e-12);
  });

  it('quantile stays within min and max', () => {
    fc.assert(fc.property(fc.array(fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e9, max: 1e9 }), { minLength: 1 }), fc.double({ min: 0, max: 1, noNaN: true }), (xs, q) => {
      const v = quantile(xs, q);
      assert.ok(v >= Math.min(...xs) - 1e-6 && v <= Math.max(...xs) + 1e-6);
    }));
  });

  it('combines across series', () => {
    assert.equal(combine([1, 2, 3], 'sum'), 6);
    assert.equal(combine([1, 2, 3], 'avg'), 2);
    assert.equal(combine([], 'max'), null);
  });

  it('pools raw samples per bucket for p95', () => {
    const b = pooledQuantileBuckets([{ ts: [0, 500, 1500], values: [1, 3, 5] }, { ts: [100], values: [2] }], 0, 1000, 2, 0.5);
    assert.deepEqual(b, [2, 5]);
  });

  it('picks a nice default step for about 300 buckets', () => {
    assert.equal(defaultStep(3_600_000), 15_000);
    assert.equal(defaultStep(7 * 86_400_000), 3_600_000);
    assert.ok(7 * 86_400_000 / defaultStep(7 * 86_400_000) <= 300);
  });

  it('parses query times', () => {
    assert.equal(parseTime('now-1h', 10_000_000), 6_400_000);
    assert.equal(parseTime('1700000000000', 0), 1_700_000_000_000);
    assert.equal(parseTime('2026-11-22T00:00:00Z', 0), Date.UTC(2026, 10, 22));
    assert.throws(() => parseTime('tomorrow', 0));
  });
});
