import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { prepareSeries } from '../prepare-series.js';
import { syntheticSeries } from '../testing/synthetic-series.js';
import { fitLinearTrend, olsLine } from './linear-trend.js';

const STEP = 60_000;

describe('fitLinearTrend', () => {
  it('reports the slope per step and per hour', () => {
    const values = Array.from({ length: 120 }, (_, i) => 5 + 0.5 * i);
    const fit = fitLinearTrend(prepareSeries(values.map((_, i) => i * STEP), values, STEP));
    assert.ok(Math.abs((fit.params.slopePerStep as number) - 0.5) < 1e-12);
    assert.ok(Math.abs((fit.params.slopePerHour as number) - 30) < 1e-9);
  });
  it('prediction bands widen away from the centre of the data and hold ~95 % of new points', () => {
    const s = syntheticSeries({ n: 400, stepMs: STEP, level: 50, slope: 0.01, noise: 2, seed: 11 });
    const train = prepareSeries(s.ts.slice(0, 300), s.values.slice(0, 300), STEP);
    const f = fitLinearTrend(train).forecast(100);
    let inside = 0;
    for (let k = 0; k < 100; k++) {
      const v = s.values[300 + k] as number;
      if (v >= (f.lower95[k] as number) && v <= (f.upper95[k] as number)) inside++;
      if (k > 0) assert.ok((f.se[k] as number) > (f.se[k - 1] as number));
    }
    assert.ok(inside >= 85, `inside ${inside}/100`);
  });
  it('olsLine is stable for large offsets (disk bytes)', () => {
    const y = Float64Array.from({ length: 1000 }, (_, i) => 8e10 + 1234.5 * i);
    const l = olsLine(y);
    assert.ok(Math.abs(l.slope - 1234.5) < 1e-6, String(l.slope));
  });
});
