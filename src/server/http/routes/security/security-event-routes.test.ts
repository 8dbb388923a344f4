import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { SECURITY_EVENT_TYPES, type SecurityEvent, type SecurityEventInput } from '../../../../protocol/security.js';
import { createTestApp, mutationHeaders, type TestApp } from '../../../testing/test-app.js';

function ev(over: Partial<SecurityEventInput> = {}): SecurityEventInput {
  return { event_id: randomUUID(), ts: Date.now(), event_type: 'auth_failure', severity: 'medium', source: 'auth-log', description: 'Failed password for root from 10.0.0.5', metadata: { src_ip: '10.0.0.5', user: 'root' }, ...over };
}

describe('security event API', () => {
  let t: TestApp;
  let key: string;
  let admin: Record<string, string>;
  let viewer: Record<string, string>;
  let now: number;
  const post = (payload: unknown, headers: Record<string, string> = { authorization: `Bearer ${key}` }) => t.app.inject({ method: 'POST', url: '/api/v1/events', headers, payload: payload as object });
  const get = (url: string, headers = viewer) => t.app.inject({ method: 'GET', url, headers });

  before(async () => {
    t = await createTestApp();
    key = await t.agentKey('web-1');
    now = t.clock.now();
    admin = mutationHeaders(await t.login());
    await t.services.deps.users.create('vera', 'viewer-long-passphrase', 'viewer');
    viewer = mutationHeaders(await t.login('vera', 'viewer-long-passphrase'));
  });
  after(async () => t.close());

  it('ingests per item: valid events stored with host from the key, bad ones listed, repeats idempotent', async () => {
    const good = ev({ ts: now - 1000 });
    const res = await post({ events: [good, { ...ev(), event_type: 'nope' }, { ...ev(), ts: now + 3_600_000 }, { ...ev(), metadata: { blob: 'x'.repeat(9000) } }, 'str', good] });
    assert.equal(res.statusCode, 422, res.body);
    const body = res.json();
    assert.equal(body.accepted, 1);
    assert.equal(body.error.code, 'VIGIL_ERR_INGEST_PARTIAL');
    assert.deepEqual(
      body.errors.map((e: { index: number; code: string }) => [e.index, e.code]),
      [
        [1, 'VIGIL_ERR_EVENT_FIELD'],
        [2, 'VIGIL_ERR_TIMESTAMP_TOO_NEW'],
        [3, 'VIGIL_ERR_METADATA_TOO_LARGE'],
        [4, 'VIGIL_ERR_ITEM_SHAPE'],
        [5, 'VIGIL_ERR_DUPLICATE_IN_BATCH'],
      ],
    );
    const stored = await t.storage.securityEvents.get(good.event_id);
    assert.equal(stored?.host, 'web-1');
    assert.equal(stored?.triage, 'new');
    const again = await post({ events: [good] });
    assert.equal(again.statusCode, 200);
    assert.deepEqual(again.json(), { accepted: 0, duplicates: 1, rejected: 0, errors: [] });
  });

  it('accepts a gzip body like metrics ingest', async () => {
    const e = ev({ ts: now - 500 });
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/events', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', 'content-encoding': 'gzip' }, payload: gzipSync(JSON.stringify({ events: [e] })) });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal((await t.storage.securityEvents.get(e.event_id))?.host, 'web-1');
  });

  it('refuses events older than the retention and deletes stored ones once they age out', async () => {
    const retention = t.services.deps.soc.events.options.retentionMs;
    const old = await post({ events: [ev({ ts: now - retention - 60_000 })] });
    assert.equal(old.json().errors[0].code, 'VIGIL_ERR_TIMESTAMP_TOO_OLD');
    const e = ev({ ts: now - retention + 60_000, event_type: 'file_removed' });
    assert.equal((await post({ events: [e] })).statusCode, 200);
    const saved = t.clock.now();
    t.clock.advance(120_000);
    assert.equal(await t.services.deps.soc.events.enforceRetention(), 1);
    assert.equal(await t.storage.securityEvents.get(e.event_id), null);
    t.clock.set(saved);
  });

  it('an agent key cannot write for another host (403, recorded); users need write:incidents and a host', async () => {
    assert.equal((await post({ host: 'db-1', events: [ev()] })).statusCode, 403);
    assert.equal((await post({ events: [ev()] }, viewer)).statusCode, 403);
    const noHost = await post({ events: [ev()] }, admin);
    assert.equal(noHost.statusCode, 400);
    const ok = await post({ host: 'db-1', events: [ev({ ts: now - 2000, severity: 'high', event_type: 'port_opened', description: 'port 4444 opened by nc' })] }, admin);
    assert.equal(ok.statusCode, 200, ok.body);
  });

  it('searches with filters, facets, total and cursor paging without overlap', async () => {
    const batch = Array.from({ length: 25 }, (_, i) => ev({ ts: now - 60_000 - i * 1000, severity: i % 5 === 0 ? 'critical' : 'low', event_type: i % 2 ? 'file_changed' : 'process_started', description: `item ${i}` }));
    assert.equal((await post({ events: batch })).statusCode, 200);
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const res = await get(`/api/v1/events?host=web-1&event_type=file_changed,process_started&limit=10${cursor ? `&cursor=${cursor}` : ''}`);
      assert.equal(res.statusCode, 200, res.body);
      const page = res.json();
      assert.equal(page.total, 25);
      assert.equal(page.facets.severity.critical, 5);
      assert.equal(page.facets.event_type.file_changed, 12);
      seen.push(...page.events.map((e: SecurityEvent) => e.event_id));
      cursor = page.next_cursor;
      pages++;
    } while (cursor);
    assert.equal(pages, 3);
    assert.equal(new Set(seen).size, 25);
    const bySeverity = (await get('/api/v1/events?sort=severity&host=web-1&limit=5')).json();
    assert.ok(bySeverity.events.every((e: SecurityEvent) => e.severity === 'critical'));
    const text = (await get('/api/v1/events?q=4444')).json();
    assert.deepEqual(text.events.map((e: SecurityEvent) => e.host), ['db-1']);
    const ranged = (await get(`/api/v1/events?from=${new Date(now - 62_500).toISOString()}&to=${new Date(now - 59_000).toISOString()}`)).json();
    assert.equal(ranged.total, 3);
  });

  it('answers 400 with the allowed set for unknown values and parameters; caps limit', async () => {
    const bad = await get('/api/v1/events?severity=high,urgent');
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.json().error.code, 'VIGIL_ERR_VALIDATION');
    assert.deepEqual(bad.json().error.details.allowed, ['low', 'medium', 'high', 'critical']);
    const badType = (await get('/api/v1/events?event_type=zzz')).json();
    assert.deepEqual(badType.error.details.allowed, [...SECURITY_EVENT_TYPES]);
    assert.equal((await get('/api/v1/events?colour=red')).statusCode, 400);
    assert.equal((await get('/api/v1/events?from=yesterday')).statusCode, 400);
    assert.equal((await get('/api/v1/events?cursor=garbage')).statusCode, 400);
    assert.equal((await get('/api/v1/events?limit=0')).statusCode, 400);
    const capped = await get('/api/v1/events?limit=5000');
    assert.equal(capped.statusCode, 200);
    assert.ok(capped.json().events.length <= 1000);
  });

  it('shows detail with related events and moves triage (audited, with history)', async () => {
    const corr = randomUUID();
    const a = ev({ ts: now - 5000, correlation_id: corr });
    const b = ev({ ts: now - 4000 });
    const far = ev({ ts: now - 3_600_000, correlation_id: corr });
    await post({ events: [a, b, far] });
    const d = (await get(`/api/v1/events/${a.event_id}`)).json();
    const related = d.related.map((e: SecurityEvent) => e.event_id);
    assert.ok(related.includes(b.event_id), 'same host within 10 min');
    assert.ok(related.includes(far.event_id), 'same correlation id');
    assert.equal((await get(`/api/v1/events/${randomUUID()}`)).statusCode, 404);
    const tri = (state: string, headers = admin) => t.app.inject({ method: 'POST', url: `/api/v1/events/${a.event_id}/triage`, headers, payload: { state, note: 'looked at it' } });
    assert.equal((await tri('acknowledged', viewer)).statusCode, 403);
    assert.equal((await tri('bogus')).statusCode, 400);
    assert.equal((await tri('acknowledged')).statusCode, 200);
    assert.equal((await tri('resolved')).statusCode, 200);
    const conflict = await tri('acknowledged');
    assert.equal(conflict.statusCode, 409);
    assert.deepEqual(conflict.json().error.details.allowed, ['new', 'false_positive']);
    const hist = (await get(`/api/v1/events/${a.event_id}`)).json().triage_history;
    assert.deepEqual(hist.map((h: { from: string; to: string }) => `${h.from}>${h.to}`), ['new>acknowledged', 'acknowledged>resolved']);
    const audit = await t.storage.audit.list({ action: 'security.triage', limit: 10 });
    assert.equal(audit.length, 2);
    assert.equal((await get('/api/v1/events?triage=resolved')).json().total, 1);
  });

  it('suppressions: preview counts, new matches are stored suppressed and hidden by default, end is audited', async () => {
    const body = { event_type: 'auth_failure', src_ip: '10.9.9.9', days: 7, reason: 'vulnerability scanner' };
    await post({ events: [ev({ ts: now - 10_000, metadata: { src_ip: '10.9.9.9' } }), ev({ ts: now - 9000, metadata: { src_ip: '10.9.9.9' } })] });
    const preview = await t.app.inject({ method: 'POST', url: '/api/v1/suppressions/preview', headers: admin, payload: body });
    assert.deepEqual(preview.json(), { matching: 2 });
    const created = await t.app.inject({ method: 'POST', url: '/api/v1/suppressions', headers: admin, payload: body });
    assert.equal(created.statusCode, 201, created.body);
    const s = created.json();
    assert.equal(s.created_by, 'user:admin');
    const hidden = ev({ ts: now - 100, metadata: { src_ip: '10.9.9.9' } });
    await post({ events: [hidden] });
    assert.equal((await t.storage.securityEvents.get(hidden.event_id))?.suppressed_by, s.id);
    const visible = (await get('/api/v1/events?limit=1000')).json().events.map((e: SecurityEvent) => e.event_id);
    assert.ok(!visible.includes(hidden.event_id));
    const all = (await get('/api/v1/events?limit=1000&include_suppressed=true')).json().events.map((e: SecurityEvent) => e.event_id);
    assert.ok(all.includes(hidden.event_id));
    assert.equal((await t.app.inject({ method: 'DELETE', url: `/api/v1/suppressions/${s.id}`, headers: admin })).json().suppression.ended_at !== null, true);
    const after = ev({ metadata: { src_ip: '10.9.9.9' } });
    await post({ events: [after] });
    assert.equal((await t.storage.securityEvents.get(after.event_id))?.suppressed_by, null);
    const actions = (await t.storage.audit.list({ limit: 50 })).map((e) => e.action);
    assert.ok(actions.includes('security.suppression.create') && actions.includes('security.suppression.end'));
    assert.equal((await t.app.inject({ method: 'POST', url: '/api/v1/suppressions', headers: admin, payload: { ...body, days: 0 } })).statusCode, 400);
  });

  it('exports CSV with formula cells neutralized, and JSON', async () => {
    await post({ events: [ev({ description: '=HYPERLINK("http://x","y")', event_type: 'anomaly_detected' })] });
    const csv = await get('/api/v1/events/export?format=csv&event_type=anomaly_detected');
    assert.equal(csv.statusCode, 200);
    assert.match(csv.headers['content-type'] as string, /text\/csv/);
    const lines = csv.body.trim().split('\r\n');
    assert.equal(lines.length, 2);
    assert.ok(lines[1]?.includes(`"'=HYPERLINK(""http://x"",""y"")"`), lines[1]);
    const json = await get('/api/v1/events/export?format=json&event_type=anomaly_detected');
    assert.equal(JSON.parse(json.body).length, 1);
    assert.equal((await get('/api/v1/events/export?format=xml')).statusCode, 400);
  });

  it('saved filters per user round-trip and are validated', async () => {
    const put = (payload: unknown) => t.app.inject({ method: 'PUT', url: '/api/v1/events/saved-filters', headers: viewer, payload: payload as object });
    assert.equal((await put({ filters: [{ name: 'critical ssh', query: 'severity=critical&event_type=auth_failure' }] })).statusCode, 200);
    assert.deepEqual((await get('/api/v1/events/saved-filters')).json().filters[0].name, 'critical ssh');
    assert.deepEqual((await get('/api/v1/events/saved-filters', admin)).json(), { filters: [] });
    assert.equal((await put({ filters: [{ name: 'x', query: 'severity=urgent' }] })).statusCode, 400);
  });
});
