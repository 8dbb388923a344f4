import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

const root = new URL('../..', import.meta.url).pathname;

/** Admin password of servers started by these helpers. */
export const IT_ADMIN_PASSWORD = 'integration-admin-password';

/** A free TCP port on 127.0.0.1 (closed again before returning). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** A child process running `vigil <command>` through tsx, with its output captured. */
export interface VigilProcess {
  child: ChildProcess;
  output(): string;
  /** Resolves when the output matches `re` (rejects on exit or after `timeoutMs`). */
  waitFor(re: RegExp, timeoutMs?: number): Promise<RegExpExecArray>;
  kill(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Spawns `node --import tsx src/cli.ts <args>`. */
export function spawnVigil(args: string[], env: Record<string, string> = {}): VigilProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', `${root}src/cli.ts`, ...args], {
    cwd: root,
    env: { ...process.env, VIGIL_LOG_LEVEL: 'warn', VIGIL_CONFIG: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    output: () => out,
    waitFor(re, timeoutMs = 30_000) {
      return new Promise((resolve, reject) => {
        const started = Date.now();
        const check = () => {
          const m = re.exec(out);
          if (m) return resolve(m);
          if (child.exitCode !== null) return reject(new Error(`process exited (${child.exitCode}) before ${re}: ${out.slice(-2000)}`));
          if (Date.now() - started > timeoutMs) return reject(new Error(`timeout waiting for ${re}: ${out.slice(-2000)}`));
          setTimeout(check, 50);
        };
        check();
      });
    },
    async kill(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

/** Starts `vigil server` on `port` with `dataDir` and waits until it listens. */
export async function startServer(dataDir: string, port: number, env: Record<string, string> = {}): Promise<VigilProcess & { url: string }> {
  const p = spawnVigil(['server'], { VIGIL_DATA_DIR: dataDir, VIGIL_PORT: String(port), VIGIL_ADMIN_PASSWORD: IT_ADMIN_PASSWORD, VIGIL_SCRYPT_LOG_N: '10', ...env });
  await p.waitFor(/listening on http/);
  return Object.assign(p, { url: `http://127.0.0.1:${port}` });
}

/** Logs in as the integration admin; returns the Cookie header value. */
export async function login(url: string, username = 'admin', password = IT_ADMIN_PASSWORD): Promise<string> {
  const res = await fetch(`${url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-requested-with': 'vigil' }, body: JSON.stringify({ username, password }) });
  const m = /vigil_sid=([^;]+)/.exec(res.headers.get('set-cookie') ?? '');
  if (!m) throw new Error(`login failed: ${res.status} ${await res.text()}`);
  return `vigil_sid=${m[1]}`;
}

/** Creates an agent through the API and returns its ingest key. */
export async function enrollAgent(url: string, cookie: string, name: string): Promise<string> {
  const res = await fetch(`${url}/api/v1/agents`, { method: 'POST', headers: { cookie, 'content-type': 'application/json', 'x-requested-with': 'vigil' }, body: JSON.stringify({ name }) });
  if (res.status !== 201) throw new Error(`enroll failed: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { key: string }).key;
}

/** Polls `fn` every 200 ms until it returns a truthy value or `timeoutMs` passes. */
export async function eventually<T>(fn: () => Promise<T | null | undefined | false>, timeoutMs = 20_000, what = 'condition'): Promise<T> {
  const started = Date.now();
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
