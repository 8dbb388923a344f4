import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { sanitizeSeries } from './sanitize-series.js';

test('sanitizeSeries keeps valid items, drops bad ones with reasons, renames server-stamped labels', () => {
  const r = sanitizeSeries([
    { metric: 'ok', points: [[1, 2]] },
    { metric: 'ok_labels', labels: { host: 'spoofed', a: 'b' }, points: [[1, 2]] },
    { metric: 'bad-name', points: [[1, 2]] },
    { metric: 'bad_label', labels: { '1x': 'v' }, points: [[1, 2]] },
    { metric: 'reserved', labels: { __x: 'v' }, points: [[1, 2]] },
    { metric: 'non_string_label', labels: { a: 1 }, points: [[1, 2]] },
    { metric: 'clash', labels: { host: 'a', exported_host: 'b' }, points: [[1, 2]] },
    { metric: 'mixed_points', points: [[1, NaN], [2, Infinity], [3.5, 1], [4, 4], 'x'] },
    { metric: 'no_good_points', points: [[1, NaN]] },
    { metric: 'empty_points', points: [] },
    null,
    { metric: 'empty_labels', labels: {}, points: [[1, 0]] },
  ]);
  assert.deepEqual(r.series, [
    { metric: 'ok', points: [[1, 2]] },
    { metric: 'ok_labels', labels: { exported_host: 'spoofed', a: 'b' }, points: [[1, 2]] },
    { metric: 'mixed_points', points: [[4, 4]] },
    { metric: 'empty_labels', points: [[1, 0]] },
  ]);
  assert.equal(r.droppedItems, 7);
  assert.equal(r.droppedPoints, 5);
  assert.equal(r.reasons.length, 5);
  assert.match(r.reasons[0] as string, /invalid metric name "bad-name"/);
  assert.deepEqual(sanitizeSeries('nope').series, []);
});

test('property: whatever a plugin returns, the output satisfies the wire contract', () => {
  fc.assert(
    fc.property(fc.anything({ withNullPrototype: true, withObjectString: true }), fc.array(fc.anything(), { maxLength: 5 }), (a, arr) => {
      for (const input of [a, arr, [a], [{ metric: 'm', labels: a, points: arr }]]) {
        const r = sanitizeSeries(input);
        for (const s of r.series) {
          assert.match(s.metric, /^[a-zA-Z_:][a-zA-Z0-9_:]*$/);
          for (const [k, v] of Object.entries(s.labels ?? {})) assert.ok(/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(k) && k !== 'host' && typeof v === 'string');
          assert.ok(s.points.length > 0 && s.points.every(([t, v]) => Number.isSafeInteger(t) && Number.isFinite(v)));
        }
      }
    }),
  );
});
