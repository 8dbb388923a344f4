import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { NormalEquations } from './least-squares.js';
import { minimizeScalar } from './minimize-scalar.js';
import { nelderMead } from './nelder-mead.js';
import { normalCdf, normalQuantile } from './normal-quantile.js';
import { studentTCdf, studentTQuantile } from './student-t-quantile.js';

describe('normalQuantile', () => {
  it('matches R qnorm to 1e-15 relative', () => {
    // R 4.2.2: qnorm(c(0.975, 0.9, 1e-10, 0.3, 0.5))
    const cases: [number, number][] = [
      [0.975, 1.959963984540054],
      [0.9, 1.2815515655446004],
      [1e-10, -6.3613409024040557],
      [0.3, -0.5244005127080407],
      [0.5, 0],
    ];
    for (const [p, q] of cases) assert.ok(Math.abs(normalQuantile(p) - q) <= 1e-15 * Math.max(1, Math.abs(q)), `p=${p}`);
  });
  it('edges and invalid input', () => {
    assert.equal(normalQuantile(0), -Infinity);
    assert.equal(normalQuantile(1), Infinity);
    assert.ok(Number.isNaN(normalQuantile(-0.1)));
    assert.ok(Number.isNaN(normalQuantile(Number.NaN)));
  });
  it('is the inverse of the CDF (property)', () => {
    fc.assert(
      fc.property(fc.double({ min: 1e-6, max: 1 - 1e-6, noNaN: true }), (p) => {
        assert.ok(Math.abs(normalCdf(normalQuantile(p)) - p) < 2e-7);
      }),
    );
  });
});

describe('studentTQuantile', () => {
  it('matches R qt to 1e-12 relative', () => {
    // R: qt(0.975, 1), qt(0.975, 5), qt(0.9, 98), qt(0.025, 3)
    const cases: [number, number, number][] = [
      [0.975, 1, 12.706204736174694],
      [0.975, 5, 2.5705818356363137],
      [0.9, 98, 1.2902499038902822],
      [0.025, 3, -3.1824463052837091],
    ];
    for (const [p, df, q] of cases) assert.ok(Math.abs(studentTQuantile(p, df) - q) <= 1e-12 * Math.abs(q), `p=${p} df=${df}: ${studentTQuantile(p, df)}`);
  });
  it('approaches the normal quantile for large df and inverts its CDF (property)', () => {
    assert.ok(Math.abs(studentTQuantile(0.975, 1e7) - normalQuantile(0.975)) < 1e-6);
    fc.assert(
      fc.property(fc.double({ min: 0.001, max: 0.999, noNaN: true }), fc.integer({ min: 1, max: 500 }), (p, df) => {
        assert.ok(Math.abs(studentTCdf(studentTQuantile(p, df), df) - p) < 1e-10);
      }),
    );
  });
});

describe('nelderMead', () => {
  it('minimises the Rosenbrock function', () => {
    const r = nelderMead((x) => 100 * ((x[1] as number) - (x[0] as number) ** 2) ** 2 + (1 - (x[0] as number)) ** 2, [-1.2, 1], { maxEvals: 2000 });
    assert.ok(Math.abs((r.x[0] as number) - 1) < 1e-4 && Math.abs((r.x[1] as number) - 1) < 1e-4, JSON.stringify(r));
    assert.ok(r.converged);
  });
  it('walks away from non-finite objective values', () => {
    const r = nelderMead((x) => ((x[0] as number) < 0 ? Number.NaN : ((x[0] as number) - 2) ** 2), [0.5], { step: 1 });
    assert.ok(Math.abs((r.x[0] as number) - 2) < 1e-4);
  });
  it('respects the evaluation budget', () => {
    let calls = 0;
    nelderMead(
      (x) => {
        calls++;
        return (x[0] as number) ** 2 + (x[1] as number) ** 2;
      },
      [5, 5],
      { maxEvals: 30, restarts: 0 },
    );
    assert.ok(calls <= 33, `calls ${calls}`); // a shrink may finish its round
  });
});

describe('minimizeScalar', () => {
  it('finds an interior minimum and a boundary minimum', () => {
    assert.ok(Math.abs(minimizeScalar((x) => (x - 0.3) ** 2, 0, 1).x - 0.3) < 1e-6);
    assert.ok(minimizeScalar((x) => x, 0, 1).x < 1e-6);
  });
});

describe('NormalEquations', () => {
  it('solves an exact regression', () => {
    const ne = new NormalEquations(2);
    for (let i = 0; i < 10; i++) ne.add([1, i], 3 + 2 * i);
    const b = ne.solve() as number[];
    assert.ok(Math.abs((b[0] as number) - 3) < 1e-8 && Math.abs((b[1] as number) - 2) < 1e-8);
  });
  it('gives a finite answer for collinear columns', () => {
    const ne = new NormalEquations(2);
    for (let i = 0; i < 10; i++) ne.add([i, 2 * i], i);
    const b = ne.solve();
    assert.ok(b === undefined || b.every(Number.isFinite));
  });
});
