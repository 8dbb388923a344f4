import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, mutationHeaders, type TestApp } from '../../../testing/test-app.js';

describe('user administration API', () => {
  let t: TestApp;
  let admin: string;
  before(async () => {
    t = await createTestApp();
    admin = await t.login();
  });
  after(async () => t.close());

  const call = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, cookie: string, payload?: unknown) =>
    t.app.inject({ method, url, headers: method === 'GET' ? { cookie } : mutationHeaders(cookie), ...(payload !== undefined ? { payload: payload as object } : {}) });

  it('creates, lists and shows users without ever returning a hash or TOTP secret', async () => {
    const res = await call('POST', '/api/v1/users', admin, { username: 'bob', password: 'bob-long-passphrase', role: 'viewer' });
    assert.equal(res.statusCode, 201);
    const bob = res.json().user;
    assert.equal(bob.role, 'viewer');
    const list = await call('GET', '/api/v1/users', admin);
    assert.deepEqual(list.json().users.map((u: { username: string }) => u.username).sort(), ['admin', 'bob']);
    assert.ok(!/passwordHash|totpSecret|\$scrypt/.test(list.body));
    assert.equal((await call('GET', `/api/v1/users/${bob.id}`, admin)).json().user.username, 'bob');
    const page = (await call('GET', '/api/v1/users?limit=1&offset=1', admin)).json();
    assert.deepEqual([page.users.length, page.users[0].username, page.total], [1, 'bob', 2]);
    assert.equal((await call('GET', '/api/v1/users?limit=5000', admin)).statusCode, 400);
    const entries = await t.storage.audit.list({ action: 'user.create', limit: 5 });
    assert.equal(entries[0]?.target, 'user:bob');
    assert.ok(!JSON.stringify(entries).includes('bob-long-passphrase'));
  });

  it('refuses common, short and oversized passwords, unknown fields and duplicate names', async () => {
    for (const [password, re] of [['password123', /common/], ['Qwerty123', /common/], ['short', /at least 8/], ['x'.repeat(1025), /at most 1024/]] as const) {
      const r = await call('POST', '/api/v1/users', admin, { username: 'carol', password, role: 'viewer' });
      assert.equal(r.statusCode, 400, password.slice(0, 20));
      assert.match(r.json().error.message, re);
    }
    assert.equal((await call('POST', '/api/v1/users', admin, { username: 'carol', password: 'a fine passphrase', role: 'viewer', isAdmin: true })).statusCode, 400);
    assert.equal((await call('POST', '/api/v1/users', admin, { username: 'carol', password: 'a fine passphrase', role: 'root' })).statusCode, 400);
    assert.equal((await call('POST', '/api/v1/users', admin, { username: 'bob', password: 'a fine passphrase', role: 'viewer' })).statusCode, 409);
    const emoji = await call('POST', '/api/v1/users', admin, { username: 'dave', password: `${'🔐'.repeat(64)}`, role: 'guest' });
    assert.equal(emoji.statusCode, 201, '64 characters of any script are accepted');
  });

  it('a role change applies on the next request; disabling ends sessions at once', async () => {
    const bob = (await t.storage.users.getByUsername('bob'))!;
    const bobCookie = await t.login('bob', 'bob-long-passphrase');
    assert.equal((await call('GET', '/api/v1/users', bobCookie)).statusCode, 403);
    assert.equal((await call('PATCH', `/api/v1/users/${bob.id}`, admin, { role: 'admin' })).json().user.role, 'admin');
    assert.equal((await call('GET', '/api/v1/users', bobCookie)).statusCode, 200, 'the same session sees the new role');
    assert.equal((await call('PATCH', `/api/v1/users/${bob.id}`, admin, { role: 'viewer' })).statusCode, 200);
    assert.equal((await call('GET', '/api/v1/users', bobCookie)).statusCode, 403);
    assert.equal((await call('PATCH', `/api/v1/users/${bob.id}`, admin, { disabled: true })).json().user.disabled, true);
    assert.equal((await call('GET', '/api/v1/auth/me', bobCookie)).statusCode, 401);
    const relogin = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', headers: { 'x-requested-with': 'vigil' }, payload: { username: 'bob', password: 'bob-long-passphrase' } });
    assert.equal(relogin.statusCode, 401);
    assert.equal((await call('PATCH', `/api/v1/users/${bob.id}`, admin, { disabled: false })).statusCode, 200);
    const actions = (await t.storage.audit.list({ limit: 20 })).map((e) => e.action);
    for (const a of ['user.role_change', 'user.disable', 'user.enable']) assert.ok(actions.includes(a), a);
  });

  it('never demotes or disables the last admin', async () => {
    const me = (await t.storage.users.getByUsername('admin'))!;
    assert.equal((await call('PATCH', `/api/v1/users/${me.id}`, admin, { role: 'viewer' })).statusCode, 409);
    assert.equal((await call('PATCH', `/api/v1/users/${me.id}`, admin, { disabled: true })).statusCode, 409);
  });

  it('lists and revokes sessions; a password reset ends every session of the user', async () => {
    const bob = (await t.storage.users.getByUsername('bob'))!;
    const c1 = await t.login('bob', 'bob-long-passphrase');
    const c2 = await t.login('bob', 'bob-long-passphrase');
    const sessions = (await call('GET', `/api/v1/users/${bob.id}/sessions`, admin)).json().sessions as { id: string }[];
    assert.equal(sessions.length, 2);
    assert.ok(sessions.every((s) => /^[0-9a-f]{32}$/.test(s.id)));
    const { sessionHandleOfCookie } = await import('./user-routes.js');
    const h1 = sessionHandleOfCookie(c1.split('=')[1]!);
    assert.equal((await call('DELETE', `/api/v1/users/${bob.id}/sessions/${h1}`, admin)).statusCode, 204);
    assert.equal((await call('GET', '/api/v1/auth/me', c1)).statusCode, 401);
    assert.equal((await call('GET', '/api/v1/auth/me', c2)).statusCode, 200);
    assert.equal((await call('DELETE', `/api/v1/users/${bob.id}/sessions/${h1}`, admin)).statusCode, 404);
    t.clock.advance(1);
    assert.equal((await call('POST', `/api/v1/users/${bob.id}/password`, admin, { password: 'bob-new-passphrase' })).statusCode, 204);
    assert.equal((await call('GET', '/api/v1/auth/me', c2)).statusCode, 401);
    const c3 = await t.login('bob', 'bob-new-passphrase');
    assert.equal((await call('DELETE', `/api/v1/users/${bob.id}/sessions`, admin)).json().revoked, 1);
    assert.equal((await call('GET', '/api/v1/auth/me', c3)).statusCode, 401);
  });

  it('answers 404 for unknown user ids and 400 for malformed ones', async () => {
    const unknown = '00000000-0000-4000-8000-000000000000';
    for (const [m, u] of [['GET', `/api/v1/users/${unknown}`], ['PATCH', `/api/v1/users/${unknown}`], ['GET', `/api/v1/users/${unknown}/sessions`], ['DELETE', `/api/v1/users/${unknown}/totp`]] as const) {
      assert.equal((await call(m, u, admin, m === 'PATCH' ? { role: 'viewer' } : undefined)).statusCode, 404, `${m} ${u}`);
    }
    assert.equal((await call('GET', '/api/v1/users/not-a-uuid', admin)).statusCode, 400);
  });

  it('lets users change their own password (current one required) and keeps them signed in', async () => {
    await t.services.deps.users.create('erin', 'erin-first-passphrase', 'viewer');
    const other = await t.login('erin', 'erin-first-passphrase');
    const mine = await t.login('erin', 'erin-first-passphrase');
    t.clock.advance(1);
    const wrong = await call('POST', '/api/v1/auth/password', mine, { currentPassword: 'nope-nope-nope', newPassword: 'erin-second-passphrase' });
    assert.equal(wrong.statusCode, 401);
    const ok = await call('POST', '/api/v1/auth/password', mine, { currentPassword: 'erin-first-passphrase', newPassword: 'erin-second-passphrase' });
    assert.equal(ok.statusCode, 204);
    const fresh = ok.cookies.find((c) => c.name === 'vigil_sid')!;
    assert.equal((await call('GET', '/api/v1/auth/me', `vigil_sid=${fresh.value}`)).statusCode, 200, 'a rotated session continues');
    assert.equal((await call('GET', '/api/v1/auth/me', mine)).statusCode, 401, 'the old id is dead');
    assert.equal((await call('GET', '/api/v1/auth/me', other)).statusCode, 401, 'other sessions are logged out');
  });
});
