import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withSearch } from './with-search.js';

test('withSearch sets, replaces and removes keys', () => {
  assert.equal(withSearch('/hosts/a', '', { range: '6h' }), '/hosts/a?range=6h');
  assert.equal(withSearch('/hosts/a', '?range=1h&live=0', { range: '24h', live: null }), '/hosts/a?range=24h');
  assert.equal(withSearch('/explore', '?q=x', { q: null }), '/explore');
  assert.equal(withSearch('/explore', '', { q: 'cpu{cpu!="total"}' }), '/explore?q=cpu%7Bcpu%21%3D%22total%22%7D');
});
