import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { SeriesWindow, WINDOW_AGGREGATIONS } from './series-window.js';

function naive(ts: number[], vs: number[], now: number, span: number, agg: string): number | null {
  const keep = ts.map((t, i) => [t, vs[i] as number] as const).filter(([t]) => t > now - span);
  if (keep.length === 0) return null;
  const v = keep.map((x) => x[1]);
  switch (agg) {
    case 'last':
      return v[v.length - 1] as number;
    case 'avg':
      return v.reduce((a, b) => a + b, 0) / v.length;
    case 'min':
      return Math.min(...v);
    case 'max':
      return Math.max(...v);
    case 'p95':
      return [...v].sort((a, b) => a - b)[Math.ceil(0.95 * v.length) - 1] as number;
    default: {
      if (keep.length < 2) return null;
      let inc = 0;
      for (let i = 1; i < v.length; i++) inc += (v[i] as number) >= (v[i - 1] as number) ? (v[i] as number) - (v[i - 1] as number) : (v[i] as number);
      const dt = ((keep[keep.length - 1] as readonly [number, number])[0] - (keep[0] as readonly [number, number])[0]) / 1000;
      return dt > 0 ? inc / dt : null;
    }
  }
}

describe('SeriesWindow', () => {
  it('property: every aggregation equals a naive computation over the span', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 1, max: 5000 }), fc.double({ min: -1e6, max: 1e6, noNaN: true })), { maxLength: 200 }), fc.integer({ min: 1000, max: 100_000 }), (steps, span) => {
        const w = new SeriesWindow(span);
        const ts: number[] = [];
        const vs: number[] = [];
        let t = 0;
        for (const [dt, v] of steps) {
          t += dt;
          ts.push(t);
          vs.push(v);
          w.push(t, v);
        }
        for (const agg of WINDOW_AGGREGATIONS) {
          const got = w.aggregate(agg);
          const want = naive(ts, vs, t, span, agg);
          if (want === null) assert.equal(got, null, agg);
          else assert.ok(got !== null && Math.abs(got - want) <= 1e-6 * Math.max(1, Math.abs(want)), `${agg}: ${got} vs ${want}`);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('ignores samples that are not newer than the newest', () => {
    const w = new SeriesWindow(60_000);
    w.push(1000, 1);
    w.push(2000, 2);
    w.push(2000, 99);
    w.push(1500, 99);
    assert.deepEqual(w.toArrays(), { ts: [1000, 2000], values: [1, 2] });
  });
});
