import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { emptyRollupColumns } from '../codec/rollup-block.js';
import { rollupColumns, rollupSamples, TIER_RESOLUTION_MS } from './rollup-samples.js';
import { BucketGrid } from './bucket-grid.js';

const seriesArb = fc.array(fc.tuple(fc.integer({ min: 1, max: 90_000 }), fc.integer({ min: -1000, max: 1000 })), { minLength: 1, maxLength: 400 }).map((items) => {
  const ts: number[] = [];
  const values: number[] = [];
  let t = 1_763_800_000_000;
  for (const [d, v] of items) {
    t += d;
    ts.push(t);
    values.push(v / 4);
  }
  return { ts, values };
});

/** Reference: group by bucket with plain maps. */
function naive(ts: number[], values: number[], res: number) {
  const m = new Map<number, number[]>();
  ts.forEach((t, i) => {
    const b = Math.floor(t / res) * res;
    m.set(b, [...(m.get(b) ?? []), values[i]!]);
  });
  const out = emptyRollupColumns();
  for (const [b, vs] of [...m].sort((a, c) => a[0] - c[0])) {
    out.start.push(b);
    out.min.push(Math.min(...vs));
    out.max.push(Math.max(...vs));
    out.sum.push(vs.reduce((a, c) => a + c, 0));
    out.count.push(vs.length);
    out.last.push(vs[vs.length - 1]!);
  }
  return out;
}

test('rollupSamples equals a naive group-by, also when fed in arbitrary pieces', () => {
  fc.assert(
    fc.property(seriesArb, fc.array(fc.nat(), { maxLength: 5 }), ({ ts, values }, cuts) => {
      const whole = emptyRollupColumns();
      rollupSamples(ts, values, TIER_RESOLUTION_MS['1m'], whole);
      assert.deepEqual(whole, naive(ts, values, 60_000));
      const pieces = emptyRollupColumns();
      const bounds = [0, ...cuts.map((c) => c % (ts.length + 1)).sort((a, b) => a - b), ts.length];
      for (let i = 1; i < bounds.length; i++) rollupSamples(ts, values, 60_000, pieces, bounds[i - 1], bounds[i]);
      assert.deepEqual(pieces, whole);
    }),
  );
});

test('1 h buckets built from 1 m buckets equal 1 h buckets built from samples', () => {
  fc.assert(
    fc.property(seriesArb, ({ ts, values }) => {
      const minute = emptyRollupColumns();
      rollupSamples(ts, values, 60_000, minute);
      const fromMinutes = emptyRollupColumns();
      rollupColumns(minute, 3_600_000, fromMinutes);
      const direct = emptyRollupColumns();
      rollupSamples(ts, values, 3_600_000, direct);
      assert.deepEqual(fromMinutes, direct);
    }),
  );
});

test('BucketGrid aggregates samples and finer buckets into query buckets, ignoring the outside', () => {
  const grid = new BucketGrid(0, 300_000, 3, 60_000, 900_000);
  grid.addSamples([0, 60_000, 120_000, 400_000, 900_000], [5, 1, 3, 7, 9]);
  const cols = emptyRollupColumns();
  rollupSamples([600_000, 660_000], [2, 4], 60_000, cols);
  grid.addColumns(cols);
  assert.deepEqual(grid.buckets, [
    { min: 1, max: 3, sum: 4, count: 2, last: 3 },
    { min: 7, max: 7, sum: 7, count: 1, last: 7 },
    { min: 2, max: 4, sum: 6, count: 2, last: 4 },
  ]);
  assert.equal(grid.scanned, 5);
});
