import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { prepareSeries } from '../prepare-series.js';
import { syntheticSeries } from '../testing/synthetic-series.js';
import { ewmaFilter, fitEwma } from './ewma.js';

const STEP = 60_000;

describe('fitEwma', () => {
  it('runs the textbook recursion from l0 = y0', () => {
    const y = Float64Array.from([10, 12, 11, 15]);
    const fitted = new Float64Array(4);
    const { level, sse } = ewmaFilter(y, 0.5, fitted);
    assert.deepEqual(Array.from(fitted.slice(1)), [10, 11, 11]);
    assert.equal(level, 13);
    assert.equal(sse, 4 + 0 + 16);
  });
  it('a gap keeps the level and adds no error', () => {
    const y = Float64Array.from([10, Number.NaN, 12]);
    const { level, sse } = ewmaFilter(y, 0.5);
    assert.equal(level, 11);
    assert.equal(sse, 4);
  });
  it('bands grow as sqrt(1 + (h−1)α²)', () => {
    const s = syntheticSeries({ n: 500, stepMs: STEP, ar: 0.9, noise: 1, seed: 4 });
    const fit = fitEwma(prepareSeries(s.ts, s.values, STEP), { intervals: 'model' });
    const a = fit.params.alpha as number;
    const f = fit.forecast(10);
    for (let h = 1; h <= 10; h++) assert.ok(Math.abs((f.se[h - 1] as number) - fit.sigma * Math.sqrt(1 + (h - 1) * a * a)) < 1e-12);
  });
  it('empirical bands (default) follow the errors actually made: bounded for a stationary series', () => {
    const s = syntheticSeries({ n: 3000, stepMs: STEP, ar: 0.9, noise: 1, seed: 4 });
    const f = fitEwma(prepareSeries(s.ts, s.values, STEP)).forecast(1000);
    const model = fitEwma(prepareSeries(s.ts, s.values, STEP), { intervals: 'model' }).forecast(1000);
    // AR(1) with φ = 0.9 has marginal sd 1/sqrt(1 − 0.81) ≈ 2.3: the h-step error cannot exceed ~2×.
    assert.ok((f.se[999] as number) < 5, `empirical se ${f.se[999]}`);
    assert.ok((model.se[999] as number) > 10, `model se ${model.se[999]}`);
  });
  it('fits α near 1 on a random walk and near 0 on white noise', () => {
    const walk = syntheticSeries({ n: 3000, stepMs: STEP, ar: 1, noise: 1, seed: 5 });
    assert.ok((fitEwma(prepareSeries(walk.ts, walk.values, STEP)).params.alpha as number) > 0.9);
    const noise = syntheticSeries({ n: 3000, stepMs: STEP, level: 5, noise: 1, seed: 5 });
    assert.ok((fitEwma(prepareSeries(noise.ts, noise.values, STEP)).params.alpha as number) < 0.05);
  });
});
