import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** Repository root (cwd of the spawned `vigil` processes). */
export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** A running `vigil` child process with its captured output. */
export interface VigilChild {
  proc: ChildProcess;
  /** stdout + stderr so far (bounded to the last 64 KiB). */
  output(): string;
  /** Resolves with the exit code (or signal name) once the process ended. */
  exited: Promise<number | string>;
}

const running = new Set<ChildProcess>();
process.on('exit', () => {
  // Last resort: a failed test must not leave a server or agent running on the shared machine.
  for (const p of running) p.kill('SIGKILL');
});

/** Runs `node --import tsx src/cli.ts <args>` from the repository root. */
export function spawnVigil(args: string[], env: Record<string, string>): VigilChild {
  const proc = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(proc);
  let out = '';
  const append = (chunk: Buffer) => {
    out = (out + chunk.toString('utf8')).slice(-65_536);
  };
  proc.stdout?.on('data', append);
  proc.stderr?.on('data', append);
  const exited = new Promise<number | string>((resolve) => {
    proc.once('exit', (code, signal) => {
      running.delete(proc);
      resolve(code ?? signal ?? 'unknown');
    });
  });
  return { proc, output: () => out, exited };
}

/** Sends `signal` and waits for the exit; escalates to SIGKILL after `graceMs` (default 10 s). */
export async function stopChild(child: VigilChild, signal: NodeJS.Signals = 'SIGTERM', graceMs = 10_000): Promise<void> {
  if (child.proc.exitCode !== null || child.proc.signalCode !== null) return;
  child.proc.kill(signal);
  const timer = setTimeout(() => child.proc.kill('SIGKILL'), graceMs);
  await child.exited;
  clearTimeout(timer);
}

/** Polls `check` every `intervalMs` until it returns true or `timeoutMs` passes. */
export async function waitFor(what: string, check: () => Promise<boolean> | boolean, timeoutMs = 20_000, intervalMs = 100): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
