import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { CHROMIUM_PATH } from '../../support/requirements.js';
import { PAGE_PROBE_SCRIPT, type ProbeCounts } from './page-probe.js';

/** Flags for Debian's Chromium in tests: headless, no sandbox (containers), nothing phoning home. */
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-dev-shm-usage'];

/** A headless Chromium with a fresh profile, one page, and the problems the page reported. */
export interface TestBrowser {
  context: BrowserContext;
  page: Page;
  /** Uncaught exceptions in the page. */
  pageErrors: string[];
  /** Console errors mentioning the Content Security Policy (inline script/style, blocked loads). */
  cspViolations: string[];
  /** Counts from the page probe (timers, live subscriptions, observers). */
  probe(): Promise<ProbeCounts>;
  close(): Promise<void>;
}

/**
 * Launches `/usr/bin/chromium` (never a downloaded browser) with a fresh `--user-data-dir`, at a
 * laptop-sized viewport, with the page probe installed.
 */
export async function launchBrowser(viewport = { width: 1366, height: 900 }): Promise<TestBrowser> {
  const userDataDir = mkdtempSync(join(tmpdir(), 'vigil-e2e-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, { executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS, viewport });
  await context.addInitScript(PAGE_PROBE_SCRIPT);
  const page = context.pages()[0] ?? (await context.newPage());
  const pageErrors: string[] = [];
  const cspViolations: string[] = [];
  page.on('pageerror', (err) => pageErrors.push(err.message));
  page.on('console', (msg) => {
    if (msg.type() === 'error' && /Content Security Policy/i.test(msg.text())) cspViolations.push(msg.text());
  });
  return {
    context,
    page,
    pageErrors,
    cspViolations,
    probe: async () => (await page.evaluate('window.__vigilProbe.counts()')) as ProbeCounts,
    async close() {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}
