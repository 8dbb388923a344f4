import type { FastifyInstance } from 'fastify';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger } from '../../options/command.js';
import { buildApp } from '../app.js';
import type { ServerConfig } from '../config/server-config.js';
import { ManualClock, type Clock } from '../core/clock.js';
import { createServices, httpSettings, openStorage, type Services } from '../main.js';
import type { Storage } from '../storage/storage.js';
import { TEST_ADMIN_PASSWORD, testConfig } from './test-config.js';

/** A logger that drops everything (tests assert on behaviour, not on log lines). */
export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };

/** An app over a real SQLite file in a temp directory, driven through `app.inject()`. */
export interface TestApp {
  app: FastifyInstance;
  storage: Storage;
  services: Services;
  clock: ManualClock;
  dir: string;
  /** Logs in and returns the `Cookie` header value. */
  login(username?: string, password?: string): Promise<string>;
  /** Enrolls an agent and returns its ingest key. */
  agentKey(name: string): Promise<string>;
  /** Listens on 127.0.0.1 with a free port; returns the base URL. */
  listen(): Promise<string>;
  close(): Promise<void>;
}

/** Headers a cookie-authenticated mutation needs (session cookie + CSRF header). */
export function mutationHeaders(cookie: string): Record<string, string> {
  return { cookie, 'x-requested-with': 'vigil' };
}

/** Creates a {@link TestApp}; the clock starts at real "now" so ingest time checks pass. */
export async function createTestApp(overrides: Partial<ServerConfig> = {}, clock: ManualClock = new ManualClock(Date.now())): Promise<TestApp> {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-test-'));
  const config = testConfig(dir, overrides);
  const storage = await openStorage(config, clock as Clock);
  const services = await createServices(storage, config, silentLogger, clock);
  const app = await buildApp({ ...services.deps, http: { ...httpSettings(config), webDir: config.webDir, logLevel: 'silent' }, isShuttingDown: () => false });
  await app.ready();
  return {
    app,
    storage,
    services,
    clock,
    dir,
    async login(username = 'admin', password = TEST_ADMIN_PASSWORD) {
      const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', headers: { 'x-requested-with': 'vigil' }, payload: { username, password } });
      if (res.statusCode !== 200) throw new Error(`login failed: ${res.statusCode} ${res.body}`);
      const set = res.cookies.find((c) => c.name === 'vigil_sid');
      if (!set) throw new Error('no session cookie');
      return `vigil_sid=${set.value}`;
    },
    async agentKey(name) {
      return (await services.deps.agents.enroll(name, 'test')).key.secret;
    },
    async listen() {
      return app.listen({ host: '127.0.0.1', port: 0 });
    },
    async close() {
      services.hub.close();
      await services.deps.soc.stop();
      await services.deps.incidents.stop();
      await services.deps.runner.close();
      await app.close();
      await services.rateLimitStore.close();
      await services.bus.close();
      await services.fitPool.close();
      await storage.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
