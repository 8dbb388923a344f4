// The evidence scenarios at the model level (phase 2 repeats them through ingest and the
// alert engine): a daily-seasonal series with an injected spike, and a filling disk.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createForecasting, lastValue, prepareSeries, timeToThreshold } from './index.js';
import { gaussian, mulberry32, syntheticSeries } from './testing/synthetic-series.js';

const STEP = 60_000;
const { models, detectors } = createForecasting();

describe('scenario: spike on a daily-seasonal series', () => {
  const s = syntheticSeries({ n: 7 * 1440, stepMs: STEP, level: 40, dailyAmplitude: 15, ar: 0.5, noise: 1, seed: 77 });
  const spikeAt = 6 * 1440 + 14 * 60; // day 7, 14:00, five minutes
  for (let k = 0; k < 5; k++) s.values[spikeAt + k] = (s.values[spikeAt + k] as number) + 12;
  const series = prepareSeries(s.ts, s.values, STEP);
  for (const [name, options] of [
    // A short window: over an hour the daily swing itself inflates the MAD (robust-z is seasonality-blind).
    ['robust-z', { window: 15, threshold: 6 }],
    ['seasonal-baseline', { period: 'day', threshold: 6 }],
    ['forecast-residual', { threshold: 6 }],
  ] as const) {
    it(`${name} flags the spike and (almost) nothing else`, () => {
      const r = detectors.get(name).detect(series, options);
      assert.equal(r.anomalous[spikeAt], 1, `spike start score ${r.score[spikeAt]}`);
      let elsewhere = 0;
      for (let i = 0; i < r.anomalous.length; i++) if (r.anomalous[i] && (i < spikeAt || i >= spikeAt + 6)) elsewhere++;
      assert.ok(elsewhere <= 0.002 * r.anomalous.length, `${elsewhere} false positives`);
      assert.ok((r.upper[spikeAt] as number) < (s.values[spikeAt] as number));
    });
  }
});

describe('scenario: disk filling at 2 GB/h', () => {
  const g = gaussian(mulberry32(5));
  const size = 100e9;
  const rate = 2e9 / 60; // bytes per minute
  const n = 12 * 60; // 12 h of history, ending at 60 GB + 24 GB = 84 GB
  const ts = Array.from({ length: n }, (_, i) => i * STEP);
  const used = ts.map((_, i) => 60e9 + rate * i + 50e6 * g());
  const truthMs = ((0.95 * size - (60e9 + rate * (n - 1))) / rate) * STEP; // 95 GB in ~5.5 h

  it('the linear forecast crossing of 95 % is within 2 % of the truth, the 95 % band warns earlier', () => {
    const series = prepareSeries(ts, used, STEP);
    const fit = models.get('linear').fit(series);
    const t = timeToThreshold(fit.forecast(24 * 60), 0.95 * size, lastValue(series));
    assert.ok(t.mean && Math.abs(t.mean.inMs - truthMs) < 0.02 * truthMs, `${t.mean?.inMs} vs ${truthMs}`);
    assert.ok(t.earliest && t.earliest.inMs < t.mean.inMs && t.earliest.inMs > 3 * 3_600_000);
  });
  it('auto agrees that the disk fills within the day', () => {
    const series = prepareSeries(ts, used, STEP);
    const fit = models.get('auto').fit(series, { horizon: 120 });
    const t = timeToThreshold(fit.forecast(24 * 60), 0.95 * size, lastValue(series));
    assert.ok(t.mean && Math.abs(t.mean.inMs - truthMs) < 0.1 * truthMs, `${fit.spec}: ${t.mean?.inMs} vs ${truthMs}`);
  });
});
