import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { systemClock } from '../../src/server/core/clock.js';
import { openSqliteStorage } from '../../src/server/storage/sqlite/open-sqlite-storage.js';

const root = new URL('../..', import.meta.url).pathname;

/** Password of the admin of servers started by {@link startVigilServer}. */
export const PROCESS_ADMIN_PASSWORD = 'process-admin-password-1';

/** A real `vigil server` child process (run through tsx) on a free loopback port. */
export interface VigilProcess {
  url: string;
  dataDir: string;
  child: ChildProcess;
  /** Output so far (stdout + stderr), for failure messages. */
  output(): string;
  /** SIGKILL: no shutdown code runs (the crash case). */
  kill9(): Promise<void>;
  /** SIGTERM and wait for the exit. */
  stop(): Promise<void>;
}

/**
 * Writes settings into the database before the server opens it (e.g. the outbound allowlist, which
 * has no API yet), so tests can point channels at loopback receivers.
 */
export async function seedSettings(dataDir: string, settings: Record<string, unknown>): Promise<void> {
  const storage = await openSqliteStorage({ dataDir, clock: systemClock });
  for (const [k, v] of Object.entries(settings)) await storage.settings.set(k, v, Date.now());
  await storage.close();
}

/** A fresh temp data dir with loopback allowlisted for outbound calls. */
export async function processDataDir(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-proc-'));
  await seedSettings(dir, { 'outbound.allowlist': { cidrs: ['127.0.0.1/32'], hosts: [] } });
  return dir;
}

/** Starts `vigil server` over `dataDir` and waits until it listens. */
export async function startVigilServer(dataDir: string, env: Record<string, string> = {}): Promise<VigilProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'src', 'cli.ts'), 'server'], {
    cwd: root,
    env: { ...process.env, VIGIL_DATA_DIR: dataDir, VIGIL_PORT: '0', VIGIL_HOST: '127.0.0.1', VIGIL_ADMIN_PASSWORD: PROCESS_ADMIN_PASSWORD, VIGIL_SCRYPT_LOG_N: '10', VIGIL_LOG_LEVEL: 'warn', VIGIL_DURABILITY: 'D', VIGIL_ALERTING_TICK: '250ms', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start: ${out}`)), 60_000);
    const check = () => {
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1] as string);
      }
    };
    child.stdout?.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}: ${out}`));
    });
  });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  return {
    url,
    dataDir,
    child,
    output: () => out,
    async kill9() {
      child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

/** A small API client for a running server (session cookie + CSRF header). */
export class ProcessApi {
  private constructor(
    readonly url: string,
    private readonly cookie: string,
  ) {}

  static async login(url: string): Promise<ProcessApi> {
    const res = await fetch(`${url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-requested-with': 'vigil' }, body: JSON.stringify({ username: 'admin', password: PROCESS_ADMIN_PASSWORD }) });
    const m = /vigil_sid=([^;]+)/.exec(res.headers.get('set-cookie') ?? '');
    if (!m) throw new Error(`login failed: ${res.status}`);
    return new ProcessApi(url, `vigil_sid=${m[1]}`);
  }

  async call<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(`${this.url}${path}`, { method, headers: { cookie: this.cookie, 'x-requested-with': 'vigil', ...(body !== undefined ? { 'content-type': 'application/json' } : {}) }, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
    const text = await res.text();
    if (res.status >= 300) throw new Error(`${method} ${path} → ${res.status} ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  }

  /** GET a non-JSON resource (e.g. `/metrics`) as text. */
  async text(path: string): Promise<string> {
    const res = await fetch(`${this.url}${path}`, { headers: { cookie: this.cookie } });
    if (res.status >= 300) throw new Error(`GET ${path} → ${res.status}`);
    return res.text();
  }

  /** Ingests samples with an agent key. */
  async ingest(key: string, series: { metric: string; labels?: Record<string, string>; points: [number, number][] }[]): Promise<void> {
    const res = await fetch(`${this.url}/api/v1/ingest`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify({ protocol: 1, series }) });
    if (res.status !== 200) throw new Error(`ingest ${res.status} ${await res.text()}`);
  }
}

/** Polls `check` every 100 ms until it returns true (or throws after `timeoutMs`). */
export async function eventually(check: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}
