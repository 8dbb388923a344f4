import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { SecurityEvent, SecurityEventInput } from '../../../../protocol/security.js';
import { createTestApp, mutationHeaders, type TestApp } from '../../../testing/test-app.js';

function failure(ts: number, ip: string): SecurityEventInput {
  return { event_id: randomUUID(), ts, event_type: 'auth_failure', severity: 'low', source: 'auth-log', description: `Failed password for root from ${ip}`, metadata: { src_ip: ip, user: 'root' } };
}

describe('detections through the API', () => {
  let t: TestApp;
  let key: string;
  let admin: Record<string, string>;
  before(async () => {
    t = await createTestApp();
    key = await t.agentKey('web-1');
    admin = mutationHeaders(await t.login());
  });
  after(async () => t.close());

  const post = (events: SecurityEventInput[]) => t.app.inject({ method: 'POST', url: '/api/v1/events', headers: { authorization: `Bearer ${key}` }, payload: { events } });
  const settle = async () => {
    await t.services.deps.soc.detections.idle();
    await t.services.deps.soc.notifier.idle();
    await t.services.deps.incidents.runOnce();
  };

  it('5 auth failures from one IP in 2 min → brute_force (high, T1110) linked to its inputs, an alert and a notice', async () => {
    const now = t.clock.now();
    const inputs = Array.from({ length: 6 }, (_, i) => failure(now - 60_000 + i * 5000, '203.0.113.45'));
    assert.equal((await post(inputs)).statusCode, 200);
    await settle();
    const page = (await t.app.inject({ method: 'GET', url: '/api/v1/events?event_type=brute_force', headers: admin })).json();
    assert.equal(page.total, 1);
    const bf = page.events[0] as SecurityEvent;
    assert.equal(bf.severity, 'high');
    assert.equal(bf.mitre_technique, 'T1110');
    assert.equal(bf.host, 'web-1');
    assert.equal(bf.metadata?.['src_ip'], '203.0.113.45');
    const detail = (await t.app.inject({ method: 'GET', url: `/api/v1/events/${bf.event_id}`, headers: admin })).json();
    const related = new Set(detail.related.map((e: SecurityEvent) => e.event_id));
    for (const i of inputs.slice(0, 5)) assert.ok(related.has(i.event_id), 'inputs are related events');
    assert.equal((await t.storage.securityEvents.get(inputs[0]!.event_id))?.correlation_id, bf.correlation_id);
    const alerts = (await t.app.inject({ method: 'GET', url: '/api/v1/alerts', headers: admin })).json();
    const list = (alerts.alerts ?? alerts) as { labels: Record<string, string>; state: string }[];
    assert.ok(list.some((a) => a.labels['alertname'] === 'SecurityDetection' && a.labels['detection'] === 'brute_force' && a.labels['src_ip'] === '203.0.113.45'), JSON.stringify(alerts).slice(0, 400));
    const inbox = (await t.app.inject({ method: 'GET', url: '/api/v1/me/inbox', headers: admin })).json();
    assert.ok(inbox.items.some((i: { title: string }) => i.title.includes('brute_force on web-1')), JSON.stringify(inbox).slice(0, 300));
  });

  it('rules are listed and editable (validated, audited); a disabled rule stops firing', async () => {
    const got = (await t.app.inject({ method: 'GET', url: '/api/v1/detections', headers: admin })).json();
    assert.ok(got.rules.some((r: { id: string }) => r.id === 'brute_force'));
    const rules = got.rules.map((r: { id: string }) => (r.id === 'brute_force' ? { ...r, enabled: false } : r));
    const put = await t.app.inject({ method: 'PUT', url: '/api/v1/detections', headers: admin, payload: { rules } });
    assert.equal(put.statusCode, 200, put.body);
    const dup = await t.app.inject({ method: 'PUT', url: '/api/v1/detections', headers: admin, payload: { rules: [rules[0], rules[0]] } });
    assert.equal(dup.statusCode, 400);
    const bad = await t.app.inject({ method: 'PUT', url: '/api/v1/detections', headers: admin, payload: { rules: [{ ...rules[0], kind: 'magic' }] } });
    assert.equal(bad.statusCode, 400);
    const now = t.clock.now();
    await post(Array.from({ length: 6 }, (_, i) => failure(now - 30_000 + i * 1000, '198.51.100.9')));
    await settle();
    const page = (await t.app.inject({ method: 'GET', url: '/api/v1/events?event_type=brute_force', headers: admin })).json();
    assert.equal(page.total, 1, 'no new detection while disabled');
    assert.ok((await t.storage.audit.list({ action: 'security.detections.update', limit: 5 })).length >= 1);
  });

  it('another replica announcing a change makes this engine reload the stored rules', async () => {
    const engine = t.services.deps.soc.detections;
    const stored = engine.list().map((r) => ({ ...r, enabled: true }));
    await t.storage.settings.set('security.detections', stored, t.clock.now());
    assert.equal(engine.list().find((r) => r.id === 'brute_force')?.enabled, false, 'not yet reloaded');
    t.services.bus.publish({ type: 'security_detections_changed', data: { origin: 'other-replica' } });
    for (let i = 0; i < 50 && engine.list().find((r) => r.id === 'brute_force')?.enabled !== true; i++) await new Promise((r) => setTimeout(r, 10));
    assert.equal(engine.list().find((r) => r.id === 'brute_force')?.enabled, true);
  });
});
