// Property tests (fast-check) over every registered model: the invariants of issue 8.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { ForecastInputError } from './forecast-input-error.js';
import { createForecastRegistry } from './forecast-registry.js';
import { prepareSeries } from './prepare-series.js';

const registry = createForecastRegistry();
const MODELS = registry.names();
const STEP = 60_000;
const T0 = 1_700_000_000_000;
const grid = (n: number): number[] => Array.from({ length: n }, (_, i) => T0 + i * STEP);

/** Runs `f`; passes when it returns or throws ForecastInputError, fails on any other throw. */
function onlyTypedErrors(f: () => void): void {
  try {
    f();
  } catch (err) {
    if (!(err instanceof ForecastInputError)) throw err;
    assert.match(err.code, /^VIGIL_ERR_FORECAST_/);
    assert.ok(err.message.length > 0);
  }
}

describe('every model: constant series → degenerate flat forecast', () => {
  for (const name of MODELS) {
    it(`${name}`, () => {
      fc.assert(
        fc.property(fc.double({ min: -1e9, max: 1e9, noNaN: true }), fc.integer({ min: 30, max: 200 }), fc.integer({ min: 1, max: 50 }), (c, n, h) => {
          const s = prepareSeries(grid(n), new Array<number>(n).fill(c), STEP);
          const fit = registry.get(name).fit(s);
          assert.equal(fit.degenerate, 'constant');
          assert.equal(fit.sigma, 0);
          const f = fit.forecast(h);
          for (let i = 0; i < h; i++) {
            // === rather than Object.is: a forecast of −0 for a series of 0 is the same number.
            assert.ok(f.mean[i] === c && f.lower95[i] === c && f.upper95[i] === c, `step ${i + 1}`);
            assert.equal(f.ts[i], T0 + (n - 1 + i + 1) * STEP);
          }
        }),
        { numRuns: 20 },
      );
    });
  }
});

describe('exact linear series are recovered', () => {
  const line = fc.record({
    a: fc.double({ min: -1e6, max: 1e6, noNaN: true }),
    b: fc.double({ min: -1e3, max: 1e3, noNaN: true }).filter((b) => Math.abs(b) > 1e-3),
    n: fc.integer({ min: 20, max: 300 }),
    h: fc.integer({ min: 1, max: 100 }),
  });
  for (const [name, options] of [
    ['linear', {}],
    ['holt-winters', { season: 'none' }],
  ] as const) {
    it(`${name}: forecast equals the line`, () => {
      fc.assert(
        fc.property(line, ({ a, b, n, h }) => {
          const values = Array.from({ length: n }, (_, i) => a + b * i);
          const fit = registry.get(name).fit(prepareSeries(grid(n), values, STEP), options);
          const f = fit.forecast(h);
          const scale = Math.abs(a) + Math.abs(b) * (n + h);
          for (let k = 0; k < h; k++) {
            assert.ok(Math.abs((f.mean[k] as number) - (a + b * (n + k))) <= 1e-8 * scale, `step ${k + 1}`);
          }
        }),
        { numRuns: 40 },
      );
    });
  }
  it('linear: bands have zero width up to rounding on an exact line', () => {
    const values = Array.from({ length: 50 }, (_, i) => 3 + 2 * i);
    const f = registry.get('linear').fit(prepareSeries(grid(50), values, STEP)).forecast(10);
    for (let k = 0; k < 10; k++) assert.ok((f.upper95[k] as number) - (f.lower95[k] as number) < 1e-9);
  });
});

describe('NaN gaps', () => {
  const withGaps = fc
    .record({
      n: fc.integer({ min: 40, max: 300 }),
      seed: fc.integer({ min: 1, max: 1_000_000 }),
      gapRate: fc.double({ min: 0, max: 0.4, noNaN: true }),
    })
    .map(({ n, seed, gapRate }) => {
      let s = seed;
      const rnd = (): number => {
        s = (s * 16807) % 2147483647;
        return s / 2147483647;
      };
      const values = Array.from({ length: n }, (_, i) => 100 + 10 * Math.sin(i / 5) + 5 * rnd());
      for (let i = 1; i < n - 1; i++) if (rnd() < gapRate) values[i] = Number.NaN;
      return values;
    });
  for (const name of MODELS.filter((m) => m !== 'auto')) {
    it(`${name}: gaps never produce NaN forecasts; results are finite or a typed error`, () => {
      fc.assert(
        fc.property(withGaps, (values) => {
          onlyTypedErrors(() => {
            const fit = registry.get(name).fit(prepareSeries(grid(values.length), values, STEP));
            const f = fit.forecast(20);
            for (const arr of [f.mean, f.se, f.lower95, f.upper95]) for (const v of arr) assert.ok(Number.isFinite(v));
            assert.ok(f.upper95.every((u, i) => u >= (f.lower95[i] as number)));
          });
        }),
        { numRuns: 15 },
      );
    });
  }
  it('missing grid points (absent samples) are gaps, jitter below half a step is absorbed', () => {
    const ts = [T0, T0 + STEP + 1000, T0 + 4 * STEP - 2000, T0 + 5 * STEP];
    const s = prepareSeries(ts, [1, 2, 3, 4], STEP);
    assert.deepEqual(Array.from(s.y), [1, 2, Number.NaN, Number.NaN, 3, 4]);
    assert.equal(s.observed, 4);
  });
  it('leading and trailing gaps are trimmed; the origin is the last finite sample', () => {
    const s = prepareSeries(grid(6), [Number.NaN, 1, 2, 3, Infinity, Number.NaN], STEP);
    assert.equal(s.t0, T0 + STEP);
    assert.deepEqual(Array.from(s.y), [1, 2, 3]);
  });
});

