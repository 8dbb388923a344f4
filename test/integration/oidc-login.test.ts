/**
 * SSO against a real OpenID provider (`oidc-provider`) started on 127.0.0.1 in the test:
 * authorization code + PKCE, state, nonce, ID-token signature, userinfo claims, claim → role
 * mapping, and the SSRF guard in front of every provider call.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';
import { OUTBOUND_ALLOWLIST_SETTING } from '../../src/server/outbound/outbound-allowlist.js';
import { createTestApp, type TestApp } from '../../src/server/testing/test-app.js';

const ACCOUNTS: Record<string, { preferred_username: string; groups: string[] }> = {
  'sub-alice': { preferred_username: 'alice', groups: ['staff', 'vigil-admins'] },
  'sub-sam': { preferred_username: 'sam', groups: ['sre'] },
  'sub-mallory': { preferred_username: 'mallory', groups: ['contractors'] },
};

/** A tiny cookie jar (one host, so names are unique enough for this test). */
class Browser {
  private jar = new Map<string, string>();
  async get(url: string): Promise<{ status: number; location: string | null; body: string }> {
    const res = await fetch(url, { redirect: 'manual', headers: { cookie: [...this.jar].map(([k, v]) => `${k}=${v}`).join('; ') } });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const i = pair!.indexOf('=');
      const name = pair!.slice(0, i);
      const value = pair!.slice(i + 1);
      if (value === '' || /expires=Thu, 01 Jan 1970/i.test(c)) this.jar.delete(name);
      else this.jar.set(name, value);
    }
    const location = res.headers.get('location');
    return { status: res.status, location: location ? new URL(location, url).toString() : null, body: await res.text() };
  }
  cookie(name: string): string | undefined {
    return this.jar.get(name);
  }
  /** Follows redirects until leaving `stopAt`'s origin path prefix or a non-redirect. */
  async follow(url: string, until: (u: string) => boolean, max = 10): Promise<string> {
    let next = url;
    for (let i = 0; i < max; i++) {
      if (until(next)) return next;
      const r = await this.get(next);
      if (!r.location) throw new Error(`stopped at ${next} with ${r.status}: ${r.body.slice(0, 300)}`);
      next = r.location;
    }
    throw new Error('too many redirects');
  }
}

