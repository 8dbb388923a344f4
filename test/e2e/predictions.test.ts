// Browser test of the predictions page (issue 8) against a real `vigil server` process: a
// filling disk is ingested over HTTP, the page forecasts it with bands, a model comparison table
// and the time to 100 %, and leaves no timer or observer behind.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { needChromium } from '../support/requirements.js';
import { launchBrowser, type TestBrowser } from './support/browser.js';
import { VigilServer } from './support/vigil-server.js';

const skip = await needChromium();
const STEP = 300_000;
const HOUR = 3_600_000;

describe('predictions page (browser e2e)', { skip, timeout: 180_000 }, () => {
  let server: VigilServer;
  let browser: TestBrowser;
  let page: Page;
  let agentId: string;

  before(async () => {
    server = await VigilServer.start();
    const agent = await server.enrollAgent('pred-host');
    agentId = agent.id;
    const end = Math.floor(Date.now() / STEP) * STEP;
    const start = end - 3 * 24 * HOUR;
    const n = (end - start) / STEP;
    // Disk: +0.5 %/h from 50 % (≈ 86 % now, full in ≈ 28 h); CPU: a daily wave with one spike.
    const disk = Array.from({ length: n }, (_, i) => [start + i * STEP, 50 + (0.5 * i * STEP) / HOUR + 0.1 * Math.sin(i)]);
    const cpu = Array.from({ length: n }, (_, i) => [start + i * STEP, 40 + 20 * Math.sin((2 * Math.PI * i * STEP) / (24 * HOUR)) + Math.sin(5 * i) + (i === n - 20 ? 50 : 0)]);
    const res = await fetch(`${server.url}/api/v1/ingest`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${agent.key}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ series: [{ metric: 'disk_used_percent', labels: { mount: '/' }, points: disk }, { metric: 'cpu_usage_percent', labels: { cpu: 'total' }, points: cpu }] }),
    });
    assert.equal(res.status, 200, await res.text());
    browser = await launchBrowser();
    page = browser.page;
    page.setDefaultTimeout(60_000);
    await page.goto(`${server.url}/login`);
    await page.fill('input[name=username]', server.username);
    await page.fill('input[name=password]', server.password);
    await page.click('button[type=submit]');
    await page.locator('header.topbar').waitFor();
  });

  after(async () => {
    await browser?.close();
    await server?.dispose();
  });

  it('forecasts a filling disk with filled bands, a model comparison table and the time to 100 %', async () => {
    await page.click('a[data-nav=explore]');
    await page.waitForURL(`${server.url}/explore`);
    await page.waitForTimeout(1500);
    const baseline = await browser.probe();

    await page.click('a[data-nav=predictions]');
    await page.waitForURL(`${server.url}/predictions`);
    await page.selectOption('select[name=host]', 'pred-host');
    await page.fill('input[name=metric]', 'disk_used_percent');
    assert.equal(await page.inputValue('input[name=threshold]'), '100', 'a *_percent metric defaults to a threshold of 100');
    await page.selectOption('select[name=horizon]', '48h');
    await page.click('form.predictions-form button[type=submit]');
    await page.locator('[data-panel="forecast-result"][data-state="ready"]').waitFor();

    const chart = page.locator('figure.forecast-chart');
    await chart.waitFor();
    // 7 days of history at the default ≈ 1,000-point grid (15 min): 48 h are 192 steps.
    assert.equal(Number(await chart.getAttribute('data-forecast-points')), 192 + 1, 'the forecast spans the horizon (plus the joint at the last observation)');
    assert.equal(await chart.getAttribute('data-bands'), '2');
    const canvas = chart.locator('canvas');
    assert.ok((await canvas.count()) >= 1, 'uPlot drew a canvas');
    // The bands are filled: some pixels right of the history carry the band colour.
    type Canvas2d = { width: number; height: number; getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: ArrayLike<number> } } | null };
    const filled = await canvas.first().evaluate((el) => {
      const c = el as unknown as Canvas2d;
      const ctx = c.getContext('2d');
      if (!ctx) return 0;
      const { data } = ctx.getImageData(Math.floor(c.width * 0.8), 0, Math.floor(c.width * 0.15), c.height);
      let n = 0;
      for (let i = 3; i < data.length; i += 4) if ((data[i] as number) > 0) n++;
      return n;
    });
    assert.ok(filled > 500, `band pixels drawn: ${filled}`);
    const legend = await chart.locator('.u-legend').innerText();
    for (const name of ['History', 'Forecast', 'Upper 95 %', 'Lower 80 %', 'Threshold']) assert.ok(legend.includes(name), `legend has ${name}`);

    const rows = page.locator('table.backtest-table tbody tr');
    assert.ok((await rows.count()) >= 5, 'one backtest row per model');
    const chosen = page.locator('table.backtest-table tr[data-chosen=true]');
    assert.equal(await chosen.count(), 1);
    assert.match(await chosen.locator('td').first().innerText(), /\d/);
    assert.match(await page.locator('[data-reason]').innerText(), /lowest backtest MAE/);
    assert.match(await page.locator('[data-ttt]').innerText(), /Expected to reach 100 in (1 d|2\d h)/);

    await page.click('a[data-nav=explore]');
    await page.waitForURL(`${server.url}/explore`);
    await page.waitForTimeout(1500);
    assert.deepEqual(await browser.probe(), baseline, 'no timer, subscription or observer left behind');
  });

  it('shows a clear error for a series that cannot be forecast', async () => {
    await page.goto(`${server.url}/predictions?metric=no_such_metric`);
    const panel = page.locator('[data-panel="forecast-result"][data-state="error"]');
    await panel.waitFor();
    assert.match(await panel.innerText(), /no series matches/);
  });

  it('host charts get an anomaly overlay toggle, off by default and remembered', async () => {
    await page.goto(`${server.url}/hosts/${agentId}?range=24h`);
    const toggle = page.locator('input[name=anomaly-overlay]');
    await toggle.waitFor();
    assert.equal(await toggle.isChecked(), false, 'off by default');
    await toggle.check();
    const overlay = page.locator('[data-panel="chart-cpu"] [data-anomaly-overlay]');
    await overlay.waitFor();
    await page.locator('[data-panel="chart-cpu"] [data-anomaly-overlay][data-state=ready]').waitFor();
    assert.ok(Number(await overlay.getAttribute('data-anomalies')) >= 1, 'the spike is flagged');
    // Sweep the pointer across the plot: over the red point the hover line names detector and score.
    const plot = page.locator('[data-panel="chart-cpu"] .time-chart-plot .u-over');
    const box = (await plot.boundingBox())!;
    let hover = '';
    for (let x = box.width - 1; x > 0 && !/score/.test(hover); x -= 2) {
      await page.mouse.move(box.x + x, box.y + box.height / 2);
      hover = await page.locator('[data-panel="chart-cpu"] [data-anomaly-hover]').innerText();
    }
    assert.match(hover, /^Anomaly at .*\(expected .*\), score \d+(\.\d)? — robust-z: median ± MAD/);
    await page.reload();
    await page.locator('input[name=anomaly-overlay]').waitFor();
    assert.equal(await page.locator('input[name=anomaly-overlay]').isChecked(), true, 'remembered across reloads');
    await page.locator('input[name=anomaly-overlay]').uncheck();
    assert.equal(await page.locator('[data-anomaly-overlay]').count(), 0);
  });
});
