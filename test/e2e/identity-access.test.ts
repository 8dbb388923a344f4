// Browser tests of identity and access: login (with a second factor), logout, role-restricted
// navigation and pages, user administration, and stored XSS attempts through agent-supplied and
// user-supplied text shown on the admin pages. Real `vigil server`, Debian's Chromium.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { base32Decode, totpCode } from '../../src/server/auth/totp.js';
import { needChromium } from '../support/requirements.js';
import { launchBrowser, type TestBrowser } from './support/browser.js';
import { waitFor } from './support/child-process.js';
import { VigilServer } from './support/vigil-server.js';

const skip = await needChromium();

/** What an attacker-controlled string tries to do when rendered as HTML. */
const HOSTILE = (n: string) => `"><img src=x onerror="window.__xss='${n}'"><script>window.__xss='${n}'</script>`;

describe('identity and access (browser e2e)', { skip, timeout: 300_000 }, () => {
  let server: VigilServer;
  let admin: TestBrowser;
  let other: TestBrowser;
  let adminCookie: string;

  const api = async (path: string, init: { method?: string; body?: unknown; cookie?: string; headers?: Record<string, string> } = {}) => {
    const res = await fetch(`${server.url}${path}`, {
      method: init.method ?? 'GET',
      headers: { ...(init.body === undefined ? {} : { 'Content-Type': 'application/json' }), 'X-Requested-With': 'vigil', Cookie: init.cookie ?? adminCookie, ...init.headers },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
    const text = await res.text();
    return { status: res.status, json: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
  };

  async function signIn(page: Page, username: string, password: string, path = '/'): Promise<void> {
    await page.goto(`${server.url}${path}`);
    await page.waitForURL(/\/login/);
    await page.fill('input[name=username]', username);
    await page.fill('input[name=password]', password);
    await page.click('button[type=submit]');
  }

  const navIds = (page: Page) => page.locator('nav a[data-nav]').evaluateAll((els) => els.map((e) => e.getAttribute('data-nav')));

  before(async () => {
    server = await VigilServer.start();
    adminCookie = await server.login();
    for (const [username, role] of [['vera', 'viewer'], ['gus', 'guest'], ['tom', 'operator']] as const) {
      const r = await api('/api/v1/users', { method: 'POST', body: { username, password: `${username}-e2e-passphrase`, role } });
      assert.equal(r.status, 201);
    }
    admin = await launchBrowser();
    other = await launchBrowser();
    admin.page.setDefaultTimeout(30_000);
    other.page.setDefaultTimeout(30_000);
  });

  after(async () => {
    await admin?.close();
    await other?.close();
    await server?.dispose();
  });

  it('shows each role only the pages it may use, and refuses the others', async () => {
    const page = other.page;
    await signIn(page, 'vera', 'vera-e2e-passphrase', '/admin/users');
    await page.waitForURL(`${server.url}/admin/users`);
    await page.locator('[data-page=forbidden]').waitFor();
    assert.deepEqual(await navIds(page), ['overview', 'explore', 'predictions', 'alerts', 'rules', 'security', 'keys']);
    const direct = await page.evaluate(async () => (await fetch('/api/v1/users')).status);
    assert.equal(direct, 403, 'the server refuses too, whatever the UI shows');
    await page.click('button:has-text("Log out")');
    await page.waitForURL(/\/login/);

    await signIn(page, 'gus', 'gus-e2e-passphrase');
    await page.locator('header.topbar').waitFor();
    assert.deepEqual(await navIds(page), ['overview', 'keys']);
    await page.goto(`${server.url}/explore`);
    await page.locator('[data-page=forbidden]').waitFor();
    await page.click('button:has-text("Log out")');
    await page.waitForURL(/\/login/);
    assert.equal(await page.evaluate(async () => (await fetch('/api/v1/auth/me')).status), 401, 'logout ended the session on the server');
  });

  it('lets an admin create a user, change the role and disable them, which signs them out', async () => {
    const page = admin.page;
    await signIn(page, server.username, server.password, '/admin/users');
    await page.waitForURL(`${server.url}/admin/users`);
    assert.deepEqual(await navIds(page), ['overview', 'explore', 'predictions', 'alerts', 'rules', 'security', 'users', 'keys', 'audit', 'storage']);
    await page.fill('[data-form=create-user] input[name=username]', 'carol');
    await page.fill('[data-form=create-user] input[name=password]', 'carol-e2e-passphrase');
    await page.selectOption('[data-form=create-user] select[name=role]', 'viewer');
    await page.click('[data-form=create-user] button[type=submit]');
    await page.locator('tr[data-user=carol]').waitFor();

    // Carol signs in elsewhere, then the admin promotes and finally disables her.
    await signIn(other.page, 'carol', 'carol-e2e-passphrase');
    await other.page.locator('header.topbar').waitFor();
    assert.ok(!(await navIds(other.page)).includes('users'));
    await page.selectOption('select[aria-label="Role of carol"]', 'admin');
    await page.getByRole('status').filter({ hasText: 'carol is now admin' }).waitFor();
    await other.page.reload();
    await waitFor('carol sees the admin pages', async () => (await navIds(other.page)).includes('users'));
    await page.click('tr[data-user=carol] button:has-text("Sessions")');
    await page.locator('[data-table=sessions] tr[data-session-id]').first().waitFor();
    await page.click('tr[data-user=carol] button:has-text("Disable")');
    await page.locator('tr[data-user=carol] .badge:has-text("disabled")').waitFor();
    // Her live connection is cut and her next request is refused: the dashboard shows the login page.
    await other.page.reload();
    await other.page.waitForURL(/\/login/);
  });

  it('creates a scoped token and an agent key (each shown once) and revokes the token', async () => {
    const agent = await server.enrollAgent('keys-agent');
    const page = admin.page;
    await page.goto(`${server.url}/admin/keys`);
    await page.fill('[data-form=create-token] input[name=name]', 'grafana-e2e');
    await page.check('[data-form=create-token] label:has-text("read:metrics") input');
    await page.click('[data-form=create-token] button[type=submit]');
    const secret = await page.locator('[data-form=create-token] [data-secret] .secret-value').innerText();
    assert.match(secret, /^vgu_/);
    const tokenRow = page.locator('[data-table=keys] tr', { hasText: 'grafana-e2e' });
    assert.match(await tokenRow.innerText(), /read:metrics/);
    const asToken = (path: string) => fetch(`${server.url}${path}`, { headers: { Authorization: `Bearer ${secret}` } }).then((r) => r.status);
    assert.equal(await asToken('/api/v1/metrics'), 200);
    assert.equal(await asToken('/api/v1/users'), 403, 'outside the token scope');
    await page.selectOption('[data-form=create-agent-key] select[name=agent]', agent.id);
    await page.click('[data-form=create-agent-key] button[type=submit]');
    assert.match(await page.locator('[data-form=create-agent-key] .secret-value').innerText(), /^vgk_/);
    await page.fill('[data-form=enroll-agent] input[name=agent-name]', 'e2e-new-host');
    await page.click('[data-form=enroll-agent] button[type=submit]');
    assert.match(await page.locator('[data-form=enroll-agent] .secret-value').innerText(), /^VIGIL_KEY=vgk_\S+ npx vigil agent --server http/);
    const agents = await api('/api/v1/agents');
    assert.ok((agents.json['agents'] as { name: string }[]).some((a) => a.name === 'e2e-new-host'), 'the new agent is registered');
    await tokenRow.locator('button:has-text("Revoke")').click();
    await page.locator('[data-table=keys] tr[data-state=revoked]', { hasText: 'grafana-e2e' }).waitFor();
    assert.equal(await asToken('/api/v1/metrics'), 401, 'revocation is immediate');
    await page.reload();
    await page.locator('[data-table=keys]').waitFor();
    assert.equal(await page.locator('.secret-value').count(), 0, 'secrets are never shown again');
  });

  it('asks for the authenticator code when the user has a second factor', async () => {
    const tomCookie = (await (async () => {
      const res = await fetch(`${server.url}/api/v1/auth/login`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Requested-With': 'vigil' }, body: JSON.stringify({ username: 'tom', password: 'tom-e2e-passphrase' }) });
      return (res.headers.get('set-cookie') ?? '').split(';')[0]!;
    })());
    const setup = await api('/api/v1/auth/totp/setup', { method: 'POST', cookie: tomCookie });
    assert.equal(setup.status, 200, JSON.stringify(setup.json));
    const key = base32Decode(String(setup.json['secret']));
    const enabled = await api('/api/v1/auth/totp/enable', { method: 'POST', cookie: tomCookie, body: { code: totpCode(key, Date.now()) } });
    assert.equal(enabled.status, 204, JSON.stringify(enabled.json));
    const page = other.page;
    await signIn(page, 'tom', 'tom-e2e-passphrase');
    await page.getByRole('alert').filter({ hasText: 'authenticator' }).waitFor();
    // The step after the enrolment code (each code works once).
    await page.fill('input[name=totp]', totpCode(key, Date.now() + 30_000));
    await page.click('button[type=submit]');
    await page.locator('header.topbar').waitFor();
    assert.equal(await page.locator('[data-user-menu]').innerText(), 'tom');
    await page.click('button:has-text("Log out")');
    await page.waitForURL(/\/login/);
  });

  it('renders hostile agent-supplied and user-supplied text as text on every admin page', async () => {
    // 1. An agent reports a hostile host name.
    const enrolled = await server.enrollAgent('xss-agent');
    const reg = await fetch(`${server.url}/api/v1/agents/register`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${enrolled.key}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ hostname: HOSTILE('host'), os: HOSTILE('os'), kernel: HOSTILE('kernel'), arch: 'x64', agentVersion: '<b>1</b>', intervalMs: 10_000, cpuCount: 1, memoryBytes: 1, capabilities: [], unavailable: [] }),
    });
    assert.equal(reg.status, 200, await reg.text());
    // 2. Someone tries to log in with a hostile user name and user agent (both land in the audit log).
    await fetch(`${server.url}/api/v1/auth/login`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Requested-With': 'vigil', 'User-Agent': HOSTILE('ua') }, body: JSON.stringify({ username: HOSTILE('login'), password: 'whatever-pass' }) });
    // 3. A user names an API token with markup.
    assert.equal((await api('/api/v1/keys', { method: 'POST', body: { kind: 'user', name: HOSTILE('token') } })).status, 201);

    const page = admin.page;
    for (const path of ['/', `/hosts/${enrolled.id}`, '/admin/audit', '/admin/keys', '/admin/users']) {
      await page.goto(`${server.url}${path}`);
      await page.locator('main .page').first().waitFor();
      await page.waitForLoadState('networkidle');
    }
    await page.goto(`${server.url}/admin/audit?action=auth.login&outcome=failure`);
    const cell = page.locator('[data-table=audit] tbody tr').first();
    await cell.waitFor();
    assert.ok((await cell.innerText()).includes('<img src=x'), 'the payload is visible as text');
    assert.equal(await page.evaluate('window.__xss'), undefined, 'no payload ran');
    assert.equal(await page.locator('img[src=x]').count(), 0);
    await page.goto(`${server.url}/admin/keys`);
    await page.locator('[data-table=keys] th', { hasText: '<script>' }).waitFor();
    assert.equal(await page.evaluate('window.__xss'), undefined);
  });

  it('raised no page errors and no Content-Security-Policy violations', () => {
    assert.deepEqual(admin.pageErrors, []);
    assert.deepEqual(admin.cspViolations, []);
    assert.deepEqual(other.cspViolations, []);
  });
});
