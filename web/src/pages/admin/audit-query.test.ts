import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { auditExportUrl, auditParams, filtersFromSearch, NO_AUDIT_FILTERS } from './audit-query.js';

describe('audit query', () => {
  it('drops empty filters and encodes the rest', () => {
    assert.deepEqual(auditParams(NO_AUDIT_FILTERS), { actor: undefined, action: undefined, outcome: undefined, from: 'now-7d' });
    const f = { actor: ' user:a&b ', action: 'auth.login', outcome: 'failure' as const, since: '' };
    assert.equal(auditExportUrl(f, 'csv'), '/api/v1/audit/export?actor=user%3Aa%26b&action=auth.login&outcome=failure&format=csv');
  });

  it('reads filters back from a query string, ignoring unknown outcomes', () => {
    const f = filtersFromSearch(new URLSearchParams('actor=x&outcome=bogus&since=now-1h'));
    assert.deepEqual(f, { actor: 'x', action: '', outcome: '', since: 'now-1h' });
  });
});
