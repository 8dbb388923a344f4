import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { Logger } from '../options/command.js';
import type { RunningServer } from './main.js';

interface LocalAgentFile {
  agentId: string;
  name: string;
  key: string;
}

/** A name usable as agent name / host label, derived from the machine's hostname. */
export function localAgentName(): string {
  const cleaned = hostname().toLowerCase().replace(/[^a-z0-9._-]/g, '-').replace(/^[^a-z0-9]+/, '');
  return cleaned.slice(0, 100) || 'localhost';
}

/**
 * Returns the local agent's key, enrolling the agent on first start. The key is kept in
 * `<dataDir>/local-agent.json` (mode 0600) because the server stores only its hash.
 */
export async function ensureLocalAgent(server: RunningServer, dataDir: string): Promise<LocalAgentFile> {
  const file = join(dataDir, 'local-agent.json');
  if (existsSync(file)) {
    const saved = JSON.parse(readFileSync(file, 'utf8')) as LocalAgentFile;
    const key = await server.services.keys.authenticate(saved.key);
    if (key?.agentId === saved.agentId) return saved;
  }
  const name = localAgentName();
  const existing = await server.storage.agents.getByName(name);
  let result: LocalAgentFile;
  if (existing) {
    const key = await server.services.keys.createAgentKey(existing.id, `local ingest key for ${name}`, 'system');
    result = { agentId: existing.id, name, key: key.secret };
  } else {
    const { agent, key } = await server.services.agents.enroll(name, 'system');
    result = { agentId: agent.id, name, key: key.secret };
  }
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(file, JSON.stringify(result), { mode: 0o600 });
  return result;
}

/**
 * Runs `vigil agent` as a child process (same process group) and restarts it with a growing
 * delay if it exits unexpectedly, until `signal` aborts.
 */
export function superviseLocalAgent(opts: { cliPath: string; execArgv: string[]; url: string; key: string; dataDir: string; interval: string; log: Logger; signal: AbortSignal }): {
  stopped: Promise<void>;
} {
  let child: ChildProcess | null = null;
  let delay = 1000;
  const start = () => {
    if (opts.signal.aborted) return;
    child = spawn(process.execPath, [...opts.execArgv, opts.cliPath, 'agent', '--server', opts.url, '--data-dir', join(opts.dataDir, 'agent'), '--interval', opts.interval], {
      stdio: ['ignore', 'inherit', 'inherit'],
      env: { ...process.env, VIGIL_KEY: opts.key, VIGIL_CONFIG: '' },
    });
    const startedAt = Date.now();
    child.on('exit', (code, sig) => {
      child = null;
      if (opts.signal.aborted) return;
      opts.log.warn('local agent exited; restarting', { code, signal: sig, delayMs: delay });
      delay = Date.now() - startedAt > 60_000 ? 1000 : Math.min(delay * 2, 30_000);
      setTimeout(start, delay).unref();
    });
  };
  start();
  const stopped = new Promise<void>((resolve) => {
    opts.signal.addEventListener('abort', () => {
      const c = child as ChildProcess | null;
      if (!c) return resolve();
      c.once('exit', () => resolve());
      c.kill('SIGTERM');
      setTimeout(() => c.kill('SIGKILL'), 10_000).unref();
    }, { once: true });
  });
  return { stopped };
}
