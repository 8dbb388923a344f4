import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ServerClock } from './server-clock.js';

test('server clock ignores sub-tolerance offsets and outliers', () => {
  const clock = new ServerClock(() => 1_000_000);
  clock.observe(800);
  assert.equal(clock.offsetMs, 0);
  for (const o of [30_000, 30_200, 29_900, 500_000]) clock.observe(o);
  assert.ok(clock.offsetMs >= 29_900 && clock.offsetMs <= 30_200);
  assert.equal(clock.serverNow(), 1_000_000 + clock.offsetMs);
  clock.observe(Number.NaN);
  assert.ok(clock.offsetMs >= 29_900 && clock.offsetMs <= 30_200);
});
