import { readdirSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import type { SecurityEventInput } from '../../../../protocol/security.js';
import type { Collector, CollectorContext, CollectorFactory, CollectResult } from '../../../collector.js';
import { linuxOnly } from '../../linux-only.js';
import { ProcReader } from '../../proc-reader.js';
import { parsePidStat, parseStatusUid } from '../../processes/parse-pid-stat.js';
import { securityEvent } from '../security-event.js';
import { isRecord, readStateFile, writeStateFile } from '../state-file.js';
import { classifyProcess, type ProcessView } from './classify-process.js';

/** Name of the collector (and `source` of its events). */
export const SUSPICIOUS_PROCESSES_COLLECTOR = 'suspicious-processes';
/** Processes remembered as reported at most (older keys of dead processes are pruned first). */
const MAX_REPORTED = 10_000;

interface State {
  version: 1;
  /** Boot the keys belong to (pids and start times restart with the kernel). */
  bootId: string;
  /** `pid:starttime` of processes already reported. */
  reported: string[];
}

function isState(v: unknown): v is State {
  return isRecord(v) && v.version === 1 && typeof v.bootId === 'string' && Array.isArray(v.reported) && v.reported.every((k) => typeof k === 'string');
}

function tryRead(reader: ProcReader, path: string): string | null {
  try {
    return reader.tryRead(path);
  } catch {
    return null;
  }
}

/**
 * Processes worth an analyst's look (see `classify-process.ts`): running from a temp directory,
 * from a deleted or in-memory executable, or interpreters running scripts from temp directories.
 * Each process (pid + start time) is reported once per boot, persisted across agent restarts;
 * processes already running when the agent first starts are reported too (a dropper does not
 * wait for the agent). Processes that start listening appear in `listening-ports` with their
 * owner.
 */
class SuspiciousProcessesCollector implements Collector {
  readonly name = SUSPICIOUS_PROCESSES_COLLECTOR;
  private readonly reader = new ProcReader();
  private ctx!: CollectorContext;
  private statePath = '';
  private bootId = '';
  private reported = new Set<string>();
  private lastScan = -Infinity;

  constructor(private readonly intervalMs: number) {}

  init(ctx: CollectorContext): void {
    this.ctx = ctx;
    this.statePath = join(ctx.stateDir, 'reported.json');
    this.bootId = (tryRead(this.reader, join(ctx.procRoot, 'sys/kernel/random/boot_id')) ?? '').trim();
    const saved = readStateFile(this.statePath, isState);
    if (saved && saved.bootId === this.bootId) this.reported = new Set(saved.reported);
  }

  collect(now: number): CollectResult {
    if (now - this.lastScan < this.intervalMs) return { series: [] };
    this.lastScan = now;
    const events: SecurityEventInput[] = [];
    const alive = new Set<string>();
    let pids: string[];
    try {
      pids = readdirSync(this.ctx.procRoot).filter((n) => /^\d+$/.test(n));
    } catch {
      return { series: [] };
    }
    for (const pid of pids) {
      const dir = join(this.ctx.procRoot, pid);
      const stat = parsePidStat(tryRead(this.reader, join(dir, 'stat')) ?? '');
      if (!stat) continue;
      const key = `${pid}:${stat.startTime}`;
      alive.add(key);
      if (this.reported.has(key)) continue;
      const view: ProcessView = { exe: readlinkOrNull(join(dir, 'exe')), argv: (tryRead(this.reader, join(dir, 'cmdline')) ?? '').split('\0').filter((a) => a.length > 0).slice(0, 64) };
      const s = classifyProcess(view);
      if (!s) continue;
      this.reported.add(key);
      const uid = parseStatusUid(tryRead(this.reader, join(dir, 'status')) ?? '');
      const cmdline = view.argv.join(' ').slice(0, 1024);
      events.push(
        securityEvent({
          type: 'process_suspicious',
          severity: s.severity,
          ts: now,
          source: this.name,
          ...(s.mitre ? { mitre: s.mitre } : {}),
          description: `Suspicious process ${stat.comm} (pid ${pid}): ${describe(s.reason)} ${s.path}`,
          metadata: { pid: Number(pid), comm: stat.comm, exe: view.exe, cmdline, uid, reason: s.reason, path: s.path, start_ticks: stat.startTime },
        }),
      );
    }
    const before = this.reported.size;
    // Forget processes that ended (their pid may be reused with another start time).
    for (const k of this.reported) if (!alive.has(k)) this.reported.delete(k);
    if (this.reported.size > MAX_REPORTED) this.reported = new Set([...this.reported].slice(-MAX_REPORTED));
    if (events.length > 0 || this.reported.size !== before) writeStateFile(this.statePath, { version: 1, bootId: this.bootId, reported: [...this.reported] } satisfies State);
    return { series: [], events };
  }

  close(): void {
    // State is saved after every change.
  }
}

function describe(reason: string): string {
  switch (reason) {
    case 'deleted_executable':
      return 'its executable was deleted:';
    case 'memfd_executable':
      return 'runs from an anonymous memory file';
    case 'script_from_temp':
      return 'interpreter runs a script from a temp directory:';
    default:
      return 'runs from a temp directory:';
  }
}

function readlinkOrNull(path: string): string | null {
  try {
    return readlinkSync(path);
  } catch {
    return null;
  }
}

/** Factory of the suspicious-processes collector; `intervalMs` is the time between scans. */
export function suspiciousProcessesCollectorFactory(intervalMs: number): CollectorFactory {
  return {
    name: SUSPICIOUS_PROCESSES_COLLECTOR,
    description: 'Security: processes running from /tmp, /var/tmp, /dev/shm, deleted or in-memory executables.',
    create: () => new SuspiciousProcessesCollector(intervalMs),
    unavailableReason: (ctx) => linuxOnly(ctx, 'stat'),
  };
}
