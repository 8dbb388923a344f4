import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnVigil, stopChild, type VigilChild } from './child-process.js';

/**
 * A real `vigil agent` process collecting this machine's metrics and pushing them to a server,
 * with its own temporary spool directory.
 */
export class VigilAgent {
  private constructor(
    private readonly child: VigilChild,
    private readonly dataDir: string,
  ) {}

  /**
   * Starts `vigil agent --server <url>` (key in `VIGIL_KEY`) collecting every `intervalMs` (default
   * 1000 ms, the agent's minimum: the tests want live points quickly).
   */
  static start(serverUrl: string, key: string, intervalMs = 1000): VigilAgent {
    const dataDir = mkdtempSync(join(tmpdir(), 'vigil-e2e-agent-'));
    // The key goes through the environment, as the agent's help recommends (flags show in `ps`).
    const child = spawnVigil(['agent', '--server', serverUrl, '--interval', `${intervalMs}ms`, '--data-dir', dataDir], {
      VIGIL_KEY: key,
      VIGIL_LOG_LEVEL: 'warn',
    });
    return new VigilAgent(child, dataDir);
  }

  /** Agent output so far (for failure messages). */
  output(): string {
    return this.child.output();
  }

  /** True while the process runs. */
  get running(): boolean {
    return this.child.proc.exitCode === null && this.child.proc.signalCode === null;
  }

  /** Stops the agent and deletes its spool. */
  async dispose(): Promise<void> {
    await stopChild(this.child, 'SIGTERM');
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}
