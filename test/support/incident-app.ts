import type { LightMyRequestResponse } from 'fastify';
import { createTestApp, mutationHeaders, type TestApp } from '../../src/server/testing/test-app.js';
import type { ServerConfig } from '../../src/server/config/server-config.js';

/** A test app with alerting driven by hand: background ticks are slow, `run()` evaluates and dispatches now. */
export interface IncidentApp extends TestApp {
  cookie: string;
  key: string;
  /** Authenticated JSON request through `inject`; throws unless the status is `expect` (default 2xx). */
  api<T = unknown>(method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, body?: unknown, expect?: number): Promise<T>;
  raw(method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, body?: unknown): Promise<LightMyRequestResponse>;
  /** Ingests one sample per call through the real ingest API (host = the test agent). */
  ingest(metric: string, labels: Record<string, string>, value: number, ts?: number): Promise<void>;
  /** Evaluates, runs the notification pipeline and dispatches once. */
  run(): Promise<void>;
  /** Moves the clock by `ms` in steps of `stepMs`, running everything after each step. */
  advance(ms: number, stepMs?: number): Promise<void>;
}

/** Opens an {@link IncidentApp}; loopback is allowlisted so channels can reach local receivers. */
export async function incidentApp(overrides: Partial<ServerConfig> = {}): Promise<IncidentApp> {
  const t = await createTestApp({ alertingTickMs: 60_000, ...overrides });
  await t.storage.settings.set('outbound.allowlist', { cidrs: ['127.0.0.1/32'], hosts: [] }, t.clock.now());
  const cookie = await t.login();
  const key = await t.agentKey('web-1');
  const raw = (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, body?: unknown) =>
    t.app.inject({ method, url, headers: method === 'GET' ? { cookie } : mutationHeaders(cookie), ...(body !== undefined ? { payload: body as object } : {}) });
  const app: IncidentApp = {
    ...t,
    cookie,
    key,
    raw,
    async api<T>(method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, body?: unknown, expect?: number): Promise<T> {
      const res = await raw(method, url, body);
      if (expect !== undefined ? res.statusCode !== expect : res.statusCode >= 300) throw new Error(`${method} ${url} → ${res.statusCode} ${res.body}`);
      return (res.body ? JSON.parse(res.body) : undefined) as T;
    },
    async ingest(metric, labels, value, ts = t.clock.now()) {
      const res = await t.app.inject({ method: 'POST', url: '/api/v1/ingest', headers: { authorization: `Bearer ${key}` }, payload: { protocol: 1, series: [{ metric, labels, points: [[ts, value]] }] } });
      if (res.statusCode !== 200) throw new Error(`ingest ${res.statusCode} ${res.body}`);
      await t.services.deps.incidents.engine.settle();
    },
    async run() {
      await t.services.deps.incidents.runOnce();
    },
    async advance(ms, stepMs = 1000) {
      for (let left = ms; left > 0; left -= stepMs) {
        t.clock.advance(Math.min(stepMs, left));
        await t.services.deps.incidents.runOnce();
      }
    },
  };
  return app;
}
