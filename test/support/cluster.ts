import { mkdtempSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import type { LiveServerMessage } from '../../src/protocol/live.js';
import { systemClock } from '../../src/server/core/clock.js';
import { openPgStorage } from '../../src/server/storage/postgres/open-pg-storage.js';
import { createPgTestSchema, type PgTestSchema } from '../../src/server/storage/testing/pg-test-schema.js';
import { PROCESS_ADMIN_PASSWORD, startVigilServer, type VigilProcess } from './vigil-process.js';

/** Redis of the tests (each cluster uses its own key/channel prefix). */
export const TEST_REDIS_URL = 'redis://127.0.0.1:6379/0';

/** What the replicas of one test cluster share: a PostgreSQL schema, a Redis prefix and a secret key. */
export interface TestCluster {
  pg: PgTestSchema;
  env: Record<string, string>;
  /** Starts one more replica (`vigil server` process) of this cluster. */
  start(extraEnv?: Record<string, string>): Promise<VigilProcess>;
  /** Stops every replica still running, drops the schema and the temp dirs. */
  close(): Promise<void>;
}

/**
 * Creates a fresh schema in the test database with loopback allowlisted for outbound calls, and
 * the environment of replicas sharing it and one Redis prefix.
 */
export async function createTestCluster(extraEnv: Record<string, string> = {}): Promise<TestCluster> {
  const pg = await createPgTestSchema();
  const storage = await openPgStorage({ url: pg.url, schema: pg.schema, clock: systemClock, poolSize: 2 });
  await storage.settings.set('outbound.allowlist', { cidrs: ['127.0.0.1/32'], hosts: [] }, Date.now());
  await storage.close();
  const env = {
    VIGIL_DATABASE_URL: pg.url,
    VIGIL_DATABASE_SCHEMA: pg.schema,
    VIGIL_REDIS_URL: TEST_REDIS_URL,
    VIGIL_REDIS_PREFIX: `vigil-test:${pg.schema}:`,
    VIGIL_SECRET_KEY: randomBytes(32).toString('hex'),
    ...extraEnv,
  };
  const replicas: VigilProcess[] = [];
  const dirs: string[] = [];
  return {
    pg,
    env,
    async start(more = {}) {
      const dir = mkdtempSync(join(tmpdir(), 'vigil-replica-'));
      dirs.push(dir);
      const p = await startVigilServer(dir, { ...env, ...more });
      replicas.push(p);
      return p;
    },
    async close() {
      await Promise.all(replicas.map((r) => r.stop()));
      await pg.drop();
      for (const d of dirs) rmSync(d, { recursive: true, force: true });
    },
  };
}

/** Logs in as the process admin and returns the session cookie. */
export async function sessionCookie(url: string): Promise<string> {
  const res = await fetch(`${url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-requested-with': 'vigil' }, body: JSON.stringify({ username: 'admin', password: PROCESS_ADMIN_PASSWORD }) });
  const m = /vigil_sid=([^;]+)/.exec(res.headers.get('set-cookie') ?? '');
  if (!m) throw new Error(`login failed: ${res.status}`);
  return `vigil_sid=${m[1]}`;
}

/** A live WebSocket client collecting server messages. */
export interface LiveClient {
  messages: LiveServerMessage[];
  /** Resolves with the first message matching `pred` (already received or future). */
  next(pred: (m: LiveServerMessage) => boolean, timeoutMs?: number): Promise<LiveServerMessage>;
  send(msg: unknown): void;
  close(): void;
}

/** Opens `/api/v1/live` on `url` with a session cookie and waits for the hello. */
export async function openLive(url: string, cookie: string): Promise<LiveClient> {
  const ws = new WebSocket(`${url.replace('http', 'ws')}/api/v1/live`, { headers: { cookie } });
  const messages: LiveServerMessage[] = [];
  const waiters: { pred: (m: LiveServerMessage) => boolean; resolve: (m: LiveServerMessage) => void }[] = [];
  ws.on('message', (data) => {
    const m = JSON.parse(String(data)) as LiveServerMessage;
    messages.push(m);
    for (const w of [...waiters]) {
      if (!w.pred(m)) continue;
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve(m);
    }
  });
  const client: LiveClient = {
    messages,
    next(pred, timeoutMs = 10_000) {
      const found = messages.find(pred);
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        waiters.push({ pred, resolve });
        setTimeout(() => reject(new Error(`no matching live message; got ${JSON.stringify(messages).slice(0, 500)}`)), timeoutMs).unref();
      });
    },
    send: (msg) => ws.send(JSON.stringify(msg)),
    close: () => ws.close(),
  };
  await client.next((m) => m.type === 'hello');
  return client;
}

/** Reads `vigil_cluster_leader` from a replica's `/metrics` (1 = leads). */
export async function isLeader(url: string, cookie: string): Promise<boolean> {
  const res = await fetch(`${url}/metrics`, { headers: { cookie } });
  const text = await res.text();
  return /^vigil_cluster_leader 1$/m.test(text);
}
