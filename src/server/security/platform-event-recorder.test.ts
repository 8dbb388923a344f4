import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import type { SecurityEvent } from '../../protocol/security.js';
import { createTestApp, mutationHeaders, type TestApp } from '../testing/test-app.js';

describe("the server's own security events", () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp();
  });
  after(async () => t.close());

  const ownEvents = async (type: string): Promise<SecurityEvent[]> => {
    await t.services.deps.soc.platform.flush();
    return t.storage.securityEvents.search({ eventTypes: [type as SecurityEvent['event_type']], includeSuppressed: true }, 'time', null, 1000);
  };

  it('records failed logins with the client IP, on the server host, source vigil-server', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', headers: { 'x-requested-with': 'vigil' }, payload: { username: 'admin', password: 'wrong-password-123' } });
    assert.equal(res.statusCode, 401);
    const [e] = await ownEvents('login_failed');
    assert.equal(e?.host, hostname());
    assert.equal(e?.source, 'vigil-server');
    assert.equal(e?.metadata?.['src_ip'], '127.0.0.1');
  });

  it('records permission denials, bounded per type per minute so a flood cannot fill the disk', async () => {
    await t.services.deps.users.create('gus', 'guest-long-passphrase', 'guest');
    const guest = mutationHeaders(await t.login('gus', 'guest-long-passphrase'));
    for (let i = 0; i < 150; i++) assert.equal((await t.app.inject({ method: 'GET', url: '/api/v1/events', headers: guest })).statusCode, 403);
    const denied = await ownEvents('permission_denied');
    assert.ok(denied.length >= 1 && denied.length <= 60, `got ${denied.length}`);
    assert.equal(denied[0]?.metadata?.['permission'], 'read:incidents');
    assert.ok(t.services.deps.soc.platform.counters.rateBounded >= 90);
  });

  it('records API key misuse: an agent key writing for another host, and a revoked key', async () => {
    const enrolled = await t.services.deps.agents.enroll('web-9', 'test');
    const asOther = await t.app.inject({ method: 'POST', url: '/api/v1/events', headers: { authorization: `Bearer ${enrolled.key.secret}` }, payload: { host: 'db-1', events: [] } });
    assert.equal(asOther.statusCode, 403);
    await t.services.deps.keys.revoke(enrolled.key.record.id);
    const revoked = await t.app.inject({ method: 'POST', url: '/api/v1/events', headers: { authorization: `Bearer ${enrolled.key.secret}` }, payload: { events: [{ event_id: randomUUID() }] } });
    assert.equal(revoked.statusCode, 401);
    const misuse = await ownEvents('api_key_misuse');
    assert.equal(misuse.length, 2);
    assert.ok(misuse.some((e) => e.metadata?.['claimed_host'] === 'db-1'));
    assert.ok(misuse.some((e) => String(e.metadata?.['reason']).includes('revoked')));
  });
});
