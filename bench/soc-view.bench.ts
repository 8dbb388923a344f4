/**
 * SOC view figures in Debian's Chromium against a real server holding many security events:
 * time to a rendered first page (list + facets + total) for an unfiltered and a filtered view,
 * time for "Load more", and POST → row-on-screen latency of a live critical event.
 */
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import type { Page } from 'playwright-core';
import type { SecurityEventInput } from '../src/protocol/security.js';
import { SECURITY_EVENT_TYPES, SEVERITIES } from '../src/protocol/security.js';
import type { BenchFigure, BenchSuite } from './bench-types.js';
import { benchAgentKey, benchLogin, median, percentile, startServerProcess } from './support/server-process.js';
import { CHROMIUM_PATH } from '../test/support/requirements.js';
import { launchBrowser } from '../test/e2e/support/browser.js';

/** Events spread over the last `days` days, every type and severity, 1000 per POST. */
async function seed(url: string, key: string, count: number, days: number): Promise<void> {
  const now = Date.now();
  for (let done = 0; done < count; done += 1000) {
    const events: SecurityEventInput[] = Array.from({ length: Math.min(1000, count - done) }, (_, i) => {
      const n = done + i;
      return {
        event_id: randomUUID(),
        ts: now - 60_000 - Math.floor(((n * 7919) % count) * ((days * 86_400_000) / count)),
        event_type: SECURITY_EVENT_TYPES[n % SECURITY_EVENT_TYPES.length] as SecurityEventInput['event_type'],
        severity: SEVERITIES[n % 4] as SecurityEventInput['severity'],
        source: 'bench',
        description: `bench event ${n} from 198.51.100.${n % 250}`,
        metadata: { src_ip: `198.51.100.${n % 250}`, n },
      };
    });
    const res = await fetch(`${url}/api/v1/events`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify({ events }) });
    if (res.status !== 200) throw new Error(`seed: ${res.status} ${await res.text()}`);
  }
}

/** ms from navigation start to the events panel being ready, measured `n` times. */
async function pageLoad(page: Page, url: string, n: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const start = Date.now();
    await page.goto(url);
    await page.waitForSelector('[data-panel="security-events"][data-state="ready"] table[data-table=events] tbody tr');
    out.push(Date.now() - start);
  }
  return out;
}

async function socFigures(quick: boolean, log: (msg: string) => void): Promise<BenchFigure[]> {
  if (!existsSync(CHROMIUM_PATH)) {
    log(`SKIPPED SOC view figures: no Chromium at ${CHROMIUM_PATH}`);
    return [];
  }
  const count = quick ? 5_000 : 50_000;
  const server = await startServerProcess();
  const browser = await launchBrowser();
  try {
    const cookie = await benchLogin(server.url);
    const key = await benchAgentKey(server.url, cookie, 'bench-soc');
    const seedStart = Date.now();
    await seed(server.url, key, count, 7);
    log(`seeded ${count} events in ${Date.now() - seedStart} ms`);
    const [name, value] = cookie.split('=') as [string, string];
    await browser.context.addCookies([{ name, value, url: server.url }]);
    const page = browser.page;
    const rounds = quick ? 5 : 15;
    const note = `${count} events over 7 days, 50 per page with facets and total, Chromium headless; navigation to rendered rows`;
    const all = await pageLoad(page, `${server.url}/security`, rounds);
    const dayAgo = new Date(Date.now() - 86_400_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const filtered = await pageLoad(page, `${server.url}/security?severity=high&from=${encodeURIComponent(dayAgo)}`, rounds);

    const more: number[] = [];
    await page.goto(`${server.url}/security`);
    await page.waitForSelector('[data-panel="security-events"][data-state="ready"]');
    for (let i = 0; i < rounds; i++) {
      const rows = await page.locator('table[data-table=events] tbody tr').count();
      const start = Date.now();
      await page.click('[data-load-more]');
      await page.waitForSelector(`table[data-table=events] tbody tr:nth-child(${rows + 1})`);
      more.push(Date.now() - start);
    }

    // Live: the row of a new critical event, stamped by a MutationObserver in the page.
    await page.goto(`${server.url}/security`);
    await page.waitForSelector('[data-panel="security-events"][data-state="ready"]');
    await page.waitForSelector('[data-connection="connected"]');
    await page.evaluate(`(() => {
      window.__rows = {};
      new MutationObserver(() => {
        for (const tr of document.querySelectorAll('tr.row-fresh')) window.__rows[tr.dataset.event] ??= Date.now();
      }).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['class'] });
    })()`);
    const live: number[] = [];
    for (let i = 0; i < (quick ? 10 : 30); i++) {
      const id = randomUUID();
      const sent = Date.now();
      const body = { events: [{ event_id: id, ts: Date.now(), event_type: 'privilege_escalation', severity: 'critical', source: 'bench', description: `live ${i}` }] };
      await fetch(`${server.url}/api/v1/events`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify(body) }).then((r) => r.arrayBuffer());
      let seenAt: number | undefined;
      const deadline = Date.now() + 10_000;
      // Polled from Node: waitForFunction would evaluate in the page, which the CSP forbids.
      while (seenAt === undefined && Date.now() < deadline) {
        seenAt = (await page.evaluate(`window.__rows[${JSON.stringify(id)}]`)) as number | undefined;
        if (seenAt === undefined) await new Promise((r) => setTimeout(r, 5));
      }
      if (seenAt === undefined) throw new Error(`live event ${id} did not appear within 10 s`);
      live.push(seenAt - sent);
      await new Promise((r) => setTimeout(r, 100));
    }
    return [
      { name: 'soc_first_page_p50', value: median(all), unit: 'ms', note },
      { name: 'soc_first_page_p99', value: percentile(all, 99), unit: 'ms', note },
      { name: 'soc_filtered_page_p50', value: median(filtered), unit: 'ms', note: `${note}; severity=high, last 24 h` },
      { name: 'soc_load_more_p50', value: median(more), unit: 'ms', note: 'click to the next 50 rows on screen' },
      { name: 'soc_live_event_p50', value: median(live), unit: 'ms', note: 'POST /api/v1/events → row on screen (commit + bus + WebSocket + render)' },
      { name: 'soc_live_event_p99', value: percentile(live, 99), unit: 'ms' },
    ];
  } finally {
    await browser.close();
    await server.stop();
  }
}

/** The `soc-view` bench suite (picked up by bench/run.ts). */
export const suite: BenchSuite = {
  name: 'soc-view',
  description: 'SOC view in Chromium: first page and filtered page with many events, load more, live event latency',
  async run({ quick, log }) {
    const { ensureBuilt } = await import('../scripts/build-if-needed.mjs');
    ensureBuilt({ server: true, web: true });
    return socFigures(quick, log);
  },
};
