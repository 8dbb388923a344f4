import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { base32Decode, totpCode } from '../../../auth/totp.js';
import { createTestApp, mutationHeaders, type TestApp } from '../../../testing/test-app.js';
import { TEST_ADMIN_PASSWORD } from '../../../testing/test-config.js';

const login = (t: TestApp, username: string, password: string, totp?: string) =>
  t.app.inject({ method: 'POST', url: '/api/v1/auth/login', headers: { 'x-requested-with': 'vigil' }, payload: { username, password, ...(totp !== undefined ? { totp } : {}) } });

describe('TOTP second factor', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp();
  });
  after(async () => t.close());

  it('enrols with a confirmed code, then requires it at login and refuses replays', async () => {
    await t.services.deps.users.create('tina', 'tina-long-passphrase', 'operator');
    const cookie = await t.login('tina', 'tina-long-passphrase');
    const setup = await t.app.inject({ method: 'POST', url: '/api/v1/auth/totp/setup', headers: mutationHeaders(cookie) });
    assert.equal(setup.statusCode, 200);
    const { secret, uri } = setup.json();
    assert.match(uri, /^otpauth:\/\/totp\/Vigil:tina\?secret=/);
    const key = base32Decode(secret);
    const stored = (await t.storage.users.getByUsername('tina'))!;
    assert.ok(stored.totpSecret && !stored.totpSecret.includes(secret), 'the secret is stored sealed');
    assert.equal((await login(t, 'tina', 'tina-long-passphrase')).statusCode, 200, 'not required before confirmation');
    assert.equal((await t.app.inject({ method: 'POST', url: '/api/v1/auth/totp/enable', headers: mutationHeaders(cookie), payload: { code: '000000' } })).statusCode, 400);
    const enable = await t.app.inject({ method: 'POST', url: '/api/v1/auth/totp/enable', headers: mutationHeaders(cookie), payload: { code: totpCode(key, t.clock.now()) } });
    assert.equal(enable.statusCode, 204);

    const noCode = await login(t, 'tina', 'tina-long-passphrase');
    assert.equal(noCode.statusCode, 401);
    assert.equal(noCode.json().error.code, 'VIGIL_ERR_TOTP_REQUIRED');
    assert.equal(noCode.cookies.length, 0, 'no session without the second factor');
    t.clock.advance(30_000);
    const bad = await login(t, 'tina', 'tina-long-passphrase', '123456');
    assert.equal(bad.statusCode, 401);
    assert.equal(bad.json().error.code, 'VIGIL_ERR_INVALID_CREDENTIALS');
    const code = totpCode(key, t.clock.now());
    assert.equal((await login(t, 'tina', 'tina-long-passphrase', code)).statusCode, 200);
    assert.equal((await login(t, 'tina', 'tina-long-passphrase', code)).statusCode, 401, 'a code works once');
    const wrongPassword = await login(t, 'tina', 'wrong-passphrase', totpCode(key, t.clock.now() + 30_000));
    assert.equal(wrongPassword.json().error.code, 'VIGIL_ERR_INVALID_CREDENTIALS');
    const reasons = (await t.storage.audit.list({ action: 'auth.login', limit: 10 })).map((e) => e.details?.['reason'] ?? e.details?.['factor']);
    assert.ok(reasons.includes('bad_totp') && reasons.includes('totp_required') && reasons.includes('password+totp'));
  });

  it('an admin resets a lost second factor', async () => {
    const admin = await t.login();
    const tina = (await t.storage.users.getByUsername('tina'))!;
    assert.equal((await t.app.inject({ method: 'DELETE', url: `/api/v1/users/${tina.id}/totp`, headers: mutationHeaders(admin) })).statusCode, 204);
    assert.equal((await login(t, 'tina', 'tina-long-passphrase')).statusCode, 200);
  });

  it('tokens cannot manage the second factor', async () => {
    const tina = (await t.storage.users.getByUsername('tina'))!;
    const { secret } = await t.services.deps.keys.createUserToken(tina.id, 'x', [], null, null);
    const r = await t.app.inject({ method: 'POST', url: '/api/v1/auth/totp/setup', headers: { authorization: `Bearer ${secret}` } });
    assert.equal(r.statusCode, 403);
  });
});

describe('require-2fa-for-admins', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp({ require2faForAdmins: true });
  });
  after(async () => t.close());

  it('lets an admin without TOTP only enrol, then grants everything', async () => {
    const res = await login(t, 'admin', TEST_ADMIN_PASSWORD);
    assert.equal(res.statusCode, 200);
    assert.equal(res.json().user.mfaEnrollmentRequired, true);
    assert.deepEqual(res.json().user.permissions, []);
    const cookie = `vigil_sid=${res.cookies.find((c) => c.name === 'vigil_sid')!.value}`;
    const blocked = await t.app.inject({ method: 'GET', url: '/api/v1/users', headers: { cookie } });
    assert.equal(blocked.statusCode, 403);
    assert.equal(blocked.json().error.code, 'VIGIL_ERR_MFA_ENROLLMENT_REQUIRED');
    assert.equal((await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie } })).json().user.mfaEnrollmentRequired, true);
    const { secret } = (await t.app.inject({ method: 'POST', url: '/api/v1/auth/totp/setup', headers: mutationHeaders(cookie) })).json();
    const code = totpCode(base32Decode(secret), t.clock.now());
    assert.equal((await t.app.inject({ method: 'POST', url: '/api/v1/auth/totp/enable', headers: mutationHeaders(cookie), payload: { code } })).statusCode, 204);
    assert.equal((await t.app.inject({ method: 'GET', url: '/api/v1/users', headers: { cookie } })).statusCode, 200, 'the same session is now fully privileged');
    t.clock.advance(30_000);
    const off = await t.app.inject({ method: 'POST', url: '/api/v1/auth/totp/disable', headers: mutationHeaders(cookie), payload: { code: totpCode(base32Decode(secret), t.clock.now()) } });
    assert.equal(off.statusCode, 400, 'admins cannot turn it off while it is required');
  });

  it('does not restrict other roles', async () => {
    await t.services.deps.users.create('opal', 'opal-long-passphrase', 'operator');
    const cookie = await t.login('opal', 'opal-long-passphrase');
    assert.equal((await t.app.inject({ method: 'GET', url: '/api/v1/agents', headers: { cookie } })).statusCode, 200);
  });
});
