import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ModelOptions } from './forecast-model.js';
import { createForecastRegistry } from './forecast-registry.js';
import { prepareSeries } from './prepare-series.js';
import { syntheticSeries } from './testing/synthetic-series.js';

const registry = createForecastRegistry();

describe('warmStart: refit without optimisation reproduces the fit', () => {
  const daily = syntheticSeries({ n: 4 * 288, stepMs: 300_000, level: 50, slope: 0.01, dailyAmplitude: 10, ar: 0.5, noise: 1, seed: 12 });
  const s = prepareSeries(daily.ts, daily.values, 300_000);
  for (const name of ['sma', 'ewma', 'linear', 'holt-winters', 'arima']) {
    it(`${name} (options survive a JSON round trip, as when stored with an alert rule)`, () => {
      const fit = registry.get(name).fit(s);
      assert.ok(fit.warmStart, 'warmStart present');
      const stored = JSON.parse(JSON.stringify(fit.warmStart)) as ModelOptions;
      const again = registry.get(name).fit(s, stored);
      assert.equal(again.spec, fit.spec);
      const a = fit.forecast(288);
      const b = again.forecast(288);
      for (let i = 0; i < 288; i++) {
        assert.ok(Math.abs((a.mean[i] as number) - (b.mean[i] as number)) <= 1e-9 * Math.max(1, Math.abs(a.mean[i] as number)), `mean ${i}`);
        assert.ok(Math.abs((a.se[i] as number) - (b.se[i] as number)) <= 1e-9 * Math.max(1, a.se[i] as number), `se ${i}`);
      }
    });
  }
  it('auto returns the winner’s warm start, usable with the winner', () => {
    const fit = registry.get('auto').fit(s, { horizon: 144 });
    const again = registry.get(fit.model).fit(s, fit.warmStart);
    assert.equal(again.spec, fit.spec);
  });
});