describe('very short series → clear TOO_SHORT error', () => {
  for (const name of MODELS) {
    it(`${name}`, () => {
      for (const n of [1, 2]) {
        const values = Array.from({ length: n }, (_, i) => i * 1.5 + (i % 2));
        assert.throws(
          () => registry.get(name).fit(prepareSeries(grid(n), values, STEP)),
          (err: unknown) => err instanceof ForecastInputError && err.code === 'VIGIL_ERR_FORECAST_TOO_SHORT' && /needs at least \d+/.test(err.message),
        );
      }
    });
  }
  it('seasonal Holt-Winters names the season in the message', () => {
    const values = Array.from({ length: 30 }, (_, i) => Math.sin(i));
    assert.throws(
      () => registry.get('holt-winters').fit(prepareSeries(grid(30), values, STEP), { season: 'daily' }),
      /holt-winters needs at least 2882 finite points \(two seasons of 1440 steps plus 2\); got 30/,
    );
  });
});

describe('arbitrary input never throws anything but ForecastInputError', () => {
  // Mostly ordinary values so the models get past input validation, with specials mixed in.
  const value = fc.oneof(
    { arbitrary: fc.double({ min: -1e6, max: 1e6, noNaN: true }), weight: 8 },
    { arbitrary: fc.integer({ min: -3, max: 3 }), weight: 3 },
    { arbitrary: fc.constantFrom(Number.NaN, Infinity, -Infinity, 1e90, -1e90, 1e100, 5e-324), weight: 1 },
    { arbitrary: fc.double(), weight: 1 },
  );
  for (const name of MODELS.filter((m) => m !== 'auto')) {
    it(`${name}`, () => {
      fc.assert(
        fc.property(fc.array(value, { minLength: 0, maxLength: 120, size: 'max' }), fc.integer({ min: 1, max: 300 }), (values, h) => {
          onlyTypedErrors(() => {
            const s = prepareSeries(grid(values.length), values, STEP);
            const f = registry.get(name).fit(s).forecast(h);
            for (const v of f.mean) assert.ok(Number.isFinite(v));
          });
        }),
        { numRuns: 60 },
      );
    });
  }
  it('auto', () => {
    fc.assert(
      fc.property(fc.array(value, { minLength: 0, maxLength: 60, size: 'max' }), (values) => {
        onlyTypedErrors(() => {
          registry.get('auto').fit(prepareSeries(grid(values.length), values, STEP)).forecast(5);
        });
      }),
      { numRuns: 15 },
    );
  });
  it('malformed series shapes and options are typed errors', () => {
    const bad: (() => unknown)[] = [
      () => prepareSeries([1, 2], [1], STEP),
      () => prepareSeries([2, 1], [1, 2], STEP),
      () => prepareSeries([1, 1], [1, 2], STEP),
      () => prepareSeries([1, Number.NaN], [1, 2], STEP),
      () => prepareSeries([1, 2], [1, 2], 0),
      () => prepareSeries([0, 1e12], [1, 2], 1),
      () => registry.get('nope'),
      () => registry.get('sma').fit(prepareSeries(grid(50), grid(50), STEP), { window: -1 }),
      () => registry.get('sma').fit(prepareSeries(grid(50), grid(50), STEP), { windw: 3 }),
      () => registry.get('arima').fit(prepareSeries(grid(50), grid(50), STEP), { order: [9, 0, 0] }),
      () => registry.get('holt-winters').fit(prepareSeries(grid(50), grid(50), STEP), { initial: 'x' }),
      () => registry.get('ewma').fit(prepareSeries(grid(50), grid(50), STEP)).forecast(0),
      () => registry.get('ewma').fit(prepareSeries(grid(50), grid(50), STEP)).forecast(1.5),
    ];
    for (const f of bad) assert.throws(f, ForecastInputError);
  });
});
