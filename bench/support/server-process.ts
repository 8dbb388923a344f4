import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('../..', import.meta.url).pathname;

/** A `vigil server` child process on a free port with a temp data dir. */
export interface ServerProcess {
  url: string;
  pid: number;
  dataDir: string;
  child: ChildProcess;
  /** CPU time (user + system) the process used so far, in µs, from /proc/<pid>/stat. */
  cpuMicros(): number;
  /** Resident set size in bytes from /proc/<pid>/status. */
  rssBytes(): number;
  stop(): Promise<void>;
}

const CLK_TCK = 100;

/** CPU µs of a process (Linux). */
export function processCpuMicros(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) / CLK_TCK) * 1e6;
}

/** RSS of a process in bytes (Linux). */
export function processRssBytes(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : 0;
}

/** Starts `dist/cli.js server` (built) and waits until it prints its URL. */
export async function startServerProcess(env: Record<string, string> = {}, dataDir?: string): Promise<ServerProcess> {
  const dir = dataDir ?? mkdtempSync(join(tmpdir(), 'vigil-bench-'));
  const nodeArgs = (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, join(root, 'dist', 'cli.js'), 'server'], {
    env: { ...process.env, VIGIL_DATA_DIR: dir, VIGIL_DURABILITY: process.env.BENCH_DURABILITY ?? 'D', VIGIL_PORT: '0', VIGIL_ADMIN_PASSWORD: 'bench-admin-password', VIGIL_SCRYPT_LOG_N: '10', VIGIL_LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`server did not start: ${out}`)), 30_000);
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1] as string);
      }
    });
    child.once('exit', (code) => reject(new Error(`server exited with ${code}: ${out}`)));
  });
  const pid = child.pid as number;
  return {
    url,
    pid,
    dataDir: dir,
    child,
    cpuMicros: () => processCpuMicros(pid),
    rssBytes: () => processRssBytes(pid),
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      if (!dataDir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Logs in as the bench admin and returns the Cookie header. */
export async function benchLogin(url: string): Promise<string> {
  const res = await fetch(`${url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-requested-with': 'vigil' }, body: JSON.stringify({ username: 'admin', password: 'bench-admin-password' }) });
  const set = res.headers.get('set-cookie') ?? '';
  const m = /vigil_sid=([^;]+)/.exec(set);
  if (!m) throw new Error(`login failed: ${res.status}`);
  return `vigil_sid=${m[1]}`;
}

/** Creates an agent through the API and returns its ingest key. */
export async function benchAgentKey(url: string, cookie: string, name: string): Promise<string> {
  const res = await fetch(`${url}/api/v1/agents`, { method: 'POST', headers: { cookie, 'content-type': 'application/json', 'x-requested-with': 'vigil' }, body: JSON.stringify({ name }) });
  if (res.status !== 201) throw new Error(`enroll failed: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { key: string }).key;
}

/** p-th percentile (0..100) of values, nearest-rank. */
export function percentile(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] ?? NaN;
}

/** Median of values. */
export function median(values: number[]): number {
  return percentile(values, 50);
}
