import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { SeriesGrid } from './series-grid.js';

describe('SeriesGrid', () => {
  it('averages samples per bucket, leaves gaps as NaN and never reads buckets after `at`', () => {
    const g = new SeriesGrid(60_000, 20);
    g.push(0, 1);
    g.push(30_000, 3);
    g.push(120_000, 5);
    g.push(600_000, 7);
    const r = g.read(180_000, 180_000);
    assert.equal(r.t0, 0);
    assert.deepEqual([...r.y].map((v) => (Number.isNaN(v) ? null : v)), [2, null, 5]);
    assert.equal(g.newestTs, 600_000);
  });

  it('keeps at most `capacity` buckets and ignores samples older than those', () => {
    const g = new SeriesGrid(1000, 4);
    for (let i = 0; i < 10; i++) g.push(i * 1000, i);
    g.push(1000, 99);
    const r = g.read(10_000, 100_000);
    assert.equal(r.t0, 6000);
    assert.deepEqual([...r.y], [6, 7, 8, 9]);
  });

  it('matches a direct bucket average for arbitrary ordered samples', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 1, max: 5000 }), fc.double({ min: -1e6, max: 1e6, noNaN: true })), { minLength: 1, maxLength: 60 }), (steps) => {
        const g = new SeriesGrid(1000, 1000);
        let ts = 0;
        const buckets = new Map<number, number[]>();
        for (const [dt, v] of steps) {
          ts += dt;
          g.push(ts, v);
          const b = Math.floor(ts / 1000);
          buckets.set(b, [...(buckets.get(b) ?? []), v]);
        }
        const r = g.read(ts + 1, ts + 1);
        for (const [b, vs] of buckets) {
          const got = r.y[b - r.t0 / 1000] as number;
          const want = vs.reduce((a, x) => a + x, 0) / vs.length;
          assert.ok(Math.abs(got - want) <= 1e-6 * Math.max(1, Math.abs(want)), `${got} vs ${want}`);
        }
      }),
    );
  });
});
