import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { CounterRates } from './counter-rates.js';

test('CounterRates: first reading has no rate, then per-second deltas; reset and stalled clock give null', () => {
  const r = new CounterRates();
  assert.equal(r.rate('a', 100, 1000), null);
  assert.equal(r.rate('a', 300, 3000), 100);
  assert.equal(r.rate('a', 50, 4000), null);
  assert.equal(r.rate('a', 150, 5000), 100);
  assert.equal(r.rate('a', 160, 5000), null);
});

test('CounterRates: sweep forgets keys not seen in the pass', () => {
  const r = new CounterRates();
  r.begin();
  r.rate('eth0', 1, 0);
  r.rate('eth1', 1, 0);
  r.sweep();
  r.begin();
  r.rate('eth0', 2, 1000);
  r.sweep();
  r.begin();
  assert.equal(r.rate('eth1', 5, 2000), null);
  assert.equal(r.rate('eth0', 3, 2000), 1);
});

test('CounterRates never returns a negative or non-finite rate', () => {
  fc.assert(
    fc.property(fc.array(fc.tuple(fc.nat(), fc.integer({ min: -5000, max: 5000 })), { maxLength: 50 }), (steps) => {
      const r = new CounterRates();
      let at = 0;
      for (const [value, dt] of steps) {
        at += dt;
        const v = r.rate('k', value, at);
        assert.ok(v === null || (Number.isFinite(v) && v >= 0));
      }
    }),
  );
});
