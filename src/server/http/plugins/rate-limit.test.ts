import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, mutationHeaders, type TestApp } from '../../testing/test-app.js';
import { testConfig, TEST_ADMIN_PASSWORD } from '../../testing/test-config.js';

const base = testConfig('/unused').rateLimit;
const limits = { ...base, api: 5, ui: 7, ingest: 4, login: 6, public: 8, loginMaxFailures: 3 };

describe('HTTP rate limits', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp({ rateLimit: limits, trustProxy: ['10.9.0.0/16'] });
  });
  after(async () => t.close());

  const get = (url: string, headers: Record<string, string> = {}, remoteAddress = '192.0.2.10') => t.app.inject({ method: 'GET', url, headers, remoteAddress });

  it('lets max requests through per client IP, answers max+1 with 429, Retry-After, RateLimit fields and security headers', async () => {
    const key = await t.services.deps.keys.createUserToken((await t.storage.users.getByUsername('admin'))!.id, 'rl', [], null, null);
    const auth = { authorization: `Bearer ${key.secret}` };
    for (let i = 1; i <= 5; i++) {
      const ok = await get('/api/v1/auth/me', auth);
      assert.equal(ok.statusCode, 200, `request ${i}`);
      assert.equal(ok.headers['ratelimit-policy'], '"api";q=5;w=60');
      assert.match(String(ok.headers['ratelimit']), new RegExp(`^"api";r=${5 - i};t=\\d+$`));
    }
    const over = await get('/api/v1/auth/me', auth);
    assert.equal(over.statusCode, 429);
    assert.equal(over.json().error.code, 'VIGIL_ERR_RATE_LIMITED');
    assert.ok(Number(over.headers['retry-after']) >= 1);
    assert.match(String(over.headers['ratelimit']), /^"api";r=0;t=\d+$/);
    assert.equal(over.headers['ratelimit-policy'], '"api";q=5;w=60');
    assert.match(String(over.headers['content-security-policy']), /frame-ancestors 'none'/);
    assert.equal(over.headers['x-content-type-options'], 'nosniff');
    // Unauthenticated callers from the same IP share the budget (limits apply before auth).
    assert.equal((await get('/api/v1/agents')).statusCode, 429);
    // Another client is unaffected, and the window resets.
    assert.equal((await get('/api/v1/auth/me', auth, '192.0.2.11')).statusCode, 200);
    t.clock.advance(61_000);
    assert.equal((await get('/api/v1/auth/me', auth)).statusCode, 200);
    const audited = await t.storage.audit.list({ action: 'ratelimit.exceeded', limit: 10 });
    assert.equal(audited.filter((e) => e.ip === '192.0.2.10').length, 1, 'one audit entry per window, not per refused request');
    assert.equal(audited[0]!.details?.['group'], 'api');
  });

  it('ignores X-Forwarded-For from untrusted peers and honours it from the configured proxy', async () => {
    t.clock.advance(60_000);
    for (let i = 0; i < 5; i++) await get('/api/v1/agents', { 'x-forwarded-for': `198.51.100.${i}` }, '192.0.2.20');
    const spoofed = await get('/api/v1/agents', { 'x-forwarded-for': '198.51.100.99' }, '192.0.2.20');
    assert.equal(spoofed.statusCode, 429, 'rotating X-Forwarded-For from a non-proxy does not buy a new budget');
    for (let i = 0; i < 5; i++) assert.equal((await get('/api/v1/agents', { 'x-forwarded-for': `198.51.100.${i}` }, '10.9.0.1')).statusCode, 401, 'through the trusted proxy each client has its own budget');
    for (let i = 0; i < 5; i++) await get('/api/v1/agents', { 'x-forwarded-for': '203.0.113.7' }, '10.9.0.1');
    assert.equal((await get('/api/v1/agents', { 'x-forwarded-for': '203.0.113.7' }, '10.9.0.2')).statusCode, 429, 'the real client behind the proxy is limited');
  });

  it('groups an IPv6 /64 into one budget', async () => {
    t.clock.advance(60_000);
    for (let i = 1; i <= 5; i++) await get('/api/v1/agents', {}, `2001:db8:5:6::${i}`);
    assert.equal((await get('/api/v1/agents', {}, '2001:db8:5:6:ffff::1')).statusCode, 429);
    assert.equal((await get('/api/v1/agents', {}, '2001:db8:5:7::1')).statusCode, 401);
  });

  it('limits dashboard sessions per user and ingest per agent key, separately from the IP budget', async () => {
    t.clock.advance(60_000);
    const cookie = await t.login();
    t.clock.advance(60_000);
    for (let i = 1; i <= 7; i++) assert.equal((await get('/api/v1/auth/me', { cookie }, `192.0.2.${100 + i}`)).statusCode, 200);
    const over = await get('/api/v1/auth/me', { cookie }, '192.0.2.200');
    assert.equal(over.statusCode, 429);
    assert.equal(over.headers['ratelimit-policy'], '"ui";q=7;w=60');
    const key = await t.agentKey('rl-agent');
    const ingest = () => t.app.inject({ method: 'POST', url: '/api/v1/ingest', headers: { authorization: `Bearer ${key}` }, payload: { series: [] }, remoteAddress: '192.0.2.30' });
    for (let i = 1; i <= 4; i++) assert.notEqual((await ingest()).statusCode, 429, `ingest ${i}`);
    const o = await ingest();
    assert.equal(o.statusCode, 429);
    assert.equal(o.headers['ratelimit-policy'], '"ingest";q=4;w=60');
  });

  it('counts invalid API keys with login attempts per IP (key guessing)', async () => {
    t.clock.advance(60_000);
    for (let i = 0; i < 6; i++) {
      const r = await t.app.inject({ method: 'POST', url: '/api/v1/ingest', headers: { authorization: `Bearer vgk_${'A'.repeat(20)}${i}` }, payload: {}, remoteAddress: '192.0.2.40' });
      assert.equal(r.statusCode, 401);
    }
    const r = await t.app.inject({ method: 'POST', url: '/api/v1/ingest', headers: { authorization: `Bearer vgk_${'B'.repeat(22)}` }, payload: {}, remoteAddress: '192.0.2.40' });
    assert.equal(r.statusCode, 429);
    assert.equal(r.headers['ratelimit-policy'], '"login";q=6;w=60');
  });

  it('throttles login per account after N failures (429, audited) while the real admin keeps logging in from a known browser', async () => {
    t.clock.advance(60_000);
    // The real admin logged in earlier from this browser and holds a device cookie.
    const first = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', headers: { 'x-requested-with': 'vigil' }, payload: { username: 'admin', password: TEST_ADMIN_PASSWORD }, remoteAddress: '192.0.2.50' });
    const device = first.cookies.find((c) => c.name === 'vigil_device');
    assert.ok(device, 'a device cookie is issued at login');
    assert.equal(device.httpOnly, true);
    assert.equal(device.sameSite, 'Strict');
    const attempt = (password: string, ip: string, extra: Record<string, string> = {}) =>
      t.app.inject({ method: 'POST', url: '/api/v1/auth/login', headers: { 'x-requested-with': 'vigil', ...extra }, payload: { username: 'admin', password }, remoteAddress: ip });
    // The attacker spreads guesses over many IPs, so the per-IP budget never triggers.
    for (let i = 1; i <= 3; i++) assert.equal((await attempt(`guess-${i}`, `198.18.0.${i}`)).statusCode, 401);
    const locked = await attempt(TEST_ADMIN_PASSWORD, '198.18.0.9');
    assert.equal(locked.statusCode, 429, 'even the right password is refused for untrusted browsers once the account budget is spent');
    assert.ok(Number(locked.headers['retry-after']) > 0);
    assert.equal(locked.headers['ratelimit-policy'], '"login-account";q=3;w=900');
    const fromKnownBrowser = await attempt(TEST_ADMIN_PASSWORD, '192.0.2.50', { cookie: `vigil_device=${device.value}` });
    assert.equal(fromKnownBrowser.statusCode, 200, 'the real admin is not locked out');
    const forged = await attempt(TEST_ADMIN_PASSWORD, '198.18.0.10', { cookie: `vigil_device=${device.value.slice(0, -2)}xx` });
    assert.equal(forged.statusCode, 429, 'a forged device cookie does not help');
    const entries = await t.storage.audit.list({ action: 'auth.login', limit: 20 });
    assert.ok(entries.some((e) => e.outcome === 'denied' && e.details?.['reason'] === 'throttled'));
    assert.ok(entries.some((e) => e.outcome === 'failure' && e.details?.['throttled'] === true));
    t.clock.advance(15 * 60_000);
    assert.equal((await attempt(TEST_ADMIN_PASSWORD, '198.18.0.11')).statusCode, 200, 'the soft lock ends with the window');
  });

  it('limits login attempts per IP before hashing anything', async () => {
    t.clock.advance(60_000);
    const codes: number[] = [];
    for (let i = 0; i < 7; i++) {
      const r = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', headers: { 'x-requested-with': 'vigil' }, payload: { username: `nobody-${i}`, password: 'whatever-pass' }, remoteAddress: '192.0.2.60' });
      codes.push(r.statusCode);
    }
    assert.deepEqual(codes, [401, 401, 401, 401, 401, 401, 429]);
  });

  it('does not limit when disabled', async () => {
    const off = await createTestApp({ rateLimit: { ...limits, enabled: false } });
    try {
      for (let i = 0; i < 10; i++) assert.equal((await off.app.inject({ method: 'GET', url: '/api/v1/agents', remoteAddress: '192.0.2.70' })).statusCode, 401);
      const r = await off.app.inject({ method: 'GET', url: '/api/v1/agents' });
      assert.equal(r.headers['ratelimit'], undefined);
      const cookie = await off.login();
      assert.equal((await off.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: mutationHeaders(cookie) })).statusCode, 204);
    } finally {
      await off.close();
    }
  });
});
