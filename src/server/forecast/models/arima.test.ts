import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { prepareSeries } from '../prepare-series.js';
import { gaussian, mulberry32 } from '../testing/synthetic-series.js';
import { fitArima } from './arima.js';
import { arToPacf, expandAr, pacfToAr, psiWeights } from './arima-polynomials.js';

const STEP = 60_000;

function simulate(n: number, phi: number[], theta: number[], d: number, mu: number, seed: number): number[] {
  const g = gaussian(mulberry32(seed));
  const burn = 200;
  const w: number[] = [];
  const e: number[] = [];
  for (let t = 0; t < n + burn; t++) {
    const et = g();
    let v = et;
    phi.forEach((p, i) => (v += p * ((w[t - i - 1] ?? 0) - 0)));
    theta.forEach((q, j) => (v += q * (e[t - j - 1] ?? 0)));
    w.push(v);
    e.push(et);
  }
  let x = w.slice(burn).map((v) => v + mu);
  for (let k = 0; k < d; k++) {
    let acc = 0;
    x = x.map((v) => (acc += v));
  }
  return x;
}

const prep = (v: number[]) =>
  prepareSeries(
    v.map((_, i) => i * STEP),
    v,
    STEP,
  );

describe('ARIMA order selection on simulated data', () => {
  it('AR(1) with mean: d = 0, φ₁ ≈ 0.6', () => {
    const fit = fitArima(prep(simulate(3000, [0.6], [], 0, 10, 1)));
    assert.equal(fit.params.d, 0);
    const phi = fit.params.phi as number[];
    const theta = fit.params.theta as number[];
    // An ARMA(2,1) can mimic an AR(1); check the implied ψ₁ (= φ₁ + θ₁) rather than the order.
    assert.ok(Math.abs((phi[0] ?? 0) + (theta[0] ?? 0) - 0.6) < 0.06, fit.spec);
    assert.ok(Math.abs((fit.params.mu as number) - 10) < 0.2);
  });
  it('random walk with MA(1) noise: d = 1, θ₁ ≈ −0.5', () => {
    const fit = fitArima(prep(simulate(3000, [], [-0.5], 1, 0, 2)));
    assert.equal(fit.params.d, 1);
    assert.equal(fit.spec.startsWith('ARIMA(0,1,1)') || fit.spec.startsWith('ARIMA(1,1,1)') || fit.spec.startsWith('ARIMA(0,1,2)'), true, fit.spec);
  });
  it('AIC prefers the true small order on most seeds (AR(2))', () => {
    let hits = 0;
    for (let seed = 1; seed <= 5; seed++) {
      const fit = fitArima(prep(simulate(1500, [0.5, 0.3], [], 0, 0, seed)), { maxD: 0 });
      if (fit.params.p === 2 && fit.params.q === 0) hits++;
    }
    assert.ok(hits >= 3, `AR(2) recovered on ${hits}/5 seeds`);
  });
  it('gaps: the prediction stands in, the residual is NaN, forecasts are finite', () => {
    const v = simulate(500, [0.7], [], 0, 5, 3);
    v[100] = Number.NaN;
    v[101] = Number.NaN;
    const fit = fitArima(prep(v), { order: [1, 0, 0] });
    assert.ok(Number.isNaN(fit.residuals[100] as number));
    assert.ok(Number.isFinite(fit.fitted[100] as number));
    assert.ok(fit.forecast(50).mean.every(Number.isFinite));
  });
  it('forecast intervals of a random walk grow like sqrt(h)', () => {
    const fit = fitArima(prep(simulate(1000, [], [], 1, 0, 4)), { order: [0, 1, 0], constant: false });
    const f = fit.forecast(100);
    assert.ok(Math.abs((f.se[99] as number) / (f.se[0] as number) - 10) < 1e-9);
  });
});

describe('ARIMA polynomials', () => {
  it('expandAr multiplies by (1 − B)^d', () => {
    assert.deepEqual(expandAr([0.5], 1), [1.5, -0.5]);
    assert.deepEqual(expandAr([], 2), [2, -1]);
  });
  it('psi weights of an AR(1) are powers of φ', () => {
    const psi = psiWeights([0.5], [], 5);
    assert.deepEqual(Array.from(psi), [1, 0.5, 0.25, 0.125, 0.0625]);
  });
  it('PACF ↔ AR round-trips inside the stationary region (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -0.99, max: 0.99, noNaN: true }), { minLength: 1, maxLength: 5 }), (pacf) => {
        const back = arToPacf(pacfToAr(pacf));
        pacf.forEach((v, i) => assert.ok(Math.abs(v - (back[i] as number)) < 1e-9));
      }),
    );
  });
});

describe('seasonal ARIMA', () => {
  it('auto differences seasonally for a strong daily season and forecasts the daily shape', () => {
    const step = 300_000;
    const g = gaussian(mulberry32(17));
    const n = 5 * 288;
    const v = Array.from({ length: n }, (_, i) => 50 + 20 * Math.sin((2 * Math.PI * i) / 288) + g());
    const fit = fitArima(
      prepareSeries(
        v.map((_, i) => i * step),
        v,
        step,
      ),
    );
    assert.equal(fit.params.D, 1, fit.spec);
    assert.equal(fit.params.seasonLength, 288);
    assert.match(fit.spec, /\[288\]/);
    const f = fit.forecast(288);
    for (let k = 0; k < 288; k++) {
      const truth = 50 + 20 * Math.sin((2 * Math.PI * (n + k)) / 288);
      assert.ok(Math.abs((f.mean[k] as number) - truth) < 3, `step ${k + 1}: ${f.mean[k]} vs ${truth}`);
    }
  });
  it('season: none keeps it non-seasonal; a seasonal order needs a season', () => {
    const v = simulate(600, [0.5], [], 0, 0, 5);
    assert.equal(fitArima(prep(v), { season: 'none' }).params.seasonLength, 0);
    assert.throws(() => fitArima(prep(v), { order: [1, 0, 0], seasonalOrder: [0, 1, 1], season: 'none' }), /seasonalOrder/);
  });
});
