import { spawn } from 'node:child_process';

/** Why a command run failed. */
export type RunCommandFailure = 'spawn' | 'timeout' | 'output_too_large' | 'exit';

/** A failed command run, with a stable `reason` and a message for the log. */
export class RunCommandError extends Error {
  override name = 'RunCommandError';
  constructor(
    readonly reason: RunCommandFailure,
    message: string,
    /** The first bytes of stderr, when there were any. */
    readonly stderr = '',
  ) {
    super(message);
  }
}

/** Limits of one run. */
export interface RunCommandOptions {
  /** Wall-clock limit in ms; the process group is killed when it is reached. */
  timeoutMs: number;
  /** Cap on stdout in bytes; the process group is killed when it is exceeded. */
  maxOutputBytes: number;
  /** Aborts the run (e.g. agent shutdown); the process group is killed. */
  signal?: AbortSignal;
}

/** Bytes of stderr kept for the error message. */
export const STDERR_KEEP_BYTES = 2048;

/**
 * Runs `command[0]` with `command.slice(1)` as arguments (no shell, so nothing in the config is
 * ever interpreted by one) and resolves with its stdout when it exits with status 0. The command
 * runs in its own process group so a timeout also kills whatever it started.
 * @throws RunCommandError for a spawn failure, a timeout, oversized output or a non-zero exit.
 */
export function runCommand(command: readonly string[], opts: RunCommandOptions): Promise<string> {
  return new Promise((resolve, reject) => {
    const [file, ...args] = command;
    const child = spawn(file as string, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: process.platform !== 'win32', windowsHide: true });
    const chunks: Buffer[] = [];
    let size = 0;
    let stderr = '';
    let failure: RunCommandError | null = null;
    const kill = (err: RunCommandError) => {
      failure ??= err;
      try {
        if (child.pid !== undefined && process.platform !== 'win32') process.kill(-child.pid, 'SIGKILL');
        else child.kill('SIGKILL');
      } catch {
        // Already gone: nothing to kill.
      }
    };
    const timer = setTimeout(() => kill(new RunCommandError('timeout', `timed out after ${opts.timeoutMs} ms`)), opts.timeoutMs);
    const onAbort = () => kill(new RunCommandError('timeout', 'aborted by agent shutdown'));
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    child.stdout.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > opts.maxOutputBytes) kill(new RunCommandError('output_too_large', `stdout exceeded ${opts.maxOutputBytes} bytes`));
      else chunks.push(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      if (stderr.length < STDERR_KEEP_BYTES) stderr += chunk.toString('utf8').slice(0, STDERR_KEEP_BYTES - stderr.length);
    });
    child.on('error', (err) => {
      failure ??= new RunCommandError('spawn', `cannot start ${file}: ${err.message}`);
    });
    child.on('close', (code, sig) => {
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      const trimmed = stderr.trim();
      if (failure) return reject(new RunCommandError(failure.reason, failure.message, trimmed));
      if (code !== 0) return reject(new RunCommandError('exit', sig ? `killed by ${sig}` : `exited with status ${code}`, trimmed));
      resolve(Buffer.concat(chunks).toString('utf8'));
    });
  });
}
