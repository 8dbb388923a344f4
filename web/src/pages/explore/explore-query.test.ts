import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { checkSelector, EMPTY_EXPLORE, exploreSearchChanges, parseExploreSearch, seriesKey, seriesLabel } from './explore-query.js';
import { withSearch } from '../../routing/with-search.js';

test('checkSelector builds the selector and rejects what the server would', () => {
  assert.deepEqual(checkSelector({ metric: 'cpu_usage_percent', filters: [{ name: 'cpu', op: '!=', value: 'total' }, { name: '', op: '=', value: 'x' }] }), {
    ok: true,
    selector: 'cpu_usage_percent{cpu!="total"}',
  });
  assert.equal(checkSelector({ metric: '', filters: [] }).ok, false);
  assert.equal(checkSelector({ metric: '9bad', filters: [] }).ok, false);
  assert.equal(checkSelector({ metric: 'm', filters: [{ name: 'bad-name', op: '=', value: '' }] }).ok, false);
  const regex = checkSelector({ metric: 'm', filters: [{ name: 'a', op: '=~', value: '(a+)+' }] });
  assert.equal(regex.ok, false);
  assert.match((regex as { message: string }).message, /nested quantifiers/);
  assert.equal(checkSelector({ metric: 'm', filters: [{ name: 'a', op: '=~', value: '[' }] }).ok, false);
});

test('explore state round-trips through the URL', () => {
  const state = { ...EMPTY_EXPLORE, metric: 'cpu_usage_percent', filters: [{ name: 'mode', op: '=~' as const, value: 'user|system' }], agg: 'p95' as const, by: 'cpu' };
  const url = withSearch('/explore', '', exploreSearchChanges(state));
  const parsed = parseExploreSearch(new URL(url, 'http://x').searchParams);
  assert.equal(parsed.error, null);
  assert.deepEqual({ ...parsed.state, range: state.range }, state);
  const bad = parseExploreSearch(new URLSearchParams('q=cpu{&agg=evil&by=no-no'));
  assert.match(bad.error ?? '', /invalid/);
  assert.equal(bad.state.agg, 'avg');
  assert.equal(bad.state.by, '');
});

test('property: any URL query string parses without throwing', () => {
  fc.assert(
    fc.property(fc.dictionary(fc.constantFrom('q', 'agg', 'by', 'range', 'x'), fc.string()), (params) => {
      const { state } = parseExploreSearch(new URLSearchParams(params));
      assert.equal(typeof state.metric, 'string');
    }),
  );
});

test('property: label values of any content survive the URL round trip', () => {
  fc.assert(
    fc.property(fc.string(), fc.constantFrom('=', '!=' as const), (value, op) => {
      const state = { ...EMPTY_EXPLORE, metric: 'm', filters: [{ name: 'l', op: op as '=' | '!=', value }] };
      const url = withSearch('/explore', '', exploreSearchChanges(state));
      const parsed = parseExploreSearch(new URL(url, 'http://x').searchParams);
      assert.deepEqual(parsed.state.filters, state.filters);
    }),
  );
});

test('series labels and keys are order-independent', () => {
  assert.equal(seriesLabel({ metric: 'm', labels: {} }), 'm');
  assert.equal(seriesLabel({ metric: 'm', labels: { b: '2', a: '1' } }), 'a="1", b="2"');
  assert.equal(seriesKey({ labels: { b: '2', a: '1' } }), seriesKey({ labels: { a: '1', b: '2' } }));
});
