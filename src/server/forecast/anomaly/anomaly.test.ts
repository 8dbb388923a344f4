import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { ForecastInputError } from '../forecast-input-error.js';
import { createForecastRegistry } from '../forecast-registry.js';
import { prepareSeries } from '../prepare-series.js';
import { syntheticSeries } from '../testing/synthetic-series.js';
import { createAnomalyRegistry } from './anomaly-registry.js';
import { medianMad, sortedMad, sortedMedian } from './robust-stats.js';
import { rollingMedianMad } from './rolling-median-mad.js';

const STEP = 60_000;
const detectors = createAnomalyRegistry(createForecastRegistry());

function naiveMedian(a: number[]): number {
  const s = [...a].sort((x, y) => x - y);
  const h = s.length >> 1;
  return s.length % 2 ? (s[h] as number) : ((s[h - 1] as number) + (s[h] as number)) / 2;
}

describe('robust statistics', () => {
  it('median and MAD match a naive implementation (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -50, max: 50 }), { minLength: 1, maxLength: 40 }), (a) => {
        const s = Float64Array.from(a).sort();
        const m = sortedMedian(s);
        assert.equal(m, naiveMedian(a));
        assert.equal(sortedMad(s, m), naiveMedian(a.map((v) => Math.abs(v - m))));
      }),
    );
  });
  it('rolling median/MAD over the previous window equals the naive computation (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.integer({ min: -20, max: 20 }), fc.constant(Number.NaN)), { minLength: 1, maxLength: 80 }),
        fc.integer({ min: 1, max: 12 }),
        (a, w) => {
          const y = Float64Array.from(a);
          const r = rollingMedianMad(y, w, 1);
          for (let t = 0; t < a.length; t++) {
            const win = a.slice(Math.max(0, t - w), t).filter((v) => !Number.isNaN(v));
            if (win.length === 0) {
              assert.ok(Number.isNaN(r.median[t] as number));
              continue;
            }
            const { median, mad } = medianMad(win);
            assert.equal(r.median[t], median);
            assert.equal(r.mad[t], mad);
          }
        },
      ),
    );
  });
});

describe('robust-z', () => {
  it('flags an injected spike and nothing else in noise', () => {
    const s = syntheticSeries({ n: 600, stepMs: STEP, level: 50, noise: 1, seed: 21 });
    s.values[400] = (s.values[400] as number) + 15;
    const r = detectors.get('robust-z').detect(prepareSeries(s.ts, s.values, STEP), { threshold: 5 });
    assert.equal(r.anomalous[400], 1);
    assert.equal(r.count, 1, `flagged ${r.count}`);
    assert.ok((r.score[400] as number) > 10);
    assert.ok((r.upper[400] as number) < (s.values[400] as number));
  });
  it('minimum deviation: a 1-byte wiggle on a flat series is not an anomaly, a real step is', () => {
    const values = Array.from({ length: 200 }, (_, i) => 8e10 + (i === 150 ? 1 : 0) + (i === 180 ? 5e8 : 0));
    const r = detectors.get('robust-z').detect(prepareSeries(values.map((_, i) => i * STEP), values, STEP));
    assert.equal(r.anomalous[150], 0);
    assert.equal(r.anomalous[180], 1);
    // Without any floor a perfectly flat history makes every change maximally surprising.
    const bare = detectors.get('robust-z').detect(prepareSeries(values.map((_, i) => i * STEP), values, STEP), { minRelDeviation: 0 });
    assert.equal(bare.anomalous[150], 1);
    assert.equal(bare.score[150], 1e6);
  });
  it('bad options are typed errors', () => {
    const s = prepareSeries([0, STEP, 2 * STEP], [1, 2, 3], STEP);
    assert.throws(() => detectors.get('robust-z').detect(s, { window: 0 }), ForecastInputError);
    assert.throws(() => detectors.get('robust-z').detect(s, { threshold: 'high' }), ForecastInputError);
    assert.throws(() => detectors.get('nope'), ForecastInputError);
  });
});

