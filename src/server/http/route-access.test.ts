import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, type TestApp } from '../testing/test-app.js';

/** Every route of the app with its declared access (deduplicated). */
function routeTable(t: TestApp) {
  const seen = new Set<string>();
  return t.app.routeTable.filter((r) => {
    const key = `${r.method} ${r.url}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

describe('route access declarations', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp();
  });
  after(async () => t.close());

  it('every route declares its access, and only health, readiness, login, SSO and static files are public', () => {
    const rows = routeTable(t);
    assert.ok(rows.length >= 15, `found ${rows.length} routes`);
    for (const r of rows) assert.ok(r.access, `${r.method} ${r.url} has no access declaration`);
    const publicRoutes = rows.filter((r) => r.access === 'public').map((r) => `${r.method} ${r.url}`).sort();
    assert.deepEqual(publicRoutes, [
      'GET /*',
      'GET /api/v1/auth/oidc/callback',
      'GET /api/v1/auth/oidc/login',
      'GET /api/v1/auth/providers',
      'GET /health',
      'GET /ready',
      'HEAD /*',
      'HEAD /api/v1/auth/oidc/callback',
      'HEAD /api/v1/auth/oidc/login',
      'HEAD /api/v1/auth/providers',
      'HEAD /health',
      'HEAD /ready',
      'POST /api/v1/auth/login',
    ]);
  });

  it('every non-public route answers 401 without credentials', async () => {
    for (const r of routeTable(t).filter((x) => x.access !== 'public' && x.method !== 'HEAD')) {
      const url = r.url.replace(':id', '00000000-0000-4000-8000-000000000000').replace(':sessionId', '0'.repeat(32)).replace(':name', 'host').replace('*', 'x');
      const res = await t.app.inject({ method: r.method as 'GET', url, headers: { 'x-requested-with': 'vigil' } });
      assert.equal(res.statusCode, 401, `${r.method} ${r.url} gave ${res.statusCode}`);
      assert.equal(res.json().error.code, 'VIGIL_ERR_UNAUTHENTICATED');
    }
  });

  it('an agent key cannot use user routes and a user session cannot ingest', async () => {
    const key = await t.agentKey('acc-agent');
    const asAgent = await t.app.inject({ method: 'GET', url: '/api/v1/agents', headers: { authorization: `Bearer ${key}` } });
    assert.equal(asAgent.statusCode, 403);
    const cookie = await t.login();
    const asUser = await t.app.inject({ method: 'POST', url: '/api/v1/ingest', headers: { cookie, 'x-requested-with': 'vigil' }, payload: { series: [] } });
    assert.equal(asUser.statusCode, 401, 'ingest accepts only Authorization: Bearer agent keys, never cookies');
    const denied = await t.storage.audit.list({ action: 'authz.denied', limit: 5 });
    assert.ok(denied.length >= 1);
  });

  it('keys are never accepted from the query string', async () => {
    const key = await t.agentKey('qs-agent');
    const res = await t.app.inject({ method: 'POST', url: `/api/v1/ingest?key=${key}`, payload: { series: [] } });
    assert.equal(res.statusCode, 401);
  });
});
