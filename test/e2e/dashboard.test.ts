// Browser tests of the dashboard against a real `vigil server` process with a real `vigil agent`
// pushing this machine's metrics, driven through Debian's Chromium (playwright-core).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { needChromium } from '../support/requirements.js';
import { launchBrowser, type TestBrowser } from './support/browser.js';
import { waitFor } from './support/child-process.js';
import { VigilAgent } from './support/vigil-agent.js';
import { VigilServer } from './support/vigil-server.js';

const skip = await needChromium();

/** Query limit for this server: low enough that an unfiltered `cpu_mode_percent` (5 modes × (cores + total)) is refused with a 422. */
const QUERY_MAX_SERIES = 8;

/** Waits until no chart panel of the host page is loading any more. */
async function chartsSettled(page: Page): Promise<void> {
  await waitFor('host charts to finish loading', async () => {
    const states = await page.locator('[data-panel^="chart-"]').evaluateAll((els) => els.map((el) => el.getAttribute('data-state')));
    return states.length > 0 && states.every((s) => s !== 'loading');
  });
}

async function attr(page: Page, selector: string, name: string): Promise<string | null> {
  const el = await page.$(selector);
  return el ? el.getAttribute(name) : null;
}

describe('dashboard (browser e2e)', { skip, timeout: 300_000 }, () => {
  let server: VigilServer;
  let agent: VigilAgent;
  let agentId: string;
  let browser: TestBrowser;
  let page: Page;
  const queryRequests: string[] = [];

  const connection = () => attr(page, '[data-connection]', 'data-connection');
  const diagnostics = () => `\n--- server ---\n${server?.output()}\n--- agent ---\n${agent?.output()}`;

  before(async () => {
    server = await VigilServer.start({ env: { VIGIL_QUERY_MAX_SERIES: String(QUERY_MAX_SERIES) } });
    const enrolled = await server.enrollAgent('e2e-host');
    agentId = enrolled.id;
    agent = VigilAgent.start(server.url, enrolled.key, 1000);
    browser = await launchBrowser();
    page = browser.page;
    page.setDefaultTimeout(30_000);
    page.on('request', (req) => {
      if (req.url().includes('/api/v1/query?')) queryRequests.push(req.url());
    });
  });

  after(async () => {
    await browser?.close();
    await agent?.dispose();
    await server?.dispose();
  });

  it('redirects to the login page, rejects a wrong password, then returns to the requested page', async () => {
    await page.goto(`${server.url}/explore?q=load1`);
    await page.waitForURL(/\/login\?next=%2Fexplore%3Fq%3Dload1$/);
    await page.fill('input[name=username]', server.username);
    await page.fill('input[name=password]', 'not-the-password');
    await page.click('button[type=submit]');
    await page.getByRole('alert').filter({ hasText: 'Wrong username or password.' }).waitFor();
    await page.fill('input[name=password]', server.password);
    await page.click('button[type=submit]');
    await page.waitForURL(`${server.url}/explore?q=load1`);
    await page.locator('header.topbar').waitFor();
    await waitFor('live connection', async () => (await connection()) === 'connected');
  });

  it('overview lists the real agent as online with fresh headline numbers, and renders agent text as text', async () => {
    // A second agent whose host reports a hostile hostname: it must show up as plain text.
    const probe = await server.enrollAgent('xss-probe');
    const hostile = '"><img src=x onerror="window.__xss=1">';
    const reg = await fetch(`${server.url}/api/v1/agents/register`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${probe.key}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ hostname: hostile, os: 'linux', kernel: '6', arch: 'x64', agentVersion: 't', intervalMs: 10_000, cpuCount: 1, memoryBytes: 1, capabilities: [], unavailable: [] }),
    });
    assert.equal(reg.status, 200, await reg.text());

    await page.click('a[data-nav=overview]');
    await page.waitForURL(`${server.url}/`);
    const row = page.locator(`tr[data-agent-id="${agentId}"]`);
    await row.waitFor();
    await page.locator(`tr[data-agent-id="${agentId}"][data-status="online"]`).waitFor({ timeout: 60_000 }).catch((e: Error) => {
      throw new Error(`${e.message}${diagnostics()}`);
    });
    await row.locator('[data-freshness="fresh"]').waitFor();
    assert.match(await row.locator('.freshness').innerText(), /updated (just now|\d+ s ago)/);
    await waitFor('CPU headline', async () => /\d %/.test(await row.locator('td').nth(3).innerText()));
    assert.equal(await row.locator('.host-link').innerText(), 'e2e-host');

    const probeRow = page.locator(`tr[data-agent-id="${probe.id}"]`);
    await probeRow.waitFor();
    assert.equal(await probeRow.locator('.cell-sub').innerText(), hostile);
    assert.equal(await page.evaluate('window.__xss'), undefined);
    assert.equal(await page.locator('img[src=x]').count(), 0);
  });

  it('host page charts receive live points without a reload or a new query', async () => {
    // Keyboard only: focus the host link and press Enter.
    await page.focus(`tr[data-agent-id="${agentId}"] a.host-link`);
    await page.keyboard.press('Enter');
    await page.waitForURL(`${server.url}/hosts/${agentId}`);
    await page.focus('button[data-range="15m"]');
    await page.keyboard.press('Space');
    await page.waitForURL(`${server.url}/hosts/${agentId}?range=15m`);
    const chart = '[data-panel="chart-cpu"] figure.time-chart';
    await page.locator(chart).waitFor();
    await waitFor('first CPU points', async () => Number(await attr(page, chart, 'data-points')) > 0, 30_000);
    await page.evaluate('window.__e2eMarker = "same document"');
    const queriesBefore = queryRequests.length;
    const pointsBefore = Number(await attr(page, chart, 'data-points'));
    const lastTsBefore = Number(await attr(page, chart, 'data-last-ts'));
    await waitFor('a live point to extend the CPU chart', async () => Number(await attr(page, chart, 'data-points')) > pointsBefore, 30_000);
    assert.ok(Number(await attr(page, chart, 'data-last-ts')) > lastTsBefore);
    assert.equal(await page.evaluate('window.__e2eMarker'), 'same document', 'the page was not reloaded');
    assert.equal(queryRequests.length, queriesBefore, 'the new point came over the WebSocket, not from a refetch');
    // Every chart of the page drew something, and the process table is filled.
    for (const id of ['cpu', 'cpu-cores', 'memory', 'disk-usage', 'network', 'load']) {
      await page.locator(`[data-panel="chart-${id}"][data-state="ready"]`).waitFor();
    }
    assert.ok((await page.locator('.process-table tbody tr').count()) > 0);

    // Charts follow the window size.
    const plotWidth = () => page.locator('[data-panel="chart-cpu"] .time-chart-plot canvas').evaluate((c) => c.getBoundingClientRect().width);
    const wide = await plotWidth();
    await page.setViewportSize({ width: 900, height: 900 });
    await waitFor('the CPU chart to resize', async () => Math.abs((await plotWidth()) - wide) > 20);
    await page.setViewportSize({ width: 1366, height: 900 });
  });

  it('leaves no timer, live subscription or resize observer behind after leaving a page', async () => {
    await page.click('a[data-nav=explore]');
    await page.waitForURL(`${server.url}/explore`);
    await page.waitForTimeout(1500);
    const baseline = await browser.probe();
    // The notification center in the header holds the one app-wide subscription.
    assert.deepEqual(baseline.subscriptions, ['notifications']);
    assert.equal(baseline.openSockets, 1, 'one shared live socket');

    await page.goBack();
    await page.waitForURL(`${server.url}/hosts/${agentId}?range=15m`);
    await page.locator('[data-panel="chart-cpu"] figure.time-chart').waitFor();
    await chartsSettled(page);
    // A chart's observer starts in an effect after its first paint: on a loaded machine that can
    // trail the panel's "ready" state, so wait for it rather than sample once.
    const charts = await page.locator('figure.time-chart').count();
    assert.ok(charts >= 6, `charts drawn: ${charts}`);
    await waitFor('one resize observer per chart', async () => (await browser.probe()).resizeObserved === charts);
    const onHost = await browser.probe();
    assert.deepEqual(onHost.subscriptions, ['notifications', 'samples']);
    assert.equal(onHost.resizeObserved, charts, 'one resize observer per chart');
    assert.ok(onHost.pendingTimeouts > baseline.pendingTimeouts, 'the host page ticks freshness stamps');

    await page.click('a[data-nav=overview]');
    await page.locator(`tr[data-agent-id="${agentId}"]`).waitFor();
    assert.deepEqual((await browser.probe()).subscriptions, ['agents', 'notifications']);

    await page.click('a[data-nav=explore]');
    await page.waitForURL(`${server.url}/explore`);
    await page.waitForTimeout(1500);
    assert.deepEqual(await browser.probe(), baseline);
  });

  it('explorer charts cpu_usage_percent grouped by cpu, shows the selector, and shows query errors', async () => {
    await page.click('a[data-nav=explore]');
    await page.waitForURL(/\/explore/);
    await page.fill('input[name=metric]', 'cpu_usage_percent');
    await page.locator('select[name=by] option[value=cpu]').waitFor({ state: 'attached' });
    await page.selectOption('select[name=by]', 'cpu');
    await page.waitForURL(/\/explore\?q=cpu_usage_percent&by=cpu$/);
    const chart = '[data-panel="explore-chart"] figure.time-chart';
    await waitFor('explorer chart with total and per-core lines', async () => Number(await attr(page, chart, 'data-series')) >= 2 && Number(await attr(page, chart, 'data-points')) > 0, 30_000);
    assert.equal(await page.inputValue('input[data-selector]'), 'cpu_usage_percent');
    assert.match(await page.locator('[data-panel="explore-chart"] .u-legend').innerText(), /cpu="total"/);

    // A selector the server refuses (too many series): the 422 message is shown with its code.
    await page.fill('input[name=metric]', 'cpu_mode_percent');
    await page.selectOption('select[name=by]', '');
    const panel = page.locator('[data-panel="explore-chart"][data-state="error"]');
    await panel.waitFor();
    assert.match(await panel.innerText(), /VIGIL_ERR_QUERY_TOO_MANY_SERIES/);
    assert.match(await panel.innerText(), /Retry/);

    // A regex the server would reject is caught before sending.
    await page.click('text=+ Add filter');
    await page.fill('input[aria-label="Label name"]', 'mode');
    await page.selectOption('select[aria-label="Operator"]', '=~');
    await page.fill('input[aria-label="Label value"]', '(a+)+');
    await page.getByRole('alert').filter({ hasText: 'nested quantifiers' }).waitFor();
    await page.fill('input[aria-label="Label value"]', 'user|system');
    await page.waitForURL(/q=cpu_mode_percent%7Bmode%3D%7E%22user%7Csystem%22%7D/);
    await waitFor('filtered chart', async () => (await attr(page, '[data-panel="explore-chart"]', 'data-state')) === 'ready' && Number(await attr(page, chart, 'data-series')) >= 2, 30_000);
  });

  it('shows an error state with Retry when a request fails, and Retry loads the data', async () => {
    await page.route('**/api/v1/agents', (route) => route.abort('connectionrefused'));
    await page.click('a[data-nav=overview]');
    const panel = page.locator('[data-panel="hosts"]');
    await page.locator('[data-panel="hosts"][data-state="error"]').waitFor();
    assert.match(await panel.innerText(), /not reachable/);
    await page.unroute('**/api/v1/agents');
    await panel.getByRole('button', { name: 'Retry' }).click();
    await page.locator('[data-panel="hosts"][data-state="ready"]').waitFor();
    await page.locator(`tr[data-agent-id="${agentId}"]`).waitFor();
  });

  it('connection indicator shows reconnecting when the server dies and connected when it is back; panels show errors, not blanks', async () => {
    await waitFor('connected before the kill', async () => (await connection()) === 'connected');
    await server.kill();
    await waitFor('indicator to show reconnecting', async () => ['reconnecting', 'offline'].includes((await connection()) ?? ''), 10_000);
    assert.equal(await connection(), 'reconnecting');

    // Navigating while the server is down: the host page shows an error with Retry, not a blank.
    await page.click(`tr[data-agent-id="${agentId}"] a.host-link`);
    const hostError = page.locator('[data-panel="host"][data-state="error"]');
    await hostError.waitFor();
    assert.match(await hostError.innerText(), /not reachable/);
    await hostError.getByRole('button', { name: 'Retry' }).click();
    await hostError.waitFor();

    await server.launch();
    await waitFor('indicator to show connected again', async () => (await connection()) === 'connected', 45_000);
    // After the reconnect the page refetches by itself (resync); the session survived the restart.
    await page.locator('[data-panel="chart-cpu"][data-state="ready"]').waitFor({ timeout: 30_000 });
    assert.equal(page.url(), `${server.url}/hosts/${agentId}`);
  });

  it('logs out', async () => {
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.waitForURL(/\/login\?next=/);
    await page.locator('input[name=username]').waitFor();
    await waitFor('live connection closed', async () => (await browser.probe()).openSockets === 0);
    assert.equal(await page.locator('[data-connection]').count(), 0);
  });

  it('raised no page errors and no Content-Security-Policy violations', () => {
    assert.deepEqual(browser.pageErrors, []);
    assert.deepEqual(browser.cspViolations, []);
  });
});
