import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { createTestApp, mutationHeaders, type TestApp } from '../../../testing/test-app.js';

describe('incident routes: permissions, CSRF and bad input', () => {
  let t: TestApp;
  const cookies: Record<string, string> = {};
  before(async () => {
    t = await createTestApp({ alertingTickMs: 60_000 });
    for (const role of ['operator', 'viewer', 'guest'] as const) {
      await t.services.deps.users.create(`${role}1`, `${role}-password-123`, role);
      cookies[role] = await t.login(`${role}1`, `${role}-password-123`);
    }
    cookies.admin = await t.login();
  });
  after(async () => t.close());

  const call = (role: string, method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: unknown) =>
    t.app.inject({ method, url, headers: method === 'GET' ? { cookie: cookies[role] as string } : mutationHeaders(cookies[role] as string), ...(payload !== undefined ? { payload: payload as object } : {}) });

  const rule = { name: 'R1', type: 'threshold', spec: { selector: 'cpu_usage_percent', critical: 90 } };

  it('reads need read:incidents, changes need write:incidents, tests need trigger:alerts; the inbox is for everyone', async () => {
    assert.equal((await call('guest', 'GET', '/api/v1/alerts')).statusCode, 403);
    assert.equal((await call('viewer', 'GET', '/api/v1/alerts')).statusCode, 200);
    assert.equal((await call('viewer', 'POST', '/api/v1/rules', rule)).statusCode, 403);
    assert.equal((await call('viewer', 'POST', '/api/v1/silences', { matchers: [{ name: 'a', op: '=', value: 'b' }], endsAt: Date.now() + 60_000, comment: 'x' })).statusCode, 403);
    assert.equal((await call('operator', 'POST', '/api/v1/rules', rule)).statusCode, 201);
    const ch = await call('admin', 'POST', '/api/v1/channels', { name: 'bell', type: 'inapp', config: { roles: ['admin'] } });
    assert.equal(ch.statusCode, 201);
    assert.equal((await call('viewer', 'POST', `/api/v1/channels/${ch.json().id}/test`)).statusCode, 403);
    assert.equal((await call('operator', 'POST', `/api/v1/channels/${ch.json().id}/test`)).json().status, 'delivered');
    for (const role of ['guest', 'viewer']) {
      assert.equal((await call(role, 'GET', '/api/v1/me/inbox')).statusCode, 200);
      assert.equal((await call(role, 'PUT', '/api/v1/me/preferences', { minSeverity: 'critical' })).statusCode, 200);
    }
    const denied = await t.storage.audit.list({ action: 'authz.denied', limit: 50 });
    assert.ok(denied.some((e) => e.actor === 'user:viewer1' && e.target === 'POST /api/v1/rules'));
  });

  it('cookie mutations without the CSRF header are refused; GET never changes state', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/silences', headers: { cookie: cookies.admin as string }, payload: {} });
    assert.equal(res.statusCode, 403);
    assert.equal(res.json().error.code, 'VIGIL_ERR_CSRF');
    const cross = await t.app.inject({ method: 'POST', url: '/api/v1/rules', headers: { ...mutationHeaders(cookies.admin as string), origin: 'https://evil.example' }, payload: rule });
    assert.equal(cross.json().error.code, 'VIGIL_ERR_CSRF');
  });

  it('property: arbitrary JSON bodies get typed 4xx errors, never a 5xx', async () => {
    const targets: ['POST' | 'PUT', string][] = [
      ['POST', '/api/v1/rules'],
      ['POST', '/api/v1/rules/dry-run'],
      ['POST', '/api/v1/rules/import'],
      ['POST', '/api/v1/silences'],
      ['POST', '/api/v1/maintenance-windows'],
      ['PUT', '/api/v1/inhibit-rules'],
      ['POST', '/api/v1/channels'],
      ['POST', '/api/v1/receivers'],
      ['PUT', '/api/v1/routing'],
      ['PUT', '/api/v1/me/preferences'],
    ];
    const body = fc.oneof(
      fc.jsonValue(),
      fc.record({ name: fc.string(), type: fc.constantFrom('threshold', 'absence', 'rate_of_change', 'webhook', 'slack', 'email', 'x'), spec: fc.jsonValue(), config: fc.jsonValue(), secrets: fc.jsonValue(), matchers: fc.jsonValue(), root: fc.jsonValue(), schedule: fc.jsonValue(), timeZone: fc.string() }, { requiredKeys: [] }),
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...targets), body, async ([method, url], payload) => {
        const res = await t.app.inject({ method, url, headers: { ...mutationHeaders(cookies.admin as string), 'content-type': 'application/json' }, payload: JSON.stringify(payload) });
        assert.ok(res.statusCode < 500, `${method} ${url} ${JSON.stringify(payload).slice(0, 200)} → ${res.statusCode} ${res.body}`);
        if (res.statusCode >= 400) assert.match(res.json().error.code, /^VIGIL_ERR_/);
      }),
      { numRuns: 400 },
    );
  });
});
