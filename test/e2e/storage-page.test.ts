// Browser test of the storage settings page against a real `vigil server` process.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { needChromium } from '../support/requirements.js';
import { launchBrowser, type TestBrowser } from './support/browser.js';
import { VigilServer } from './support/vigil-server.js';

const skip = await needChromium();

describe('storage settings page (browser e2e)', { skip, timeout: 120_000 }, () => {
  let server: VigilServer;
  let browser: TestBrowser;
  let page: Page;

  before(async () => {
    server = await VigilServer.start();
    const agent = await server.enrollAgent('storage-host');
    const now = Date.now();
    const series = Array.from({ length: 5 }, (_, i) => ({ metric: 'storage_e2e', labels: { n: String(i) }, points: Array.from({ length: 60 }, (_, k) => [now - 60_000 + k * 1000, k]) }));
    const res = await fetch(`${server.url}/api/v1/ingest`, { method: 'POST', headers: { Authorization: `Bearer ${agent.key}`, 'Content-Type': 'application/json' }, body: JSON.stringify({ series }) });
    assert.equal(res.status, 200, await res.text());
    browser = await launchBrowser();
    page = browser.page;
    page.setDefaultTimeout(30_000);
  });

  after(async () => {
    await browser?.close();
    await server?.dispose();
  });

  it('shows disk use and retention per tier, the ingest figures and a forecast', async () => {
    await page.goto(`${server.url}/login`);
    await page.fill('input[name=username]', server.username);
    await page.fill('input[name=password]', server.password);
    await page.click('button[type=submit]');
    await page.locator('header.topbar').waitFor();
    await page.click('a[data-nav=storage]');
    await page.waitForURL(`${server.url}/settings/storage`);
    await page.locator('[data-panel="storage"][data-state="ready"]').waitFor();
    for (const tier of ['raw', '1m', '1h']) await page.locator(`tr[data-tier="${tier}"]`).waitFor();
    assert.match(await page.locator('tr[data-tier="raw"] td').nth(2).innerText(), /^15 d$/);
    assert.match(await page.locator('tr[data-tier="1h"] td').nth(2).innerText(), /^730 d$/);
    assert.match(await page.locator('.page-summary').innerText(), /300 samples/);
    assert.ok(['ok', 'warn', 'bad', 'unknown'].includes((await page.locator('.storage-forecast').getAttribute('data-tone')) ?? ''));
    assert.equal(await page.title(), 'Storage · Vigil');
  });
});
