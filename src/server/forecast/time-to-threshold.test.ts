import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ForecastInputError } from './forecast-input-error.js';
import { fitLinearTrend } from './models/linear-trend.js';
import { prepareSeries } from './prepare-series.js';
import { syntheticSeries } from './testing/synthetic-series.js';
import { timeToThreshold } from './time-to-threshold.js';

const STEP = 60_000;

describe('timeToThreshold', () => {
  it('disk filling at 1 GB/h from 90 GB reaches 100 GB in 10 h (exact line)', () => {
    const values = Array.from({ length: 120 }, (_, i) => 88e9 + (1e9 / 60) * i); // 2 h of history, ends at ~90 GB
    const s = prepareSeries(values.map((_, i) => i * STEP), values, STEP);
    const fit = fitLinearTrend(s);
    const last = values[119] as number;
    const t = timeToThreshold(fit.forecast(24 * 60), 100e9, last);
    const expectMs = ((100e9 - last) / (1e9 / 60)) * STEP;
    assert.ok(t.mean && Math.abs(t.mean.inMs - expectMs) < 1, `${t.mean?.inMs} vs ${expectMs}`);
    assert.equal(t.mean?.ts, 119 * STEP + (t.mean?.inMs ?? 0));
    assert.equal(t.alreadyCrossed, false);
  });
  it('the 95 % bound crosses earlier than the mean, the lower bound later', () => {
    const s = syntheticSeries({ n: 600, stepMs: STEP, level: 50, slope: 0.05, noise: 2, seed: 5 });
    const fit = fitLinearTrend(prepareSeries(s.ts, s.values, STEP));
    const t = timeToThreshold(fit.forecast(2000), 120, s.values[599] as number);
    assert.ok(t.earliest && t.mean && t.latest && t.earliest80);
    assert.ok(t.earliest.inMs < t.earliest80.inMs && t.earliest80.inMs < t.mean.inMs && t.mean.inMs < t.latest.inMs);
  });
  it('falling direction, already crossed, and never within the horizon', () => {
    const values = Array.from({ length: 100 }, (_, i) => 100 - i);
    const fit = fitLinearTrend(prepareSeries(values.map((_, i) => i * STEP), values, STEP));
    const f = fit.forecast(50);
    assert.equal(timeToThreshold(f, 0, 1, 'below').mean?.inMs, 1 * STEP);
    assert.equal(timeToThreshold(f, 5, 1, 'below').alreadyCrossed, true);
    assert.equal(timeToThreshold(f, -1000, 1, 'below').mean, null);
    assert.throws(() => timeToThreshold(f, Number.NaN, 1), ForecastInputError);
  });
});
