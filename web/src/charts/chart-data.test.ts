import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { mergeSeries, trimEmptyEdges } from './chart-data.js';

test('mergeSeries aligns series from separate answers on one axis', () => {
  const data = mergeSeries([
    { key: 'a', label: 'A', timestamps: [10, 20, 30], values: [1, null, 3] },
    { key: 'b', label: 'B', timestamps: [20, 40], values: [5, 6] },
    { key: 'a', label: 'A', timestamps: [40], values: [4] },
  ]);
  assert.deepEqual(data.timestamps, [10, 20, 30, 40]);
  assert.deepEqual(data.series, [
    { key: 'a', label: 'A', values: [1, null, 3, 4] },
    { key: 'b', label: 'B', values: [null, 5, null, 6] },
  ]);
});

test('property: merged series all have the axis length and the axis is strictly ascending', () => {
  const source = fc.record({
    key: fc.constantFrom('a', 'b', 'c'),
    label: fc.string(),
    pts: fc.array(fc.tuple(fc.integer({ min: 0, max: 1000 }), fc.option(fc.double(), { nil: null }))),
  });
  fc.assert(
    fc.property(fc.array(source, { maxLength: 6 }), (sources) => {
      const data = mergeSeries(sources.map((s) => ({ key: s.key, label: s.label, timestamps: s.pts.map((p) => p[0]), values: s.pts.map((p) => p[1]) })));
      for (let i = 1; i < data.timestamps.length; i++) assert.ok((data.timestamps[i] as number) > (data.timestamps[i - 1] as number));
      for (const s of data.series) {
        assert.equal(s.values.length, data.timestamps.length);
        for (const v of s.values) assert.ok(v === null || Number.isFinite(v));
      }
    }),
  );
});

test('empty buckets at the edges are dropped, gaps in between are kept', () => {
  const data = mergeSeries([
    { key: 'a', label: 'a', timestamps: [0, 10, 20, 30, 40, 50], values: [null, 1, null, 3, null, null] },
    { key: 'b', label: 'b', timestamps: [0, 10, 20, 30, 40, 50], values: [null, null, null, 4, null, null] },
  ]);
  assert.deepEqual(data.timestamps, [10, 20, 30]);
  assert.deepEqual(data.series[0]!.values, [1, null, 3]);
  assert.deepEqual(trimEmptyEdges({ timestamps: [0], series: [{ key: 'a', label: 'a', values: [null] }] }).timestamps, []);
  const full = { timestamps: [0], series: [{ key: 'a', label: 'a', values: [1] }] };
  assert.equal(trimEmptyEdges(full), full);
});