describe('OIDC login (authorization code + PKCE) against a local provider', () => {
  let idp: http.Server;
  let provider: Provider;
  let t: TestApp;
  let vigil: string;
  let issuer: string;
  let pkceSeen = false;

  before(async () => {
    idp = http.createServer((req, res) => {
      if (req.url?.startsWith('/interaction/')) return void finishInteraction(req, res);
      if (req.url?.startsWith('/token') && req.method === 'POST') {
        // Record that the client sent a PKCE verifier (the provider checks it against the challenge).
        let body = '';
        req.on('data', (c: Buffer) => (body += c.toString()));
        req.on('end', () => (pkceSeen ||= /code_verifier=/.test(body)));
      }
      provider.callback()(req, res);
    });
    await new Promise<void>((r) => idp.listen(0, '127.0.0.1', r));
    issuer = `http://127.0.0.1:${(idp.address() as AddressInfo).port}`;
    t = await createTestApp({
      oidc: { issuer, clientId: 'vigil', clientSecret: 'vigil-client-secret-1234567890', roleClaim: 'groups', roleMap: { 'vigil-admins': 'admin', sre: 'operator' }, defaultRole: 'none', usernameClaim: 'preferred_username', label: 'Test IdP' },
    });
    vigil = (await t.listen()).replace('localhost', '127.0.0.1');
    provider = new Provider(issuer, {
      clients: [{ client_id: 'vigil', client_secret: 'vigil-client-secret-1234567890', redirect_uris: [`${vigil}/api/v1/auth/oidc/callback`], grant_types: ['authorization_code'], response_types: ['code'], token_endpoint_auth_method: 'client_secret_basic' }],
      claims: { openid: ['sub'], profile: ['preferred_username'], groups: ['groups'] },
      scopes: ['openid', 'profile', 'email', 'groups'],
      findAccount: async (_ctx: unknown, sub: string) => ({ accountId: sub, claims: async () => ({ sub, ...ACCOUNTS[sub] }) }),
      pkce: { required: () => true },
      features: { devInteractions: { enabled: false } },
      interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
      cookies: { keys: ['test-cookie-key-0123456789'] },
    });
  });
  after(async () => {
    await t?.close();
    idp?.close();
  });

  /** The provider's "login page": signs in whoever `login_hint` names and consents to everything asked. */
  let nextAccount = 'sub-alice';
  async function finishInteraction(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const details = await provider.interactionDetails(req, res);
    const grant = new provider.Grant({ accountId: nextAccount, clientId: details.params['client_id'] as string });
    grant.addOIDCScope(String(details.params['scope']));
    const grantId = await grant.save();
    await provider.interactionFinished(req, res, { login: { accountId: nextAccount }, consent: { grantId } }, { mergeWithLastSubmission: false });
  }

  async function allowProvider(): Promise<void> {
    await t.storage.settings.set(OUTBOUND_ALLOWLIST_SETTING, { cidrs: ['127.0.0.1/32'], hosts: [] }, t.clock.now());
  }

  it('is refused by the SSRF guard until an admin allowlists the internal provider', async () => {
    const b = new Browser();
    const r = await b.get(`${vigil}/api/v1/auth/oidc/login`);
    assert.equal(r.status, 303);
    assert.equal(new URL(r.location!).pathname + new URL(r.location!).search, '/login?sso_error=provider_unavailable');
  });

  it('offers the provider on the login page', async () => {
    const res = await fetch(`${vigil}/api/v1/auth/providers`);
    assert.deepEqual(await res.json(), { password: true, oidc: { label: 'Test IdP', loginUrl: '/api/v1/auth/oidc/login' } });
  });

  it('signs in with code + PKCE, maps groups to admin and returns to the page the user came from', async () => {
    await allowProvider();
    nextAccount = 'sub-alice';
    const b = new Browser();
    const start = await b.get(`${vigil}/api/v1/auth/oidc/login?returnTo=${encodeURIComponent('/hosts/abc?x=1')}`);
    assert.equal(start.status, 303);
    const auth = new URL(start.location!);
    assert.equal(auth.origin, issuer);
    assert.equal(auth.searchParams.get('code_challenge_method'), 'S256');
    assert.match(auth.searchParams.get('code_challenge') ?? '', /^[A-Za-z0-9_-]{43}$/);
    assert.ok(auth.searchParams.get('state') && auth.searchParams.get('nonce'));
    assert.ok(b.cookie('vigil_oidc'), 'the pending login is kept in a sealed cookie');
    const landed = await b.follow(start.location!, (u) => u.startsWith(vigil) && !u.includes('/api/v1/auth/oidc/'));
    assert.equal(landed, `${vigil}/hosts/abc?x=1`);
    assert.ok(pkceSeen, 'the token request carried the PKCE verifier');
    const me = await fetch(`${vigil}/api/v1/auth/me`, { headers: { cookie: `vigil_sid=${b.cookie('vigil_sid')}` } });
    const { user } = (await me.json()) as { user: { username: string; role: string } };
    assert.deepEqual([user.username, user.role], ['alice', 'admin']);
    const stored = (await t.storage.users.getByUsername('alice'))!;
    assert.equal(stored.source, 'oidc');
    assert.equal(stored.externalSubject, `${issuer}|sub-alice`);
    const login = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', headers: { 'x-requested-with': 'vigil' }, payload: { username: 'alice', password: 'anything-at-all' } });
    assert.equal(login.statusCode, 401, 'SSO users have no usable password');
    const audit = await t.storage.audit.list({ action: 'auth.login', outcome: 'success', limit: 5 });
    assert.equal(audit[0]?.details?.['factor'], 'oidc');
  });

  it('maps sre to operator and refuses accounts no mapping matches', async () => {
    nextAccount = 'sub-sam';
    const b = new Browser();
    const start = await b.get(`${vigil}/api/v1/auth/oidc/login`);
    await b.follow(start.location!, (u) => u.startsWith(vigil) && !u.includes('/api/v1/auth/oidc/'));
    assert.equal((await t.storage.users.getByUsername('sam'))?.role, 'operator');
    nextAccount = 'sub-mallory';
    const m = new Browser();
    const s2 = await m.get(`${vigil}/api/v1/auth/oidc/login`);
    const landed = await m.follow(s2.location!, (u) => u.startsWith(vigil) && !u.includes('/api/v1/auth/oidc/'));
    assert.equal(landed, `${vigil}/login?sso_error=no_role`);
    assert.equal(m.cookie('vigil_sid'), undefined);
    assert.equal(await t.storage.users.getByUsername('mallory'), null);
  });

  it('refuses a callback whose state does not match the browser (login CSRF)', async () => {
    nextAccount = 'sub-alice';
    const victim = new Browser();
    await victim.get(`${vigil}/api/v1/auth/oidc/login`);
    const attacker = new Browser();
    const s = await attacker.get(`${vigil}/api/v1/auth/oidc/login`);
    // The attacker completes a login at the provider but stops before the callback...
    const callback = await attacker.follow(s.location!, (u) => u.startsWith(`${vigil}/api/v1/auth/oidc/callback`));
    // ...and makes the victim's browser open it.
    const r = await victim.get(callback);
    assert.equal(r.location, `${vigil}/login?sso_error=state_mismatch`);
    assert.equal(victim.cookie('vigil_sid'), undefined);
    const noCookie = await new Browser().get(callback);
    assert.equal(noCookie.location, `${vigil}/login?sso_error=state_mismatch`);
  });

  it('never redirects off-site after login', async () => {
    nextAccount = 'sub-alice';
    const b = new Browser();
    const start = await b.get(`${vigil}/api/v1/auth/oidc/login?returnTo=${encodeURIComponent('//evil.example/x')}`);
    const landed = await b.follow(start.location!, (u) => u.startsWith(vigil) && !u.includes('/api/v1/auth/oidc/'));
    assert.equal(landed, `${vigil}/`);
  });
});
