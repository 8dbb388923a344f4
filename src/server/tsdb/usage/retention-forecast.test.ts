import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { forecastRetention } from './retention-forecast.js';

const DAY = 86_400_000;

test('a tier that fills up before the disk does never fills it', () => {
  const f = forecastRetention({ tiers: [{ bytes: 100, retentionMs: 10 * DAY, ageMs: 5 * DAY, growthPerDay: 20 }], freeBytes: 1000 });
  assert.deepEqual(f, { daysUntilFull: null, steadyStateBytes: 200, tierSteadyBytes: [200] });
});

test('the disk fills during the growth phase: days = free / summed rates, then per phase', () => {
  const tiers = [
    { bytes: 0, retentionMs: 2 * DAY, ageMs: 0, growthPerDay: 100 },
    { bytes: 0, retentionMs: 30 * DAY, ageMs: 0, growthPerDay: 10 },
  ];
  // Days 0-2 at 110/day use 220; then 10/day: 1000 - 220 = 780 more → day 2 + 78 = 80 > 30 → never (steady).
  assert.equal(forecastRetention({ tiers, freeBytes: 1000 }).daysUntilFull, null);
  // 200 free: full during the first phase at 200 / 110 days.
  assert.equal(forecastRetention({ tiers, freeBytes: 200 }).daysUntilFull, 200 / 110);
  // 400 free: 220 in the first two days, then 180 / 10 = 18 days → day 20.
  assert.equal(forecastRetention({ tiers, freeBytes: 400 }).daysUntilFull, 20);
});

test('unknown free space or growth gives no day count', () => {
  assert.equal(forecastRetention({ tiers: [{ bytes: 1, retentionMs: DAY, ageMs: 0, growthPerDay: 1 }], freeBytes: null }).daysUntilFull, null);
  const f = forecastRetention({ tiers: [{ bytes: 1, retentionMs: DAY, ageMs: 0, growthPerDay: null }], freeBytes: 10 });
  assert.deepEqual(f, { daysUntilFull: null, steadyStateBytes: null, tierSteadyBytes: [null] });
});

test('property: the predicted day is when cumulative growth equals the free space', () => {
  const tier = fc.record({ retentionDays: fc.integer({ min: 1, max: 800 }), ageDays: fc.integer({ min: 0, max: 800 }), rate: fc.integer({ min: 0, max: 1e9 }) });
  fc.assert(
    fc.property(fc.array(tier, { minLength: 1, maxLength: 3 }), fc.integer({ min: 1, max: 1e12 }), (ts, free) => {
      const tiers = ts.map((t) => ({ bytes: 0, retentionMs: t.retentionDays * DAY, ageMs: t.ageDays * DAY, growthPerDay: t.rate }));
      const { daysUntilFull } = forecastRetention({ tiers, freeBytes: free });
      const grownBy = (d: number) => tiers.reduce((a, t) => a + t.growthPerDay * Math.min(d, Math.max(0, (t.retentionMs - t.ageMs) / DAY)), 0);
      if (daysUntilFull === null) assert.ok(grownBy(1e6) < free);
      else assert.ok(Math.abs(grownBy(daysUntilFull) - free) <= free * 1e-9 + 1e-6);
    }),
  );
});
