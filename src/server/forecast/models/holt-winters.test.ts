import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ForecastInputError } from '../forecast-input-error.js';
import { prepareSeries } from '../prepare-series.js';
import { gaussian, mulberry32, syntheticSeries } from '../testing/synthetic-series.js';
import { fitHoltWinters } from './holt-winters.js';
import { hwInitialStates, interpolateGaps } from './holt-winters-filter.js';
import { resolveSeasonLength, seasonalStrength, seasonSteps } from './season-length.js';

const STEP = 60_000;

describe('season length', () => {
  it('derives daily and weekly lengths from the step', () => {
    assert.equal(seasonSteps('daily', 60_000), 1440);
    assert.equal(seasonSteps('weekly', 60_000), 10080);
    assert.equal(seasonSteps('daily', 300_000), 288);
    assert.equal(seasonSteps('daily', 86_400_000), 0);
  });
  it('auto finds a daily season in 1-minute data and none in noise', () => {
    const daily = syntheticSeries({ n: 5 * 1440, stepMs: STEP, level: 50, dailyAmplitude: 10, ar: 0.8, noise: 2, seed: 1 });
    const y = prepareSeries(daily.ts, daily.values, STEP).y;
    assert.ok(seasonalStrength(y, 1440, 60) > 0.9);
    assert.equal(resolveSeasonLength('hw', y, STEP, 'auto'), 1440);
    const noise = syntheticSeries({ n: 5 * 1440, stepMs: STEP, level: 50, ar: 0.8, noise: 2, seed: 1 });
    assert.equal(resolveSeasonLength('hw', prepareSeries(noise.ts, noise.values, STEP).y, STEP, 'auto'), 0);
  });
  it('auto needs three full seasons', () => {
    const short = syntheticSeries({ n: 2 * 1440, stepMs: STEP, level: 50, dailyAmplitude: 10, noise: 1, seed: 1 });
    assert.equal(resolveSeasonLength('hw', prepareSeries(short.ts, short.values, STEP).y, STEP, 'auto'), 0);
  });
});

describe('fitHoltWinters', () => {
  it('forecasts an exactly periodic series exactly', () => {
    const pattern = [3, 5, 9, 4, 1, 0, 2, 7, 8, 6, 4, 2];
    const values = Array.from({ length: 120 }, (_, i) => 10 + (pattern[i % 12] as number));
    const fit = fitHoltWinters(prepareSeries(values.map((_, i) => i), values, 1), { seasonLength: 12, seasonality: 'additive' });
    const f = fit.forecast(24);
    for (let k = 0; k < 24; k++) assert.ok(Math.abs((f.mean[k] as number) - (10 + (pattern[(120 + k) % 12] as number))) < 1e-6, `step ${k}`);
  });
  it('auto seasonality picks multiplicative for a season that scales with the level', () => {
    const g = gaussian(mulberry32(7));
    const values = Array.from({ length: 240 }, (_, i) => (100 + 2 * i) * (1 + 0.4 * Math.sin((2 * Math.PI * i) / 12)) * (1 + 0.01 * g()));
    const fit = fitHoltWinters(prepareSeries(values.map((_, i) => i), values, 1), { seasonLength: 12 });
    assert.equal(fit.params.seasonality, 'multiplicative');
    assert.match(fit.spec, /multiplicative/);
  });
  it('a daily 1-minute series gets a daily season and a forecast that follows it', () => {
    const s = syntheticSeries({ n: 4 * 1440, stepMs: STEP, level: 50, dailyAmplitude: 10, noise: 0.5, seed: 2 });
    const fit = fitHoltWinters(prepareSeries(s.ts, s.values, STEP));
    assert.equal(fit.params.seasonLength, 1440);
    const f = fit.forecast(1440);
    // The forecast 6 h ahead of the peak phase should be ~20 below it (sine amplitude 10).
    const n = 4 * 1440;
    const peak = f.mean[((1440 / 4 - n) % 1440 + 1440) % 1440 - 1] as number;
    const trough = f.mean[((3 * 1440) / 4 - (n % 1440) + 1440) % 1440 - 1] as number;
    assert.ok(peak - trough > 15 && peak - trough < 25, `peak ${peak} trough ${trough}`);
  });
  it('gaps carry the prediction: residuals are NaN there, the fit stays finite', () => {
    const s = syntheticSeries({ n: 300, stepMs: STEP, level: 20, slope: 0.05, noise: 0.3, seed: 8 });
    for (const i of [50, 51, 52, 200]) s.values[i] = Number.NaN;
    const fit = fitHoltWinters(prepareSeries(s.ts, s.values, STEP), { season: 'none' });
    assert.ok(Number.isNaN(fit.residuals[51] as number));
    assert.ok(Number.isFinite(fit.fitted[51] as number));
    assert.ok(fit.forecast(10).mean.every(Number.isFinite));
  });
  it('damped: the long-horizon forecast levels off', () => {
    const s = syntheticSeries({ n: 300, stepMs: STEP, level: 20, slope: 0.1, noise: 0.3, seed: 8 });
    const fit = fitHoltWinters(prepareSeries(s.ts, s.values, STEP), { season: 'none', damped: true });
    const f = fit.forecast(2000);
    const phi = fit.params.phi as number;
    assert.ok(phi >= 0.8 && phi <= 0.98);
    assert.ok(Math.abs((f.mean[1999] as number) - (f.mean[1998] as number)) < 1e-9);
  });
  it('rejects multiplicative seasonality for non-positive data and a wrong initial season', () => {
    const values = Array.from({ length: 60 }, (_, i) => Math.sin(i));
    const s = prepareSeries(values.map((_, i) => i), values, 1);
    assert.throws(() => fitHoltWinters(s, { seasonLength: 12, seasonality: 'multiplicative' }), ForecastInputError);
    assert.throws(() => fitHoltWinters(s, { seasonLength: 12, initial: { level: 0, trend: 0, season: [1, 2] } }), /initial.season/);
  });
});

describe('hwInitialStates', () => {
  it('odd season lengths use a plain centred moving average', () => {
    const values = Float64Array.from({ length: 14 }, (_, i) => 5 + (i % 7));
    const init = hwInitialStates(values, 7, false, true);
    assert.ok(Math.abs(init.trend) < 1e-12);
    let sum = 0;
    for (const v of init.season) sum += v;
    assert.ok(Math.abs(sum) < 1e-9);
  });
  it('interpolateGaps fills interior runs linearly and edges with the nearest value', () => {
    assert.deepEqual(Array.from(interpolateGaps(Float64Array.from([Number.NaN, 1, Number.NaN, Number.NaN, 4, Number.NaN]))), [1, 1, 2, 3, 4, 4]);
  });
});
