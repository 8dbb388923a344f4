// Browser test of the SOC view (issue 6): events posted by an agent key are searched, filtered,
// counted in facets, opened with their related events and the host's charts, triaged,
// suppressed (with the preview count), exported as CSV, and a new critical event appears live
// without a reload. Agent-supplied text must render as text. Real `vigil server`, real Chromium.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import type { Page } from 'playwright-core';
import type { SecurityEventInput, SecurityEventPage } from '../../src/protocol/security.js';
import { needChromium } from '../support/requirements.js';
import { PROCESS_ADMIN_PASSWORD, processDataDir, ProcessApi, startVigilServer, type VigilProcess } from '../support/vigil-process.js';
import { launchBrowser, type TestBrowser } from './support/browser.js';
import { waitFor } from './support/child-process.js';

const skip = await needChromium();

const HOST = 'e2e-sec';
const ATTACKER = '203.0.113.7';
const HOSTILE = '<img src=x onerror="window.__xss=1">';

/** Posts events with an agent key (the host comes from the key's agent). */
async function postEvents(url: string, key: string, events: SecurityEventInput[]): Promise<void> {
  const res = await fetch(`${url}/api/v1/events`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify({ events }) });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`POST /api/v1/events → ${res.status} ${text}`);
  const body = JSON.parse(text) as { accepted: number; rejected: number };
  assert.equal(body.rejected, 0, text);
}

function event(over: Partial<SecurityEventInput> & Pick<SecurityEventInput, 'event_type' | 'severity' | 'ts'>): SecurityEventInput {
  return { event_id: randomUUID(), source: 'e2e', description: `${over.event_type} seen by the e2e test`, ...over };
}

