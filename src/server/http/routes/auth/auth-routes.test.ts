import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, mutationHeaders, type TestApp } from '../../../testing/test-app.js';
import { TEST_ADMIN_PASSWORD } from '../../../testing/test-config.js';

describe('auth routes', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp();
  });
  after(async () => t.close());

  it('logs in with a HttpOnly SameSite=Lax session cookie and answers /me', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', headers: { 'x-requested-with': 'vigil' }, payload: { username: 'admin', password: TEST_ADMIN_PASSWORD } });
    assert.equal(res.statusCode, 200);
    const raw = String(res.headers['set-cookie']);
    assert.match(raw, /^vigil_sid=[A-Za-z0-9_-]{22};/);
    assert.match(raw, /HttpOnly/);
    assert.match(raw, /SameSite=Lax/);
    assert.match(raw, /Path=\//);
    assert.equal(res.json().user.role, 'admin');
    const cookie = `vigil_sid=${res.cookies[0]!.value}`;
    const me = await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie } });
    assert.equal(me.json().user.username, 'admin');
    assert.ok(!me.body.includes('passwordHash'));
  });

  it('answers unknown user and wrong password identically', async () => {
    const a = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', headers: { 'x-requested-with': 'vigil' }, payload: { username: 'admin', password: 'wrong-password' } });
    const b = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', headers: { 'x-requested-with': 'vigil' }, payload: { username: 'nobody', password: 'wrong-password' } });
    assert.equal(a.statusCode, 401);
    assert.equal(a.body, b.body);
    assert.equal(a.json().error.code, 'VIGIL_ERR_INVALID_CREDENTIALS');
    const audit = await t.storage.audit.list({ action: 'auth.login', outcome: 'failure', limit: 10 });
    assert.ok(audit.length >= 2);
    assert.ok(audit.every((e) => !JSON.stringify(e).includes('wrong-password')), 'passwords never reach the audit log');
  });

  it('rejects unknown body fields and oversized passwords with 400', async () => {
    const extra = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', headers: { 'x-requested-with': 'vigil' }, payload: { username: 'admin', password: 'x', role: 'admin' } });
    assert.equal(extra.statusCode, 400);
    assert.equal(extra.json().error.code, 'VIGIL_ERR_VALIDATION');
    const huge = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', headers: { 'x-requested-with': 'vigil' }, payload: { username: 'admin', password: 'x'.repeat(5000) } });
    assert.equal(huge.statusCode, 400);
  });

  it('requires the CSRF header and a same Origin on cookie mutations', async () => {
    const noHeader = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'admin', password: TEST_ADMIN_PASSWORD } });
    assert.equal(noHeader.statusCode, 403);
    assert.equal(noHeader.json().error.code, 'VIGIL_ERR_CSRF');
    const cookie = await t.login();
    const crossSite = await t.app.inject({ method: 'POST', url: '/api/v1/agents', headers: { ...mutationHeaders(cookie), origin: 'https://evil.example', host: 'localhost:80' }, payload: { name: 'x1' } });
    assert.equal(crossSite.statusCode, 403);
    assert.equal(crossSite.json().error.code, 'VIGIL_ERR_CSRF');
    const textPlain = await t.app.inject({ method: 'POST', url: '/api/v1/agents', headers: { cookie, 'content-type': 'text/plain' }, payload: '{"name":"x2"}' });
    assert.equal(textPlain.statusCode, 403);
  });

  it('logout invalidates the session server-side', async () => {
    const cookie = await t.login();
    const out = await t.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: mutationHeaders(cookie) });
    assert.equal(out.statusCode, 204);
    const me = await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie } });
    assert.equal(me.statusCode, 401);
  });

  it('a password change or disabling the user ends existing sessions', async () => {
    await t.services.deps.users.create('alice', 'alice-password-1', 'viewer');
    const cookie = await t.login('alice', 'alice-password-1');
    t.clock.advance(1);
    const alice = await t.storage.users.getByUsername('alice');
    await t.services.deps.users.setPassword(alice!.id, 'alice-password-2');
    assert.equal((await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie } })).statusCode, 401);
    const cookie2 = await t.login('alice', 'alice-password-2');
    await t.storage.users.update(alice!.id, { disabled: true }, t.clock.now());
    assert.equal((await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie: cookie2 } })).statusCode, 401);
  });

  it('expires sessions after the idle timeout', async () => {
    const cookie = await t.login();
    t.clock.advance(13 * 3_600_000);
    assert.equal((await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie } })).statusCode, 401);
  });
});
