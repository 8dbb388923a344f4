// The two real series recorded from node_exporter (fixtures/node-*.json; how: see their
// `recording` field and scripts/fixtures/record-node-exporter.mjs). Their backtest tables are in
// docs/forecasting.md; these tests pin what must hold on real, messy data.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { rollingOriginBacktest } from './backtest/rolling-origin-backtest.js';
import cpuDoc from './fixtures/node-cpu.json' with { type: 'json' };
import fsDoc from './fixtures/node-filesystem.json' with { type: 'json' };
import { createForecasting, lastValue, prepareSeries, timeToThreshold } from './index.js';

const { models, detectors } = createForecasting();

function load(doc: { series: { t0: number; stepMs: number; values: (number | null)[] } }) {
  const { t0, stepMs, values } = doc.series;
  return prepareSeries(
    values.map((_, i) => t0 + i * stepMs),
    values.map((v) => (v === null ? Number.NaN : v)),
    stepMs,
  );
}

const cpu = load(cpuDoc);
const fsUsed = load(fsDoc);

describe('recorded node_exporter series', () => {
  it('are regular 15 s grids covering at least two hours, with their provenance', () => {
    for (const doc of [cpuDoc, fsDoc]) {
      assert.equal(doc.series.stepMs, 15_000);
      assert.ok(doc.series.values.length >= 480, `${doc.series.values.length} points`);
      assert.match(doc.recording.recordedWith, /prometheus-node-exporter/);
    }
    assert.ok(cpu.y.every((v) => Number.isNaN(v) || (v >= 0 && v <= 100)));
  });
  for (const [label, series] of [
    ['cpu', cpu],
    ['filesystem', fsUsed],
  ] as const) {
    it(`${label}: every model fits and forecasts 30 min with finite, ordered bands`, () => {
      for (const m of models.list()) {
        const fit = m.fit(series, m.name === 'auto' ? { horizon: 120 } : undefined);
        const f = fit.forecast(120);
        for (let k = 0; k < 120; k++) {
          assert.ok(Number.isFinite(f.mean[k] as number), `${m.name} mean ${k}`);
          assert.ok((f.lower95[k] as number) <= (f.lower80[k] as number) && (f.lower80[k] as number) <= (f.upper80[k] as number));
          assert.ok((f.upper80[k] as number) <= (f.upper95[k] as number));
        }
      }
    });
  }
  it('cpu: 30-min bands are calibrated out of sample (measured 79–82 % / 92–95 %)', () => {
    for (const name of ['sma', 'ewma', 'holt-winters', 'arima']) {
      const r = rollingOriginBacktest(cpu, models.get(name), { horizon: 120, folds: 4, stride: 60 });
      assert.ok(r.coverage80 >= 0.7 && r.coverage80 <= 0.92, `${name}: 80 % coverage ${r.coverage80}`);
      assert.ok(r.coverage95 >= 0.87, `${name}: 95 % coverage ${r.coverage95}`);
    }
  });
  it('filesystem: time to full is positive or beyond the horizon, never NaN', () => {
    const fit = models.get('linear').fit(fsUsed);
    const t = timeToThreshold(fit.forecast(24 * 240), fsDoc.sizeBytes, lastValue(fsUsed));
    assert.equal(t.alreadyCrossed, false);
    for (const c of [t.mean, t.earliest, t.latest]) assert.ok(c === null || c.inMs > 0);
  });
  it('detectors flag a small share of points; robust-z flags the filling disk’s trend itself', () => {
    for (const [series, name] of [
      [cpu, 'robust-z'],
      [cpu, 'forecast-residual'],
      [fsUsed, 'forecast-residual'],
    ] as const) {
      const r = detectors.get(name).detect(series);
      assert.ok(r.count < 0.05 * series.y.length, `${name}: ${r.count} of ${series.y.length}`);
    }
    // Level-based: on a trending series the trailing median lags, so many points look high —
    // the documented reason to use forecast-residual there.
    const z = detectors.get('robust-z').detect(fsUsed);
    assert.ok(z.count > 0.05 * fsUsed.y.length, `robust-z on the disk: ${z.count}`);
  });
});
