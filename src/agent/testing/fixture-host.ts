import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CollectorContext } from '../collector.js';
import type { Logger } from '../../options/command.js';

/** Directory of the captured /proc and /sys snapshots (see testdata/README.md). */
export const FIXTURES = new URL('../collectors/testdata/linux-vm/', import.meta.url).pathname;

/** A logger that keeps events in memory, for assertions. */
export function memoryLogger(): Logger & { events: { level: string; msg: string; fields?: Record<string, unknown> }[] } {
  const events: { level: string; msg: string; fields?: Record<string, unknown> }[] = [];
  const at = (level: string) => (msg: string, fields?: Record<string, unknown>) => void events.push({ level, msg, fields });
  return { events, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

/**
 * A temporary host root holding one captured snapshot at a time: `use('t0')`, collect, then
 * `use('t1')` and collect again, exactly as the files change between two ticks on a real host.
 */
export class FixtureHost {
  readonly dir = mkdtempSync(join(tmpdir(), 'vigil-fixture-'));
  readonly log = memoryLogger();

  use(snapshot: 't0' | 't1'): void {
    rmSync(join(this.dir, 'proc'), { recursive: true, force: true });
    rmSync(join(this.dir, 'sys'), { recursive: true, force: true });
    cpSync(join(FIXTURES, snapshot), this.dir, { recursive: true });
    cpSync(join(FIXTURES, 'rootfs'), this.dir, { recursive: true });
  }

  ctx(overrides: Partial<CollectorContext> = {}): CollectorContext {
    return {
      intervalMs: 1000,
      procRoot: join(this.dir, 'proc'),
      sysRoot: join(this.dir, 'sys'),
      rootFs: this.dir,
      topProcesses: 10,
      log: this.log,
      platform: 'linux',
      clockTicks: 100,
      pageSize: 4096,
      stateDir: join(this.dir, 'state'),
      emitEvents: () => undefined,
      ...overrides,
    };
  }

  cleanup(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
