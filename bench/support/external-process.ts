import { spawn, type ChildProcess } from 'node:child_process';
import { processCpuMicros, processRssBytes } from './server-process.js';

/** A long-running child program started by a benchmark (Prometheus, node_exporter). */
export interface ExternalProcess {
  pid: number;
  child: ChildProcess;
  cpuMicros(): number;
  rssBytes(): number;
  /** SIGTERM, then SIGKILL after 10 s; resolves when the process is gone. */
  stop(): Promise<void>;
}

/** Spawns `cmd args` with its output captured (shown if it exits early). */
export function startExternal(cmd: string, args: string[]): ExternalProcess {
  const child = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  child.stderr?.on('data', (d: Buffer) => {
    err = (err + d.toString()).slice(-4000);
  });
  child.once('exit', (code, signal) => {
    if (code !== 0 && signal === null) process.stderr.write(`${cmd} exited with ${code}: ${err}\n`);
  });
  const pid = child.pid as number;
  return {
    pid,
    child,
    cpuMicros: () => processCpuMicros(pid),
    rssBytes: () => processRssBytes(pid),
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const gone = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await gone;
      clearTimeout(timer);
    },
  };
}
