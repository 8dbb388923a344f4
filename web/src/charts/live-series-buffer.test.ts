import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { LiveSeriesBuffer, type LivePoint } from './live-series-buffer.js';

const pt = (key: string, ts: number, value: number): LivePoint => ({ key, label: key, ts, value });

test('live points extend the queried data bucket by bucket', () => {
  const initial = { timestamps: [0, 10, 20], series: [{ key: 'cpu', label: 'CPU', values: [1, 2, 3] }] };
  const buf = new LiveSeriesBuffer(initial, 10, 'avg');
  assert.equal(buf.append([pt('cpu', 31, 10)], 0), true);
  assert.deepEqual(buf.current.timestamps, [0, 10, 20, 30]);
  assert.deepEqual(buf.current.series[0]!.values, [1, 2, 3, 10]);
  buf.append([pt('cpu', 35, 20), pt('cpu', 39, 30)], 0);
  assert.deepEqual(buf.current.series[0]!.values, [1, 2, 3, 20], 'running average of 10, 20, 30');
  // The server's value in bucket 20 counts as one sample.
  buf.append([pt('cpu', 25, 5)], 0);
  assert.equal(buf.current.series[0]!.values[2], 4);
  assert.deepEqual(initial.timestamps, [0, 10, 20], 'the initial data is not modified');
});

test('new series and late buckets are inserted in order; the window drops old buckets', () => {
  const buf = new LiveSeriesBuffer({ timestamps: [0, 20], series: [{ key: 'a', label: 'a', values: [1, 3] }] }, 10, 'max');
  buf.append([pt('b', 12, 7), pt('a', 11, 2), pt('a', 14, 1)], 0);
  assert.deepEqual(buf.current.timestamps, [0, 10, 20]);
  assert.deepEqual(
    buf.current.series.map((s) => s.values),
    [
      [1, 2, 3],
      [null, 7, null],
    ],
  );
  buf.append([pt('a', 40, 9)], 21);
  assert.deepEqual(buf.current.timestamps, [20, 40], 'buckets ending at or before 21 are gone');
  assert.deepEqual(buf.current.series[1]!.values, [null, null]);
  assert.equal(buf.append([pt('a', 5, 1), pt('a', 41, Number.NaN)], 21), false, 'too old and NaN points are ignored');
  assert.equal(buf.trimTo(50), true);
  assert.deepEqual(buf.current.timestamps, []);
});

test('property: avg buffer from empty equals the arithmetic mean per bucket; shape stays valid', () => {
  fc.assert(
    fc.property(
      fc.array(fc.tuple(fc.constantFrom('x', 'y'), fc.integer({ min: 0, max: 200 }), fc.double({ min: -1e6, max: 1e6, noNaN: true })), { maxLength: 60 }),
      fc.integer({ min: 1, max: 50 }),
      (raw, step) => {
        const buf = new LiveSeriesBuffer({ timestamps: [], series: [] }, step, 'avg');
        for (const [key, ts, value] of raw) buf.append([pt(key, ts, value)], 0);
        const data = buf.current;
        for (let i = 1; i < data.timestamps.length; i++) assert.ok((data.timestamps[i] as number) > (data.timestamps[i - 1] as number));
        for (const s of data.series) assert.equal(s.values.length, data.timestamps.length);
        for (const s of data.series) {
          data.timestamps.forEach((bucket, i) => {
            const inBucket = raw.filter(([k, ts]) => k === s.key && Math.floor(ts / step) * step === bucket).map(([, , v]) => v);
            if (inBucket.length === 0) assert.equal(s.values[i], null);
            else {
              const mean = inBucket.reduce((a, b) => a + b, 0) / inBucket.length;
              assert.ok(Math.abs((s.values[i] as number) - mean) <= 1e-6 * Math.max(1, Math.abs(mean)));
            }
          });
        }
      },
    ),
  );
});
