import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { SecurityEvent, SecurityEventPage } from '../../../src/protocol/security.js';
import { EMPTY_FILTER } from './event-filter.js';
import { addLiveEvent, appendPage, facetEntries, fromFirstPage, matchesFilter } from './event-list.js';

function ev(id: string, over: Partial<SecurityEvent> = {}): SecurityEvent {
  return {
    event_id: id,
    ts: 1_000,
    event_type: 'auth_failure',
    severity: 'low',
    source: 'auth-log',
    description: 'Failed password for root',
    host: 'web-1',
    agent_id: 'a1',
    triage: 'new',
    suppressed_by: null,
    received_at: 1_001,
    ...over,
  };
}

const page = (events: SecurityEvent[], next?: string): SecurityEventPage => ({
  events,
  next_cursor: next,
  total: 10,
  facets: { severity: { low: 8, critical: 2 }, event_type: { auth_failure: 10 }, triage: { new: 10 } },
});

describe('SOC event list', () => {
  it('appends "load more" pages without repeating events pushed live meanwhile', () => {
    let s = fromFirstPage(page([ev('a'), ev('b')], 'c1'));
    s = addLiveEvent(s, ev('live', { severity: 'critical' }), 'time');
    s = appendPage(s, page([ev('live', { severity: 'critical' }), ev('c')]));
    assert.deepEqual(
      s.events.map((e) => e.event_id),
      ['live', 'a', 'b', 'c'],
    );
    assert.equal(s.nextCursor, undefined);
  });

  it('puts a live event at the top (time sort) or above the first less severe one (severity sort), and counts it', () => {
    const base = fromFirstPage(page([ev('c1', { severity: 'critical' }), ev('h1', { severity: 'high' }), ev('l1')]));
    const byTime = addLiveEvent(base, ev('n', { severity: 'high' }), 'time');
    assert.equal(byTime.events[0]?.event_id, 'n');
    const bySeverity = addLiveEvent(base, ev('n', { severity: 'high', event_type: 'brute_force' }), 'severity');
    assert.deepEqual(
      bySeverity.events.map((e) => e.event_id),
      ['c1', 'n', 'h1', 'l1'],
    );
    assert.equal(bySeverity.total, 11);
    assert.equal(bySeverity.facets.severity.high, 1);
    assert.equal(bySeverity.facets.event_type.brute_force, 1);
    assert.deepEqual(bySeverity.fresh, ['n']);
    assert.equal(addLiveEvent(bySeverity, ev('n'), 'severity'), bySeverity, 'a repeat is ignored');
  });

  it('matches live events against the filter', () => {
    assert.ok(matchesFilter(ev('a'), EMPTY_FILTER));
    assert.ok(!matchesFilter(ev('a', { suppressed_by: 's1' }), EMPTY_FILTER));
    assert.ok(matchesFilter(ev('a', { suppressed_by: 's1' }), { ...EMPTY_FILTER, includeSuppressed: true }));
    assert.ok(!matchesFilter(ev('a'), { ...EMPTY_FILTER, severities: ['critical'] }));
    assert.ok(!matchesFilter(ev('a'), { ...EMPTY_FILTER, host: 'db-1' }));
    assert.ok(matchesFilter(ev('a'), { ...EMPTY_FILTER, q: 'PASSWORD' }));
    assert.ok(!matchesFilter(ev('a'), { ...EMPTY_FILTER, q: 'sudo' }));
    assert.ok(!matchesFilter(ev('a', { ts: Date.parse('2026-01-01T00:00:00Z') }), { ...EMPTY_FILTER, from: '2026-06-01T00:00:00Z' }));
    assert.ok(!matchesFilter(ev('a'), { ...EMPTY_FILTER, triage: ['acknowledged'] }));
    assert.ok(!matchesFilter(ev('a'), { ...EMPTY_FILTER, types: ['brute_force'] }));
  });

  it('lists facet entries with a count in canonical order', () => {
    assert.deepEqual(facetEntries({ critical: 2, low: 3, high: 0 }, ['low', 'medium', 'high', 'critical']), [
      ['low', 3],
      ['critical', 2],
    ]);
  });
});
