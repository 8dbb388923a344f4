import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { prepareSeries } from '../prepare-series.js';
import { syntheticSeries } from '../testing/synthetic-series.js';
import { fitSma } from './sma.js';

const STEP = 60_000;

describe('fitSma', () => {
  it('forecasts the mean of the last window, flat', () => {
    const values = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    const fit = fitSma(prepareSeries(values.map((_, i) => i * STEP), values, STEP), { window: 3 });
    const f = fit.forecast(4);
    assert.deepEqual(f.mean, [9, 9, 9, 9]);
    assert.equal(fit.fitted[5], (3 + 4 + 5) / 3);
    assert.ok(Number.isNaN(fit.fitted[2] as number));
  });
  it('skips gaps inside the window', () => {
    const values = [1, 2, 3, 4, 5, 6, Number.NaN, 8];
    const fit = fitSma(prepareSeries(values.map((_, i) => i * STEP), values, STEP), { window: 3 });
    assert.deepEqual(fit.forecast(1).mean, [(6 + 8) / 2]);
  });
  it('picks a long window for white noise around a level and a short one for a random walk', () => {
    const noise = syntheticSeries({ n: 3000, stepMs: STEP, level: 10, noise: 1, seed: 3 });
    const long = fitSma(prepareSeries(noise.ts, noise.values, STEP));
    assert.ok((long.params.window as number) >= 60, `white noise window ${long.params.window}`);
    const walk = syntheticSeries({ n: 3000, stepMs: STEP, ar: 1, noise: 1, seed: 3 });
    const short = fitSma(prepareSeries(walk.ts, walk.values, STEP));
    assert.ok((short.params.window as number) <= 3, `random walk window ${short.params.window}`);
  });
  it('empirical bands widen with the horizon on a random walk and stay ordered', () => {
    const walk = syntheticSeries({ n: 2000, stepMs: STEP, ar: 1, noise: 1, seed: 9 });
    const f = fitSma(prepareSeries(walk.ts, walk.values, STEP), { window: 5 }).forecast(500);
    for (let i = 1; i < 500; i++) assert.ok((f.se[i] as number) >= (f.se[i - 1] as number));
    assert.ok((f.se[499] as number) > 5 * (f.se[0] as number));
  });
  it('rejects a window that leaves no room for errors', () => {
    const values = [1, 2, 3, 4, 5, 6];
    assert.throws(() => fitSma(prepareSeries(values.map((_, i) => i * STEP), values, STEP), { window: 5 }), /sma needs at least 8/);
  });
});
