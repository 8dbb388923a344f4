import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ForecastInputError } from '../forecast-input-error.js';
import { createForecastRegistry } from '../forecast-registry.js';
import { prepareSeries } from '../prepare-series.js';
import { syntheticSeries } from '../testing/synthetic-series.js';
import { addPair, emptySums, metricsOf } from './accuracy-metrics.js';
import { rollingOriginBacktest } from './rolling-origin-backtest.js';

const STEP = 60_000;
const registry = createForecastRegistry();

describe('accuracy metrics', () => {
  it('MAE, RMSE, sMAPE and coverage by hand', () => {
    const s = emptySums();
    addPair(s, 10, 8, 7, 9, 6, 12); // err 2, outside 80, inside 95
    addPair(s, 10, 10, 9, 11, 7, 13); // err 0, inside both
    addPair(s, 0, 0, -1, 1, -2, 2); // both zero: sMAPE term 0
    addPair(s, Number.NaN, 1, 0, 2, 0, 2); // skipped
    const m = metricsOf(s);
    assert.equal(m.points, 3);
    assert.equal(m.mae, 2 / 3);
    assert.equal(m.rmse, Math.sqrt(4 / 3));
    assert.equal(m.smape, (200 * 2) / 18 / 3);
    assert.equal(m.coverage80, 2 / 3);
    assert.equal(m.coverage95, 1);
    assert.ok(Number.isNaN(metricsOf(emptySums()).mae));
  });
});

describe('rollingOriginBacktest', () => {
  it('linear trend on an exact line scores zero error at every origin', () => {
    const values = Array.from({ length: 100 }, (_, i) => 3 + 0.5 * i);
    const r = rollingOriginBacktest(prepareSeries(values.map((_, i) => i * STEP), values, STEP), registry.get('linear'), { horizon: 10, folds: 4 });
    assert.equal(r.folds.length, 4);
    assert.equal(r.points, 40);
    assert.ok(r.mae < 1e-9 && r.rmse < 1e-9);
    assert.deepEqual(
      r.folds.map((f) => f.trainPoints),
      [90, 80, 70, 60],
    );
  });
  it('a naive flat forecast on a line has MAE = slope × mean horizon', () => {
    const values = Array.from({ length: 100 }, (_, i) => 2 * i);
    const r = rollingOriginBacktest(prepareSeries(values.map((_, i) => i * STEP), values, STEP), registry.get('sma'), {
      horizon: 5,
      folds: 2,
      options: { window: 1 },
    });
    assert.equal(r.mae, 2 * 3); // errors 2,4,6,8,10 at each origin
  });
  it('a too-short origin is a failed fold, not an exception; intervals are scored', () => {
    const s = syntheticSeries({ n: 60, stepMs: STEP, level: 10, noise: 1, seed: 2 });
    const r = rollingOriginBacktest(prepareSeries(s.ts, s.values, STEP), registry.get('arima'), { horizon: 10, folds: 5 });
    assert.ok(r.failedFolds >= 1);
    assert.ok(r.folds.some((f) => f.error?.includes('arima needs at least')));
    assert.ok(r.coverage95 > 0.5);
  });
  it('the held-out window is aligned when the training part ends in a gap', () => {
    const values = Array.from({ length: 50 }, (_, i) => i);
    values[39] = Number.NaN; // last training point of the first fold (horizon 10)
    const r = rollingOriginBacktest(prepareSeries(values.map((_, i) => i * STEP), values, STEP), registry.get('linear'), { horizon: 10, folds: 1 });
    assert.ok(r.mae < 1e-9, String(r.mae));
  });
  it('rejects an impossible horizon', () => {
    const p = prepareSeries([0, STEP, 2 * STEP], [1, 2, 3], STEP);
    assert.throws(() => rollingOriginBacktest(p, registry.get('sma'), { horizon: 3 }), ForecastInputError);
  });
});

describe('auto', () => {
  it('chooses the linear trend for a noisy line and says why', () => {
    const s = syntheticSeries({ n: 500, stepMs: STEP, level: 10, slope: 0.2, noise: 1, seed: 3 });
    // (ARIMA with drift is an equally good model of a noisy line, so it is left out here.)
    const fit = registry.get('auto').fit(prepareSeries(s.ts, s.values, STEP), { horizon: 50, candidates: ['sma', 'ewma', 'linear', 'holt-winters'] });
    assert.equal(fit.model, 'linear');
    assert.equal(fit.selection?.chosen, 'linear');
    assert.match(fit.selection?.reason ?? '', /^linear has the lowest backtest MAE \(.+\) over 3 origins × 50 steps; runner-up /);
    assert.equal(fit.selection?.ranking.length, 4);
    assert.ok(fit.forecast(10).mean.length === 10);
  });
  it('chooses Holt-Winters for a daily-seasonal series', () => {
    const s = syntheticSeries({ n: 5 * 288, stepMs: 300_000, level: 50, dailyAmplitude: 20, noise: 1, seed: 4 });
    const fit = registry.get('auto').fit(prepareSeries(s.ts, s.values, 300_000), { horizon: 144, candidates: ['ewma', 'linear', 'holt-winters'] });
    assert.equal(fit.model, 'holt-winters');
  });
  it('lists candidates that could not be backtested and skips them', () => {
    const s = syntheticSeries({ n: 40, stepMs: STEP, level: 10, slope: 0.2, noise: 1, seed: 3 });
    const fit = registry.get('auto').fit(prepareSeries(s.ts, s.values, STEP), { horizon: 5, candidateOptions: { 'holt-winters': { season: 'daily' } } });
    const hw = fit.selection?.ranking.find((r) => r.model === 'holt-winters');
    assert.match(hw?.error ?? '', /holt-winters needs at least 2882/);
    assert.match(fit.selection?.reason ?? '', /not eligible: holt-winters/);
    assert.notEqual(fit.model, 'holt-winters');
  });
  it('rejects unknown candidates and options', () => {
    const s = syntheticSeries({ n: 100, stepMs: STEP, seed: 3 });
    const p = prepareSeries(s.ts, s.values, STEP);
    assert.throws(() => registry.get('auto').fit(p, { candidates: ['prophet'] }), ForecastInputError);
    assert.throws(() => registry.get('auto').fit(p, { metric: 'mape' }), ForecastInputError);
  });
});
