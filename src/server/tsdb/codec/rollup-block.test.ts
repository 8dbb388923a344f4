import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { decodeRollupBlock, emptyRollupColumns, encodeRollupBlock, type RollupColumns } from './rollup-block.js';
import { ChunkCorruptError, ChunkOrderError } from './chunk-corrupt-error.js';

const bucketArb = fc.record({
  gap: fc.integer({ min: 1, max: 50 }),
  min: fc.double({ noNaN: true }),
  max: fc.double({ noNaN: true }),
  sum: fc.double({ noNaN: true }),
  last: fc.double({ noNaN: true }),
  count: fc.integer({ min: 1, max: 100_000 }),
});

function columns(res: number, start: number, buckets: { gap: number; min: number; max: number; sum: number; last: number; count: number }[]): RollupColumns {
  const cols = emptyRollupColumns();
  let s = start * res;
  for (const b of buckets) {
    cols.start.push(s);
    cols.min.push(b.min);
    cols.max.push(b.max);
    cols.sum.push(b.sum);
    cols.last.push(b.last);
    cols.count.push(b.count);
    s += b.gap * res;
  }
  return cols;
}

test('round trip: random buckets at 1 m and 1 h resolution', () => {
  fc.assert(
    fc.property(fc.constantFrom(60_000, 3_600_000), fc.integer({ min: 0, max: 1_000_000 }), fc.array(bucketArb, { minLength: 1, maxLength: 150 }), (res, start, buckets) => {
      const cols = columns(res, start, buckets);
      const out = decodeRollupBlock(encodeRollupBlock(res, cols));
      assert.equal(out.resolutionMs, res);
      assert.deepEqual(out.cols, cols);
    }),
    { numRuns: 300 },
  );
});

test('a steady gauge at 1 s costs about a byte per 1 m bucket (60 samples)', () => {
  const cols = columns(60_000, 29_396_666, Array.from({ length: 120 }, () => ({ gap: 1, min: 3, max: 3, sum: 180, last: 3, count: 60 })));
  const bytes = encodeRollupBlock(60_000, cols);
  assert.ok(bytes.length < 130, `${bytes.length} bytes`);
});

test('encoder rejects misaligned or unordered buckets and bad counts', () => {
  const cols = columns(60_000, 10, [{ gap: 1, min: 1, max: 1, sum: 1, last: 1, count: 1 }]);
  assert.throws(() => encodeRollupBlock(60_000, emptyRollupColumns()), ChunkOrderError);
  assert.throws(() => encodeRollupBlock(60_000, { ...cols, start: [60_001] }), ChunkOrderError);
  assert.throws(() => encodeRollupBlock(60_000, { ...cols, count: [0] }), ChunkOrderError);
  const two = columns(60_000, 10, [
    { gap: 1, min: 1, max: 1, sum: 1, last: 1, count: 1 },
    { gap: 1, min: 1, max: 1, sum: 1, last: 1, count: 1 },
  ]);
  assert.throws(() => encodeRollupBlock(60_000, { ...two, start: [two.start[1]!, two.start[0]!] }), ChunkOrderError);
});

test('damaged blocks (every truncation, every bit flip, arbitrary bytes) give ChunkCorruptError', () => {
  const good = encodeRollupBlock(60_000, columns(60_000, 5, [
    { gap: 1, min: 1, max: 2, sum: 3, last: 2, count: 2 },
    { gap: 3, min: 0.5, max: 9, sum: 30, last: 4, count: 7 },
  ]));
  for (let len = 0; len < good.length; len++) assert.throws(() => decodeRollupBlock(good.subarray(0, len)), ChunkCorruptError);
  for (let bit = 0; bit < good.length * 8; bit++) {
    const bad = good.slice();
    bad[bit >>> 3]! ^= 0x80 >>> (bit & 7);
    assert.throws(() => decodeRollupBlock(bad), ChunkCorruptError);
  }
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
      try {
        decodeRollupBlock(bytes);
      } catch (err) {
        assert.ok(err instanceof ChunkCorruptError, String(err));
      }
    }),
    { numRuns: 1000 },
  );
});
