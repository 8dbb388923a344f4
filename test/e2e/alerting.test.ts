// Browser test of alerting: an alert appears in the notification center live, is acknowledged in
// the dashboard, and the PagerDuty receiver (a local server speaking Events API v2) gets
// `acknowledge` with the incident's dedup key. Real `vigil server`, real Chromium.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { needChromium } from '../support/requirements.js';
import { startHttpRecorder, type HttpRecorder } from '../support/http-recorder.js';
import { PROCESS_ADMIN_PASSWORD, processDataDir, ProcessApi, startVigilServer, type VigilProcess } from '../support/vigil-process.js';
import { launchBrowser, type TestBrowser } from './support/browser.js';
import { waitFor } from './support/child-process.js';

const skip = await needChromium();

describe('alerting in the dashboard (browser e2e)', { skip, timeout: 240_000 }, () => {
  let server: VigilProcess;
  let dir: string;
  let pd: HttpRecorder;
  let browser: TestBrowser;
  let page: Page;
  let api: ProcessApi;
  let agentKey: string;

  before(async () => {
    dir = await processDataDir();
    pd = await startHttpRecorder(() => ({ status: 202, headers: { 'content-type': 'application/json' }, body: '{"status":"success"}' }));
    server = await startVigilServer(dir);
    api = await ProcessApi.login(server.url);
    const pager = await api.call<{ id: string }>('POST', '/api/v1/channels', { name: 'pagerduty', type: 'pagerduty', config: { baseUrl: pd.url }, secrets: { routingKey: 'E2E0123456789abcdef0123456789ABC' } });
    const bell = await api.call<{ id: string }>('POST', '/api/v1/channels', { name: 'bell', type: 'inapp', config: { roles: ['admin'] } });
    await api.call('POST', '/api/v1/receivers', { name: 'oncall', channelIds: [pager.id, bell.id] });
    await api.call('PUT', '/api/v1/routing', { root: { id: 'root', matchers: [], receiver: 'oncall', groupWait: '0s', groupInterval: '10s' }, version: 0 });
    await api.call('POST', '/api/v1/rules', { name: 'DiskAlmostFull', type: 'threshold', description: 'The root file system is almost full.', spec: { selector: 'filesystem_usage_percent{mount="/"}', warning: 85, critical: 95 } });
    agentKey = (await api.call<{ key: string }>('POST', '/api/v1/agents', { name: 'e2e-db' })).key;
    browser = await launchBrowser();
    page = browser.page;
    page.setDefaultTimeout(30_000);
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
    await pd?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('shows a new critical alert live in the bell and as a toast, and acknowledging it sends PagerDuty acknowledge', async () => {
    await page.goto(`${server.url}/login`);
    await page.fill('input[name=username]', 'admin');
    await page.fill('input[name=password]', PROCESS_ADMIN_PASSWORD);
    await page.click('button[type=submit]');
    await page.locator('header.topbar').waitFor();
    await page.click('a[data-nav=alerts]');
    await page.waitForURL(`${server.url}/alerts`);
    await waitFor('live connection', async () => (await page.getAttribute('[data-connection]', 'data-connection')) === 'connected');
    assert.equal(await page.locator('[data-bell-count]').count(), 0, 'nothing unread yet');

    // The disk fills up: the agent's sample triggers the rule on ingest.
    await api.ingest(agentKey, [{ metric: 'filesystem_usage_percent', labels: { mount: '/', device: 'sda1', fstype: 'ext4' }, points: [[Date.now(), 97.5]] }]);

    await page.locator('[data-bell-count]').filter({ hasText: '1' }).waitFor();
    const toast = page.locator('[data-toast]');
    await toast.waitFor();
    assert.match(await toast.innerText(), /DiskAlmostFull/);
    // The alert list updated live too (no reload).
    await page.locator('tr[data-alertname="DiskAlmostFull"]').waitFor();
    await pd.waitFor(1);
    const trigger = JSON.parse(pd.requests[0]!.body);
    assert.equal(trigger.event_action, 'trigger');

    await page.click('[data-bell]');
    const item = page.locator('[data-inbox-item]').first();
    await item.waitFor();
    assert.match(await item.innerText(), /critical/);
    await item.locator('.inbox-open').click();
    await page.waitForURL(/\/alerts\/[0-9a-f]{24}$/);
    assert.equal(await page.locator('[data-bell-count]').count(), 0, 'opening it marked it read');
    await page.locator('[data-alert-state="firing"]').waitFor();
    await page.fill('[data-ack-form] input', 'disk cleanup running');
    await page.click('[data-ack-form] button[data-ack]');
    await page.locator('[data-acked="true"]').waitFor();
    assert.match(await page.locator('[data-ack-info]').innerText(), /Acknowledged by user:admin.*disk cleanup running/);

    await pd.waitFor(2);
    const ack = JSON.parse(pd.requests[1]!.body);
    assert.deepEqual(ack, { routing_key: 'E2E0123456789abcdef0123456789ABC', event_action: 'acknowledge', dedup_key: trigger.dedup_key });
    await page.locator('[data-timeline] li[data-kind="ack"]').waitFor();
    await page.locator('[data-explain] [data-step="ack"]').first().waitFor();
    assert.deepEqual(browser.pageErrors, []);
    assert.deepEqual(browser.cspViolations, []);
  });

  it('the rules editor previews a rule on a chart and dry-runs it over stored history', async () => {
    await page.click('a[data-nav=rules]');
    await page.locator('tr[data-rule="DiskAlmostFull"] a').click();
    await page.waitForURL(/\/rules\/[0-9a-f-]{36}$/);
    await page.locator('[data-preview] .fires-summary').first().waitFor();
    assert.match(await page.locator('[data-preview] .fires-summary').first().innerText(), /Would have fired \d+ times? in the last 6 hours/);
    await page.click('[data-dry-run]');
    await page.locator('[data-dry-run-result]').waitFor();
    assert.match(await page.locator('[data-dry-run-result] .fires-summary').innerText(), /in the last 7 days/);
    assert.deepEqual(browser.pageErrors, []);
  });
});
