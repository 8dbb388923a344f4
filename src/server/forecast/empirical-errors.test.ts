import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { empiricalErrors, MIN_PAIRS } from './empirical-errors.js';
import { createForecastRegistry } from './forecast-registry.js';
import { prepareSeries } from './prepare-series.js';

describe('empiricalErrors', () => {
  it('a naive forecast of a unit-step line has error h at horizon h', () => {
    const y = Float64Array.from({ length: 200 }, (_, i) => i);
    const e = empiricalErrors(y, (t) => y[t] as number, 64, 0, 1);
    for (const h of [1, 2, 4, 8, 16, 32, 64]) {
      assert.ok(Math.abs((e.se[h - 1] as number) - h) < 1e-9, `se at ${h}`);
      assert.ok(Math.abs((e.half95[h - 1] as number) - h) < 1e-9, `half95 at ${h}`);
    }
  });
  it('profiles are non-decreasing and 95 % ≥ 80 % (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -100, max: 100, noNaN: true }), { minLength: 2, maxLength: 200 }), fc.integer({ min: 1, max: 300 }), (a, h) => {
        const y = Float64Array.from(a);
        const e = empiricalErrors(y, (t) => y[t] as number, h, 0, 1);
        for (let i = 0; i < h; i++) {
          assert.ok((e.half95[i] as number) >= (e.half80[i] as number) - 1e-12);
          if (i > 0) assert.ok((e.se[i] as number) >= (e.se[i - 1] as number) - 1e-12);
          assert.ok(Number.isFinite(e.se[i] as number));
        }
      }),
    );
  });
  it('too few pairs fall back to the model σ: short non-constant series never get zero-width bands', () => {
    const y = Float64Array.from([1, 2]);
    const e = empiricalErrors(y, () => Number.NaN, 3, 0, 0.5);
    assert.ok((e.se[0] as number) === 0.5 && (e.half95[0] as number) > 0.9);
    assert.equal(MIN_PAIRS, 5);
    const registry = createForecastRegistry();
    for (const name of ['sma', 'ewma', 'holt-winters']) {
      for (let n = 5; n <= 14; n++) {
        const values = Array.from({ length: n }, (_, i) => (i % 3) + i * 0.1);
        try {
          const f = registry.get(name).fit(prepareSeries(values.map((_, i) => i), values, 1)).forecast(5);
          for (let k = 0; k < 5; k++) assert.ok((f.upper95[k] as number) > (f.lower95[k] as number), `${name} n=${n} step ${k + 1}`);
        } catch (err) {
          assert.match(String(err), /needs at least/);
        }
      }
    }
  });
});
