import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Ticker } from './ticker.js';
import { ManualScheduler } from '../testing/manual-scheduler.js';

test('ticker runs a timer only while someone listens', () => {
  const clock = new ManualScheduler(1_000_500);
  const ticker = new Ticker(clock, 1000);
  assert.equal(clock.pendingCount, 0);
  const seen: number[] = [];
  const off = ticker.subscribe((now) => seen.push(now));
  assert.equal(clock.pendingCount, 1);
  clock.advance(2_600);
  // Ticks are aligned to whole seconds of the clock.
  assert.deepEqual(seen, [1_001_000, 1_002_000, 1_003_000]);
  off();
  assert.equal(clock.pendingCount, 0);
  assert.equal(ticker.running, false);
  clock.advance(5000);
  assert.equal(seen.length, 3);
});

test('ticker shares one timer between listeners and survives unsubscribe during a tick', () => {
  const clock = new ManualScheduler(0);
  const ticker = new Ticker(clock, 1000);
  let a = 0;
  let b = 0;
  const offB = ticker.subscribe(() => b++);
  const offA = ticker.subscribe(() => {
    a++;
    offB();
  });
  assert.equal(clock.pendingCount, 1);
  clock.advance(1000);
  clock.advance(1000);
  assert.equal(a, 2);
  assert.equal(b, 1);
  assert.equal(ticker.listenerCount, 1);
  offA();
  assert.equal(clock.pendingCount, 0);
});
