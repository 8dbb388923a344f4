import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { SecurityEvent } from '../../../src/protocol/security.js';
import { contextWindow, metadataRows, mitreUrl, triageActions, windowAround } from './event-detail.js';
import { scopesFor, suppressionBody } from './suppression-form.js';
import { MAX_SAVED_FILTERS, withoutSavedFilter, withSavedFilter } from './saved-filters.js';

const event: SecurityEvent = {
  event_id: '6f1c1c5e-7a43-4c55-9d0f-0b8f3c1f2a10',
  ts: 1_700_000_000_000,
  event_type: 'auth_failure',
  severity: 'medium',
  source: 'auth-log',
  description: 'Failed password',
  metadata: { src_ip: '203.0.113.7', user: 'root', port: 22, nested: { a: 1 } },
  host: 'web-1',
  agent_id: null,
  triage: 'new',
  suppressed_by: null,
  received_at: 1_700_000_000_500,
};

describe('event detail helpers', () => {
  it('links only well-formed MITRE technique ids', () => {
    assert.equal(mitreUrl('T1110'), 'https://attack.mitre.org/techniques/T1110/');
    assert.equal(mitreUrl('T1110.001'), 'https://attack.mitre.org/techniques/T1110/001/');
    fc.assert(
      fc.property(fc.string(), (s) => {
        const url = mitreUrl(s);
        assert.ok(url === null || /^https:\/\/attack\.mitre\.org\/techniques\/T\d{4}\/(\d{3}\/)?$/.test(url));
      }),
    );
    assert.equal(mitreUrl('javascript:alert(1)'), null);
    assert.equal(mitreUrl(undefined), null);
  });

  it('spans ±10 min around the event', () => {
    assert.deepEqual(windowAround(1_000_000_000), { start: 1_000_000_000 - 600_000, end: 1_000_000_000 + 600_000 });
  });

  it('charts ±10 min in 30 s buckets, querying no further than now', () => {
    const ts = Date.UTC(2026, 11, 6, 3, 0, 7);
    const past = contextWindow(ts, ts + 3_600_000);
    assert.deepEqual(past, { start: ts - 600_000, end: ts + 600_000, queryStart: Date.UTC(2026, 11, 6, 2, 50, 0), queryEnd: ts + 600_000, step: 30_000 });
    const recent = contextWindow(ts, ts + 60_000);
    assert.equal(recent.queryEnd, ts + 60_000, 'the query stops at now; the axis still spans the window');
    assert.equal(recent.end, ts + 600_000);
    fc.assert(
      fc.property(fc.integer({ min: 1e12, max: 4e12 }), fc.integer({ min: -1e6, max: 1e7 }), (t, dNow) => {
        const w = contextWindow(t, t + dNow);
        assert.ok(w.queryStart <= w.start && w.start - w.queryStart < w.step);
        assert.ok(w.queryEnd > w.queryStart && w.queryEnd <= Math.max(w.end, w.queryStart + w.step));
        assert.ok((w.queryEnd - w.queryStart) / w.step <= 41);
      }),
    );
  });

  it('renders metadata values as text', () => {
    assert.deepEqual(metadataRows(event.metadata), [
      ['src_ip', '203.0.113.7'],
      ['user', 'root'],
      ['port', '22'],
      ['nested', '{"a":1}'],
    ]);
    assert.deepEqual(metadataRows(undefined), []);
  });

  it('offers triage moves forward, to false positive, and reopen', () => {
    assert.deepEqual(triageActions('new'), ['acknowledged', 'resolved', 'false_positive']);
    assert.deepEqual(triageActions('false_positive'), ['new']);
  });
});

describe('suppression form', () => {
  it('builds a body per scope, requiring a reason and 1..365 days', () => {
    assert.deepEqual(scopesFor(event), ['host', 'src_ip']);
    assert.deepEqual(scopesFor({ ...event, metadata: {} }), ['host']);
    assert.deepEqual(suppressionBody(event, 'host', '7', ' scanner '), { event_type: 'auth_failure', host: 'web-1', days: 7, reason: 'scanner' });
    assert.deepEqual(suppressionBody(event, 'src_ip', '30', 'pentest'), { event_type: 'auth_failure', src_ip: '203.0.113.7', days: 30, reason: 'pentest' });
    assert.ok('error' in suppressionBody(event, 'host', '0', 'x'));
    assert.ok('error' in suppressionBody(event, 'host', '366', 'x'));
    assert.ok('error' in suppressionBody(event, 'host', '1.5', 'x'));
    assert.ok('error' in suppressionBody(event, 'host', '7', '  '));
    assert.ok('error' in suppressionBody({ ...event, metadata: undefined }, 'src_ip', '7', 'x'));
  });
});

describe('saved filters', () => {
  it('adds, replaces by name and deletes', () => {
    const one = withSavedFilter([], ' brute ', 'type=brute_force');
    assert.deepEqual(one, [{ name: 'brute', query: 'type=brute_force' }]);
    const replaced = withSavedFilter(one as never, 'brute', 'severity=high');
    assert.deepEqual(replaced, [{ name: 'brute', query: 'severity=high' }]);
    assert.deepEqual(withoutSavedFilter(replaced as never, 'brute'), []);
    assert.ok('error' in withSavedFilter([], '  ', 'x'));
    const full = Array.from({ length: MAX_SAVED_FILTERS }, (_, i) => ({ name: `f${i}`, query: '' }));
    assert.ok('error' in withSavedFilter(full, 'new', ''));
    assert.ok(Array.isArray(withSavedFilter(full, 'f3', 'q=x')));
  });
});