describe('seasonal-baseline', () => {
  it('a value that is normal at 06:00 (the daily peak) is flagged at 18:00 (the trough)', () => {
    // Three weeks, 5-minute step, daily sine peaking at 06:00 (80) with its trough at 18:00 (20).
    const step = 300_000;
    const s = syntheticSeries({ n: 21 * 288, stepMs: step, level: 50, dailyAmplitude: 30, noise: 1, seed: 5 });
    const target = 20 * 288 + 216; // day 20, 18:00
    assert.ok(Math.abs((s.values[72] as number) - 80) < 4, 'the 06:00 level is ~80');
    s.values[target] = 80;
    const r = detectors.get('seasonal-baseline').detect(prepareSeries(s.ts, s.values, step), { period: 'day', threshold: 4 });
    assert.equal(r.anomalous[target], 1);
    let others = 0;
    for (let i = 0; i < r.anomalous.length; i++) if (i !== target && r.anomalous[i]) others++;
    assert.ok(others <= 2, `false positives ${others}`);
    assert.match(r.spec, /hour-of-day/);
  });
  it('weekly slots need a previous week; the first week is NaN', () => {
    const step = 3_600_000;
    const s = syntheticSeries({ n: 24 * 21, stepMs: step, level: 10, noise: 1, seed: 6 });
    const r = detectors.get('seasonal-baseline').detect(prepareSeries(s.ts, s.values, step), { period: 'week', minSamples: 1 });
    assert.ok(Number.isNaN(r.score[0] as number));
    assert.ok(Number.isFinite(r.score[24 * 8] as number));
    assert.match(r.spec, /hour-of-week/);
  });
  it('too little history is a TOO_SHORT error', () => {
    const s = syntheticSeries({ n: 100, stepMs: STEP, seed: 1 });
    assert.throws(() => detectors.get('seasonal-baseline').detect(prepareSeries(s.ts, s.values, STEP)), /one full day/);
  });
});

describe('forecast-residual', () => {
  it('flags a spike on a seasonal series with the Holt-Winters one-step residual', () => {
    const s = syntheticSeries({ n: 4 * 1440, stepMs: STEP, level: 50, dailyAmplitude: 10, noise: 0.5, seed: 3 });
    s.values[5000] = (s.values[5000] as number) + 8;
    const r = detectors.get('forecast-residual').detect(prepareSeries(s.ts, s.values, STEP), { threshold: 6 });
    assert.equal(r.anomalous[5000], 1);
    assert.ok(r.count <= 3, `flagged ${r.count}`);
    assert.match(r.spec, /Holt-Winters/);
  });
  it('can use another model and rejects auto', () => {
    const s = syntheticSeries({ n: 300, stepMs: STEP, level: 5, noise: 1, seed: 3 });
    const p = prepareSeries(s.ts, s.values, STEP);
    assert.match(detectors.get('forecast-residual').detect(p, { model: 'ewma' }).spec, /EWMA/);
    assert.throws(() => detectors.get('forecast-residual').detect(p, { model: 'auto' }), ForecastInputError);
  });
});

describe('every detector: arbitrary input gives finite-or-NaN scores or a typed error', () => {
  const value = fc.oneof(
    { arbitrary: fc.double({ min: -1e6, max: 1e6, noNaN: true }), weight: 8 },
    { arbitrary: fc.constantFrom(Number.NaN, Infinity, -Infinity, 0, 1e90), weight: 2 },
  );
  for (const name of detectors.names()) {
    it(name, () => {
      fc.assert(
        fc.property(fc.array(value, { maxLength: 400, size: 'max' }), fc.integer({ min: 1000, max: 3_600_000 }), (values, step) => {
          try {
            const r = detectors.get(name).detect(prepareSeries(values.map((_, i) => i * step), values, step));
            for (const s of r.score) assert.ok(Number.isNaN(s) || Number.isFinite(s));
            for (let i = 0; i < r.score.length; i++) assert.equal(r.anomalous[i] === 1, Math.abs(r.score[i] as number) >= r.threshold);
          } catch (err) {
            if (!(err instanceof ForecastInputError)) throw err;
          }
        }),
        { numRuns: 40 },
      );
    });
  }
});