describe('SOC view (browser e2e)', { skip, timeout: 300_000 }, () => {
  let server: VigilProcess;
  let dir: string;
  let browser: TestBrowser;
  let page: Page;
  let api: ProcessApi;
  let agentKey: string;
  const now = Date.now();
  const correlation = `corr-${randomUUID()}`;
  const bruteForce = event({ event_type: 'brute_force', severity: 'high', ts: now - 3 * 60_000, correlation_id: correlation, mitre_technique: 'T1110', description: `5 failed logins from ${ATTACKER} within 2 min`, metadata: { src_ip: ATTACKER, user: 'root' } });
  const failures = [0, 1, 2].map((i) => event({ event_type: 'auth_failure', severity: 'low', ts: now - 5 * 60_000 + i * 10_000, correlation_id: correlation, description: `Failed password for root from ${ATTACKER}`, metadata: { src_ip: ATTACKER, user: 'root' } }));
  const port = event({ event_type: 'port_opened', severity: 'medium', ts: now - 60 * 60_000, description: 'tcp/4444 opened by nc', metadata: { proto: 'tcp', port: 4444, process: 'nc' } });
  const hostile = event({ event_type: 'file_changed', severity: 'critical', ts: now - 2 * 60 * 60_000, description: `changed ${HOSTILE}`, metadata: { path: HOSTILE } });

  const diagnostics = () => `\n--- server ---\n${server?.output()}`;

  before(async () => {
    dir = await processDataDir();
    server = await startVigilServer(dir);
    api = await ProcessApi.login(server.url);
    agentKey = (await api.call<{ key: string }>('POST', '/api/v1/agents', { name: HOST })).key;
    // Metrics of the host around the events, so the detail page has CPU and network to chart.
    const points = (f: (i: number) => number): [number, number][] => Array.from({ length: 40 }, (_, i) => [now - 20 * 60_000 + i * 30_000, f(i)]);
    await api.ingest(agentKey, [
      { metric: 'cpu_usage_percent', labels: { cpu: 'total' }, points: points((i) => 10 + (i % 7) * 5) },
      { metric: 'network_receive_bytes_per_second', labels: { interface: 'eth0' }, points: points((i) => 1000 + i * 100) },
    ]);
    await postEvents(server.url, agentKey, [...failures, bruteForce, port, hostile]);
    browser = await launchBrowser();
    page = browser.page;
    page.setDefaultTimeout(30_000);
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lists events with facet counts and filters by severity through the URL', async () => {
    await page.goto(`${server.url}/login`);
    await page.fill('input[name=username]', 'admin');
    await page.fill('input[name=password]', PROCESS_ADMIN_PASSWORD);
    await page.click('button[type=submit]');
    await page.locator('header.topbar').waitFor();
    await page.click('a[data-nav=security]');
    await page.waitForURL(`${server.url}/security`);
    await page.locator('[data-panel="security-events"][data-state="ready"]').waitFor();
    // The server's first-seen detection adds one event: port 4444 was never seen on the host.
    const anomaly = page.locator('tr[data-event-type="anomaly_detected"]');
    await anomaly.waitFor();
    assert.match(await anomaly.innerText(), /4444|port/i);
    const expected = await api.call<SecurityEventPage>('GET', '/api/v1/events');
    assert.equal(expected.total, 7, diagnostics());
    assert.equal(await page.locator('table[data-table=events] tbody tr').count(), expected.total);
    for (const e of [...failures, bruteForce, port, hostile]) assert.equal(await page.locator(`tr[data-event="${e.event_id}"]`).count(), 1);
    const count = (facet: string) => page.getAttribute(`[data-facet="${facet}"]`, 'data-count');
    assert.equal(await count('severity:low'), '3');
    assert.equal(await count('severity:medium'), '2');
    assert.equal(await count('severity:high'), '1');
    assert.equal(await count('severity:critical'), '1');
    assert.equal(await count('event_type:auth_failure'), '3');
    assert.equal(await count('event_type:anomaly_detected'), '1');

    await page.click('[data-severity-toggle=high]');
    await page.waitForURL(`${server.url}/security?severity=high`);
    await waitFor('filtered list', async () => (await page.locator('table[data-table=events] tbody tr').count()) === 1);
    assert.equal(await page.getAttribute('table[data-table=events] tbody tr', 'data-event'), bruteForce.event_id);
    assert.equal(await count('severity:high'), '1');
    assert.equal(await page.locator('[data-facet="severity:low"]').count(), 0, 'facets count the filtered result');

    // The filtered view is a link: a fresh load of the URL shows the same result.
    await page.reload();
    await page.locator(`tr[data-event="${bruteForce.event_id}"]`).waitFor();
    assert.equal(await page.getAttribute('[data-severity-toggle=high]', 'aria-pressed'), 'true');
  });

  it('opens the detail with metadata, MITRE link, related events and host charts marked at the event', async () => {
    await page.click(`tr[data-event="${bruteForce.event_id}"] a`);
    await page.waitForURL(`${server.url}/security/events/${bruteForce.event_id}`);
    await page.locator(`[data-event-detail="${bruteForce.event_id}"]`).waitFor();
    assert.equal(await page.getAttribute('[data-mitre]', 'href'), 'https://attack.mitre.org/techniques/T1110/');
    assert.match(await page.locator('table[data-table=metadata]').innerText(), new RegExp(ATTACKER.replace(/\./g, '\\.')));
    await page.locator('table[data-table=related]').waitFor();
    for (const f of failures) await page.locator(`table[data-table=related] tr[data-event="${f.event_id}"]`).waitFor();
    for (const id of ['cpu', 'network']) {
      const chart = page.locator(`[data-panel="event-chart-${id}"] figure.time-chart`);
      await chart.waitFor();
      assert.equal(await chart.getAttribute('data-markers'), String(bruteForce.ts));
      assert.ok(Number(await chart.getAttribute('data-points')) > 0, `${id} chart has data`);
    }
  });

  it('triages to acknowledged with a note', async () => {
    await page.fill('[data-triage-form] input[name=note]', 'looking into it');
    await page.click('[data-triage-form] [data-triage-set=acknowledged]');
    await page.locator('[data-triage-state="acknowledged"]').waitFor();
    await page.locator('[data-triage-history] li[data-to="acknowledged"]').waitFor();
    assert.match(await page.locator('[data-triage-history]').innerText(), /looking into it/);
  });

  it('creates a suppression for the source IP after showing the preview count', async () => {
    await page.click('[data-suppress-open]');
    await page.selectOption('[data-suppress-dialog] select[name=scope]', 'src_ip');
    await page.fill('[data-suppress-dialog] input[name=days]', '3');
    await page.locator('[data-suppress-dialog] [data-preview-count]').waitFor();
    assert.equal(await page.getAttribute('[data-suppress-dialog] [data-preview-count]', 'data-preview-count'), '1', 'the one brute_force from this IP');
    assert.ok(await page.locator('[data-suppress-confirm]').isDisabled(), 'a reason is required');
    await page.fill('[data-suppress-dialog] input[name=reason]', 'authorised pentest');
    await page.click('[data-suppress-confirm]');
    await page.locator('[data-notice]').waitFor();
    await page.goto(`${server.url}/security/suppressions`);
    const row = page.locator('table[data-table=suppressions] tbody tr');
    await row.first().waitFor();
    assert.match(await row.first().innerText(), new RegExp(`brute_force[\\s\\S]*${ATTACKER.replace(/\./g, '\\.')}[\\s\\S]*authorised pentest`));
    // A second one, made through the API, is deleted from the list.
    const extra = await api.call<{ id: string }>('POST', '/api/v1/suppressions', { event_type: 'port_opened', host: HOST, days: 1, reason: 'to be deleted' });
    await page.reload();
    await page.locator(`tr[data-suppression="${extra.id}"]`).waitFor();
    await page.click(`[data-suppression-delete="${extra.id}"]`);
    await waitFor('suppression deleted', async () => (await page.locator(`tr[data-suppression="${extra.id}"]`).count()) === 0);
    await page.reload();
    await row.first().waitFor();
    assert.equal(await page.locator(`tr[data-suppression="${extra.id}"]`).count(), 0, 'ended on the server');
  });

  it('exports the filtered result as CSV and JSON', async () => {
    await page.goto(`${server.url}/security?severity=low`);
    await page.locator('[data-panel="security-events"][data-state="ready"]').waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('a[data-export=csv]')]);
    const file = await download.path();
    const csv = readFileSync(file, 'utf8');
    const lines = csv.trim().split(/\r?\n/);
    assert.equal(lines.length, 1 + failures.length, csv);
    for (const f of failures) assert.ok(csv.includes(f.event_id), csv);
    assert.ok(!csv.includes(bruteForce.event_id), 'only the filtered result');
    const [jsonDownload] = await Promise.all([page.waitForEvent('download'), page.click('a[data-export=json]')]);
    const exported = JSON.parse(readFileSync(await jsonDownload.path(), 'utf8')) as { event_id: string; severity: string }[];
    assert.deepEqual(exported.map((e) => e.event_id).sort(), failures.map((f) => f.event_id).sort());
    assert.ok(exported.every((e) => e.severity === 'low'));
  });

  it('shows a newly posted critical event at the top without a reload, and counts it in the notification center', async () => {
    await page.goto(`${server.url}/security`);
    await page.locator('[data-panel="security-events"][data-state="ready"]').waitFor();
    await waitFor('live connection', async () => (await page.getAttribute('[data-connection]', 'data-connection')) === 'connected');
    await waitFor('security subscription', async () => (await browser.probe()).subscriptions.includes('security_events'));
    const unreadBefore = Number((await page.getAttribute('.notify-center', 'data-unread')) ?? '0');
    const fresh = event({ event_type: 'privilege_escalation', severity: 'critical', ts: Date.now(), description: 'uid 0 shell spawned by www-data' });
    await postEvents(server.url, agentKey, [fresh]);
    const row = page.locator(`tr[data-event="${fresh.event_id}"]`);
    await row.waitFor();
    assert.equal(await page.getAttribute('table[data-table=events] tbody tr', 'data-event'), fresh.event_id, 'at the top');
    assert.equal(await row.getAttribute('class'), 'row-fresh');
    await waitFor('notification counted', async () => Number((await page.getAttribute('.notify-center', 'data-unread')) ?? '0') > unreadBefore);
    // A critical notice pops up as a toast; opening it shows the SOC list of that type and host.
    const toast = page.locator('[data-toast]', { hasText: 'privilege_escalation' });
    await toast.waitFor();
    await toast.locator('.toast-body').click();
    await page.waitForURL(`${server.url}/security?type=privilege_escalation&host=${HOST}`);
    await page.locator(`tr[data-event="${fresh.event_id}"]`).waitFor();
    await page.goto(`${server.url}/security`);
    await page.locator('[data-panel="security-events"][data-state="ready"]').waitFor();
    await waitFor('security subscription', async () => (await browser.probe()).subscriptions.includes('security_events'));
  });

  it('shows the brute_force detection of a burst of failed logins live in the list', async () => {
    const ip = '198.51.100.23';
    const t = Date.now() - 60_000;
    const burst = Array.from({ length: 5 }, (_, i) => event({ event_type: 'auth_failure', severity: 'low', ts: t + i * 5000, description: `Failed password for admin from ${ip}`, metadata: { src_ip: ip, user: 'admin' } }));
    await postEvents(server.url, agentKey, burst);
    const detection = page.locator('tr.row-fresh[data-event-type="brute_force"]');
    await detection.waitFor();
    assert.match(await detection.innerText(), new RegExp(ip.replace(/\./g, '\\.')));
    assert.equal(await detection.getAttribute('data-event-severity'), 'high');
  });

  it('renders agent-supplied HTML in descriptions and metadata as text', async () => {
    await page.goto(`${server.url}/security?severity=critical`);
    const listed = page.locator(`tr[data-event="${hostile.event_id}"] [data-description]`);
    await listed.waitFor();
    assert.match(await listed.innerText(), /<img src=x onerror=/);
    await page.goto(`${server.url}/security/events/${hostile.event_id}`);
    const description = page.locator('[data-event-description]');
    await description.waitFor();
    assert.equal(await description.innerText(), `changed ${HOSTILE}`);
    assert.equal(await page.locator('[data-event-description] img, table[data-table=metadata] img, [data-description] img').count(), 0);
    assert.match(await page.locator('table[data-table=metadata]').innerText(), /<img src=x/);
    assert.equal(await page.evaluate('window.__xss'), undefined);
  });

  it('pages with "Load more" and sorts critical first', async () => {
    const base = Date.now() - 3 * 3_600_000;
    await postEvents(server.url, agentKey, Array.from({ length: 55 }, (_, i) => event({ event_type: 'auth_success', severity: 'low', ts: base + i * 1000, description: `Accepted publickey for deploy #${i}` })));
    await page.goto(`${server.url}/security?type=auth_success`);
    await page.locator('[data-panel="security-events"][data-state="ready"]').waitFor();
    const rows = page.locator('table[data-table=events] tbody tr');
    assert.equal(await rows.count(), 50, 'first page');
    assert.equal(await page.getAttribute('[data-facet="event_type:auth_success"]', 'data-count'), '55', 'facets count every match');
    await page.click('[data-load-more]');
    await waitFor('second page', async () => (await rows.count()) === 55);
    assert.equal(await page.locator('[data-load-more]').count(), 0, 'no more pages');
    const ids = await rows.evaluateAll((els) => els.map((el) => el.getAttribute('data-event')));
    assert.equal(new Set(ids).size, 55, 'no event twice');

    await page.selectOption('[data-sort]', 'severity');
    await page.waitForURL(`${server.url}/security?type=auth_success&sort=severity`);
    await page.goto(`${server.url}/security?sort=severity`);
    await page.locator('[data-panel="security-events"][data-state="ready"]').waitFor();
    const severities = await rows.evaluateAll((els) => els.map((el) => el.getAttribute('data-event-severity')));
    const rank = (s: string | null) => ['low', 'medium', 'high', 'critical'].indexOf(s ?? '');
    assert.equal(severities[0], 'critical');
    assert.deepEqual(severities, [...severities].sort((a, b) => rank(b) - rank(a)), 'critical first');
  });

  it('saves, loads and deletes a filter of the user', async () => {
    await page.goto(`${server.url}/security?severity=medium`);
    await page.locator('[data-panel="security-events"][data-state="ready"]').waitFor();
    await page.fill('[data-saved-filters] input[name=saved-name]', 'medium only');
    await page.click('[data-saved-save]');
    await page.locator('[data-saved-select] option[value="medium only"]').waitFor({ state: 'attached' });
    // Stored as an API query string, so an API client can replay it.
    const stored = await api.call<{ filters: { name: string; query: string }[] }>('GET', '/api/v1/events/saved-filters');
    assert.deepEqual(stored.filters, [{ name: 'medium only', query: 'severity=medium&sort=time' }]);
    const replayed = await api.call<SecurityEventPage>('GET', `/api/v1/events?${stored.filters[0]!.query}`);
    assert.ok(replayed.total > 0 && replayed.events.every((e) => e.severity === 'medium'));
    await page.goto(`${server.url}/security`);
    await page.locator('[data-saved-select] option[value="medium only"]').waitFor({ state: 'attached' });
    await page.selectOption('[data-saved-select]', 'medium only');
    await page.waitForURL(`${server.url}/security?severity=medium`);
    const medium = (await api.call<SecurityEventPage>('GET', '/api/v1/events?severity=medium')).total;
    await waitFor('filtered by the saved filter', async () => (await page.locator('table[data-table=events] tbody tr').count()) === medium);
    assert.equal(await page.locator('table[data-table=events] tbody tr[data-event-severity="medium"]').count(), medium);
    await page.click('[data-saved-delete]');
    await waitFor('deleted', async () => (await page.locator('[data-saved-select] option[value="medium only"]').count()) === 0);
    await page.reload();
    await page.locator('[data-panel="security-events"][data-state="ready"]').waitFor();
    assert.equal(await page.locator('[data-saved-select] option[value="medium only"]').count(), 0, 'stored on the server');
  });

  it('shows an error with Retry when the server fails, and an empty state when nothing matches', async () => {
    const failing = (url: URL) => url.pathname === '/api/v1/events';
    await page.route(failing, (route) => route.fulfill({ status: 503, contentType: 'text/html', body: '<h1>Bad gateway</h1>' }));
    await page.goto(`${server.url}/security`);
    await page.locator('[data-panel="security-events"][data-state="error"]').waitFor();
    assert.match(await page.locator('[data-panel="security-events"] .error-state').innerText(), /not reachable/);
    await page.unroute(failing);
    await page.click('[data-panel="security-events"] .error-state button');
    await page.locator('[data-panel="security-events"][data-state="ready"]').waitFor();
    await page.goto(`${server.url}/security?q=${encodeURIComponent('nothing-matches-this')}`);
    await page.locator('[data-panel="security-events"][data-state="empty"]').waitFor();
  });

  it('leaves no live subscription or timer behind after leaving the page', async () => {
    await page.click('a[data-nav=explore]');
    await page.waitForURL(/\/explore/);
    await page.waitForTimeout(1000);
    const away = await browser.probe();
    assert.ok(!away.subscriptions.includes('security_events'), JSON.stringify(away));
    await page.click('a[data-nav=security]');
    await page.locator('[data-panel="security-events"][data-state="ready"]').waitFor();
    await waitFor('security subscription', async () => (await browser.probe()).subscriptions.includes('security_events'));
    await page.click('a[data-nav=explore]');
    await page.waitForURL(/\/explore/);
    await page.waitForTimeout(1000);
    assert.deepEqual(await browser.probe(), away);
    assert.deepEqual(browser.pageErrors, []);
    assert.deepEqual(browser.cspViolations, []);
  });

  it('viewers see events and suppressions but no triage, suppress or delete controls', async () => {
    const password = 'viewer-e2e-passphrase-1';
    await api.call('POST', '/api/v1/users', { username: 'soc-viewer', password, role: 'viewer' });
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.waitForURL(/\/login/);
    await page.fill('input[name=username]', 'soc-viewer');
    await page.fill('input[name=password]', password);
    await page.click('button[type=submit]');
    await page.locator('header.topbar').waitFor();
    await page.goto(`${server.url}/security/events/${bruteForce.event_id}`);
    await page.locator(`[data-event-detail="${bruteForce.event_id}"]`).waitFor();
    await page.locator('[data-triage-history]').waitFor();
    assert.equal(await page.locator('[data-triage-form], [data-suppress-open]').count(), 0);
    await page.goto(`${server.url}/security/suppressions`);
    await page.locator('table[data-table=suppressions] tbody tr').first().waitFor();
    assert.equal(await page.locator('[data-suppression-delete]').count(), 0);
    assert.deepEqual(browser.pageErrors, []);
  });
});
