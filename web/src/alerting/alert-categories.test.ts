import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { AlertView } from '../../../src/protocol/alerting.js';
import { applyFilter, categoryOf, countByCategory, filterFromSearch, upsertAlert } from './alert-categories.js';
import { formatMatcherText, matchersForAlert, parseMatcherText } from './matcher-text.js';

const base: AlertView = { id: 'a', ruleId: 'r', ruleName: 'HighCPU', fingerprint: 'f', labels: { alertname: 'HighCPU', host: 'web-1', severity: 'critical' }, annotations: { summary: 'CPU busy' }, state: 'firing', severity: 'critical', value: 95, threshold: 90, activeSince: 1, firingSince: 1, resolvedAt: null, lastEvalAt: 1, ack: null, suppressedBy: [], flapping: false, updatedAt: 1 };
const alert = (over: Partial<AlertView>): AlertView => ({ ...base, ...over });

describe('alert categories and filters', () => {
  it('puts each alert in one tab: resolved, silenced, acknowledged, pending, firing', () => {
    assert.equal(categoryOf(base), 'firing');
    assert.equal(categoryOf(alert({ state: 'pending' })), 'pending');
    assert.equal(categoryOf(alert({ ack: { by: 'u', comment: '', at: 1, expiresAt: null } })), 'acknowledged');
    assert.equal(categoryOf(alert({ ack: { by: 'u', comment: '', at: 1, expiresAt: null }, suppressedBy: [{ kind: 'silence', id: 's', description: 'x' }] })), 'silenced');
    assert.equal(categoryOf(alert({ state: 'resolved' })), 'resolved');
  });

  it('filters by tab, severity, host and text; sorts most severe first', () => {
    const list = [alert({ id: 'w', severity: 'warning' }), alert({ id: 'c2', labels: { host: 'db-1' }, firingSince: 5 }), base, alert({ id: 'r', state: 'resolved' })];
    const f = filterFromSearch(new URLSearchParams(''));
    assert.deepEqual(applyFilter(list, f).map((a) => a.id), ['c2', 'a', 'w']);
    assert.deepEqual(applyFilter(list, { ...f, host: 'db-1' }).map((a) => a.id), ['c2']);
    assert.deepEqual(applyFilter(list, { ...f, severity: 'warning' }).map((a) => a.id), ['w']);
    assert.deepEqual(applyFilter(list, { ...f, text: 'cpu BUSY' }).length, 3);
    assert.deepEqual(countByCategory(list), { firing: 3, pending: 0, acknowledged: 0, silenced: 0, resolved: 1 });
    assert.equal(filterFromSearch(new URLSearchParams('tab=bogus&severity=x')).category, 'firing');
    assert.deepEqual(upsertAlert(list, alert({ id: 'w', state: 'resolved' })).map((a) => [a.id, a.state]), [['w', 'resolved'], ['c2', 'firing'], ['a', 'firing'], ['r', 'resolved']]);
  });

  it('matcher text round-trips through the protocol parser and reports errors', () => {
    const ms = [{ name: 'host', op: '=' as const, value: 'web-1' }, { name: 'cpu', op: '=~' as const, value: '0|1' }];
    assert.deepEqual(parseMatcherText(formatMatcherText(ms)), { matchers: ms });
    assert.ok('error' in parseMatcherText('host='));
    assert.ok('error' in parseMatcherText('x=~"(a+)+"'), 'unsafe regexes are refused as on the server');
    assert.deepEqual(matchersForAlert(base.labels), [{ name: 'alertname', op: '=', value: 'HighCPU' }, { name: 'host', op: '=', value: 'web-1' }]);
  });
});
