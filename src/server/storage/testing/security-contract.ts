import { it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { SecurityEvent } from '../../../protocol/security.js';
import type { Storage } from '../storage.js';

const T0 = Date.UTC(2026, 11, 1);

function ev(i: number, over: Partial<SecurityEvent> = {}): SecurityEvent {
  return {
    event_id: randomUUID(),
    ts: T0 + i * 1000,
    host: i % 2 ? 'web-1' : 'db-1',
    agent_id: null,
    event_type: i % 3 ? 'auth_failure' : 'port_opened',
    severity: (['low', 'medium', 'high', 'critical'] as const)[i % 4] ?? 'low',
    source: 'contract',
    description: `event number ${i} from 10.0.0.${i % 5}`,
    metadata: { src_ip: `10.0.0.${i % 5}`, n: i },
    triage: 'new',
    suppressed_by: null,
    received_at: T0,
    ...over,
  };
}

/**
 * Contract tests of the security event, suppression and saved-filter repositories, run inside
 * `describeStorageContract` so every backend gets them.
 */
export function securityContractTests(storage: () => Storage): void {
  it('security events: idempotent insert, filters, both sort orders with cursors, count and facets', async () => {
    const s = storage().securityEvents;
    const events = Array.from({ length: 40 }, (_, i) => ev(i));
    assert.equal((await s.insert(events)).length, 40);
    assert.deepEqual(await s.insert([events[0] as SecurityEvent, ev(99, { event_id: (events[1] as SecurityEvent).event_id })]), [], 'repeated ids are skipped');
    assert.deepEqual(await s.get((events[3] as SecurityEvent).event_id), events[3]);
    const filter = { hosts: ['web-1'], eventTypes: ['auth_failure' as const], from: T0, to: T0 + 30_000 };
    const expected = events.filter((e) => e.host === 'web-1' && e.event_type === 'auth_failure' && e.ts < T0 + 30_000);
    assert.equal(await s.count(filter), expected.length);
    for (const sort of ['time', 'severity'] as const) {
      const seen: SecurityEvent[] = [];
      let cursor = null;
      for (;;) {
        const page = await s.search(filter, sort, cursor, 3);
        seen.push(...page);
        const last = page[page.length - 1];
        if (page.length < 3 || !last) break;
        cursor = { sort, ts: last.ts, severityRank: ['low', 'medium', 'high', 'critical'].indexOf(last.severity) + 1, eventId: last.event_id };
      }
      assert.equal(seen.length, expected.length, `${sort}: every row once`);
      assert.equal(new Set(seen.map((e) => e.event_id)).size, expected.length);
      if (sort === 'time') assert.deepEqual(seen.map((e) => e.ts), [...expected].sort((a, b) => b.ts - a.ts).map((e) => e.ts));
      else assert.equal(seen[0]?.severity, expected.some((e) => e.severity === 'critical') ? 'critical' : 'high');
    }
    const facets = await s.facets(filter);
    assert.equal(Object.values(facets.severity).reduce((a, b) => a + b, 0), expected.length);
    assert.equal(facets.event_type.auth_failure, expected.length);
    assert.equal(facets.triage.new, expected.length);
    assert.equal(await s.count({ text: '10.0.0.3', from: T0, to: T0 + 40_000 }), events.filter((e) => e.description.endsWith('10.0.0.3')).length, 'free text matches an address');
    assert.equal(await s.count({ text: 'number 7 ' }), 1);
    assert.equal(await s.count({ severities: ['critical'], triage: ['new'] }), 10);
  });

  it('security events: triage with history, suppressed rows hidden by default, matching counts, links, retention', async () => {
    const s = storage().securityEvents;
    const a = ev(1000, { correlation_id: 'c-1' });
    const b = ev(1001, { suppressed_by: 'sup-1', event_type: 'file_changed' });
    const c = ev(1002, { event_type: 'file_changed' });
    await s.insert([a, b, c]);
    assert.equal(await s.setTriage(a.event_id, 'new', 'acknowledged', 'user:x', 'mine', 5), true);
    assert.equal(await s.setTriage(a.event_id, 'new', 'resolved', 'user:y', null, 6), false, 'a stale from-state is refused');
    assert.deepEqual(await s.triageHistory(a.event_id), [{ at: 5, actor: 'user:x', from: 'new', to: 'acknowledged', note: 'mine' }]);
    assert.equal(await s.count({ eventTypes: ['file_changed'] }), 1);
    assert.equal(await s.count({ eventTypes: ['file_changed'], includeSuppressed: true }), 2);
    assert.equal(await s.countMatching({ eventType: 'file_changed', host: c.host, srcIp: null }, T0), [b, c].filter((e) => e.host === c.host).length);
    assert.equal(await s.linkCorrelation([a.event_id, c.event_id], 'c-2'), 1, 'an existing correlation id is kept');
    assert.equal((await s.get(c.event_id))?.correlation_id, 'c-2');
    assert.equal((await s.getMany([a.event_id, c.event_id, randomUUID()])).length, 2);
    const before = await s.count({ includeSuppressed: true });
    assert.equal(await s.deleteBefore(T0 + 1_001_000, 100_000), before - 2);
    assert.equal(await s.get(a.event_id), null);
    assert.deepEqual(await s.triageHistory(a.event_id), []);
  });

  it('suppressions and saved filters', async () => {
    const st = storage();
    const sup = { id: randomUUID(), event_type: 'auth_failure' as const, host: null, src_ip: '10.0.0.1', reason: 'scanner', created_by: 'user:a', created_at: 10, expires_at: 1000, ended_at: null };
    await st.suppressions.add(sup);
    assert.deepEqual(await st.suppressions.get(sup.id), sup);
    assert.deepEqual((await st.suppressions.active(500)).map((x) => x.id), [sup.id]);
    assert.deepEqual(await st.suppressions.active(1000), [], 'expired');
    assert.equal(await st.suppressions.end(sup.id, 20), true);
    assert.equal(await st.suppressions.end(sup.id, 21), false);
    assert.deepEqual(await st.suppressions.active(500), []);
    assert.equal((await st.suppressions.list(10)).length, 1);
    const uid = randomUUID();
    await st.users.create({ id: uid, username: `sec-${uid.slice(0, 6)}`, passwordHash: 'h', role: 'viewer', disabled: false, createdAt: 1, updatedAt: 1, passwordChangedAt: 1, totpSecret: null, totpEnabled: false, totpLastStep: null, source: 'local', externalSubject: null });
    assert.equal(await st.savedFilters.get(uid), null);
    await st.savedFilters.set(uid, { filters: [{ name: 'a', query: 'severity=high' }] }, 1);
    await st.savedFilters.set(uid, { filters: [{ name: 'b', query: 'q=x' }] }, 2);
    assert.deepEqual(await st.savedFilters.get(uid), { filters: [{ name: 'b', query: 'q=x' }] });
  });
}
