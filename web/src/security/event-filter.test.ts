import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { SECURITY_EVENT_TYPES, SEVERITIES, TRIAGE_STATES } from '../../../src/protocol/security.js';
import { withSearch } from '../routing/with-search.js';
import { EMPTY_FILTER, filterFromApiQuery, filterFromSearch, filterToApiParams, filterToApiQuery, filterToQuery, filterToSearchChanges, localInputToInstant, instantToLocalInput, toggle, type SecurityFilter } from './event-filter.js';

const subset = <T extends string>(all: readonly T[]) => fc.subarray([...all]);
const filterArb: fc.Arbitrary<SecurityFilter> = fc.record({
  types: subset(SECURITY_EVENT_TYPES),
  severities: subset(SEVERITIES),
  host: fc.string({ maxLength: 40 }).map((s) => s.trim()),
  from: fc.option(fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true }), { nil: undefined }).map((d) => (d ? d.toISOString() : '')),
  to: fc.constant(''),
  q: fc.string({ maxLength: 60 }).map((s) => s.trim()),
  triage: subset(TRIAGE_STATES),
  includeSuppressed: fc.boolean(),
  sort: fc.constantFrom('time' as const, 'severity' as const),
});

describe('SOC filter in the URL', () => {
  it('survives a round trip through the query string (shareable links)', () => {
    fc.assert(
      fc.property(filterArb, (f) => {
        const url = withSearch('/security', '', filterToSearchChanges(f));
        const back = filterFromSearch(new URL(url, 'http://x').searchParams);
        assert.deepEqual(back, { ...f });
        assert.equal(filterToQuery(back), filterToQuery(f));
      }),
    );
  });

  it('survives a round trip through an API query string (saved filters)', () => {
    fc.assert(
      fc.property(filterArb, (f) => {
        assert.deepEqual(filterFromApiQuery(filterToApiQuery(f)), { ...f });
      }),
    );
    assert.equal(filterToApiQuery({ ...EMPTY_FILTER, types: ['brute_force'], includeSuppressed: true }), 'event_type=brute_force&include_suppressed=true&sort=time');
    assert.deepEqual(filterFromApiQuery('event_type=port_opened,nope&include_suppressed=1&limit=5'), { ...EMPTY_FILTER, types: ['port_opened'], includeSuppressed: true });
  });

  it('never yields a value outside the allowed sets, whatever the URL says', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom('type', 'severity', 'triage', 'sort', 'from', 'to', 'host', 'q', 'suppressed'), fc.string({ maxLength: 80 })), (raw) => {
        const f = filterFromSearch(new URLSearchParams(raw));
        for (const t of f.types) assert.ok(SECURITY_EVENT_TYPES.includes(t));
        for (const s of f.severities) assert.ok(SEVERITIES.includes(s));
        for (const s of f.triage) assert.ok(TRIAGE_STATES.includes(s));
        assert.ok(f.sort === 'time' || f.sort === 'severity');
        for (const instant of [f.from, f.to]) assert.ok(instant === '' || !Number.isNaN(Date.parse(instant)));
        assert.ok(f.host.length <= 255 && f.q.length <= 200);
      }),
    );
  });

  it('drops unknown values and keeps a canonical order', () => {
    const f = filterFromSearch(new URLSearchParams('severity=critical,bogus,low&type=port_opened,auth_failure&from=yesterday&sort=weird&suppressed=yes'));
    assert.deepEqual(f, { ...EMPTY_FILTER, severities: ['low', 'critical'], types: ['auth_failure', 'port_opened'] });
  });

  it('the plain page has a plain URL', () => {
    assert.equal(filterToQuery(EMPTY_FILTER), '');
    assert.equal(withSearch('/security', 'x=1', filterToSearchChanges(EMPTY_FILTER)), '/security?x=1');
  });
});

describe('SOC filter as API parameters', () => {
  it('sends lists comma-separated and leaves absent filters out', () => {
    const f: SecurityFilter = { ...EMPTY_FILTER, severities: ['high', 'critical'], types: ['brute_force'], host: ' web-1 ', triage: ['new'], includeSuppressed: true, sort: 'severity', q: ' ssh ', from: '2026-12-01T00:00:00.000Z' };
    assert.deepEqual(filterToApiParams(f), {
      event_type: 'brute_force',
      severity: 'high,critical',
      host: 'web-1',
      from: '2026-12-01T00:00:00.000Z',
      to: undefined,
      q: 'ssh',
      triage: 'new',
      include_suppressed: 'true',
      sort: 'severity',
    });
    assert.deepEqual(filterToApiParams(EMPTY_FILTER), { event_type: undefined, severity: undefined, host: undefined, from: undefined, to: undefined, q: undefined, triage: undefined, include_suppressed: undefined, sort: 'time' });
  });

  it('toggles list members in canonical order', () => {
    assert.deepEqual(toggle(['critical'], 'low', SEVERITIES), ['low', 'critical']);
    assert.deepEqual(toggle(['low', 'critical'], 'low', SEVERITIES), ['critical']);
  });

  it('converts datetime-local values to RFC 3339 and back', () => {
    const instant = localInputToInstant('2026-12-06T03:15');
    assert.match(instant, /^2026-12-0[56]T\d{2}:15:00\.000Z$/);
    assert.equal(instantToLocalInput(instant), '2026-12-06T03:15');
    assert.equal(localInputToInstant(''), '');
    assert.equal(localInputToInstant('not a date'), '');
    assert.equal(instantToLocalInput('garbage'), '');
  });
});
