import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Feed } from './feed.js';

test('feed delivers to current listeners only', () => {
  const feed = new Feed<number>();
  const got: number[] = [];
  const off = feed.subscribe((v) => got.push(v));
  feed.emit(1);
  assert.equal(feed.listenerCount, 1);
  off();
  feed.emit(2);
  assert.deepEqual(got, [1]);
  assert.equal(feed.listenerCount, 0);
});
