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
/** Executables remembered as seen on this host at most (a host runs a few hundred distinct ones). */
const MAX_SEEN_EXECUTABLES = 5_000;

interface State {
  version: 1;
  /** Boot the keys belong to (pids and start times restart with the kernel). */
  bootId: string;
  /** `pid:starttime` of processes already reported. */
  reported: string[];
  /**
   * Executables (exe path, or `comm:<name>` when the link is unreadable) seen on this host, kept
   * across boots; absent in state files written before `process_started` existed (the next scan
   * is then a silent baseline).
   */
  seen?: string[];
}

function isState(v: unknown): v is State {
  return isRecord(v) && v.version === 1 && typeof v.bootId === 'string' && Array.isArray(v.reported) && v.reported.every((k) => typeof k === 'string') && (v.seen === undefined || (Array.isArray(v.seen) && v.seen.every((k) => typeof k === 'string')));
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
 * Also reports `process_started` (low) the first time an executable runs on this host: the first
 * scan records what already runs as a silent baseline, later scans report executables never seen
 * before (the server's first-seen detection decides what is worth an alert). Short-lived
 * processes that start and end between two scans are not seen.
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
  private seen = new Set<string>();
  private baselined = false;
  private lastScan = -Infinity;

  constructor(private readonly intervalMs: number) {}

  init(ctx: CollectorContext): void {
    this.ctx = ctx;
    this.statePath = join(ctx.stateDir, 'reported.json');
    this.bootId = (tryRead(this.reader, join(ctx.procRoot, 'sys/kernel/random/boot_id')) ?? '').trim();
    const saved = readStateFile(this.statePath, isState);
    if (saved && saved.bootId === this.bootId) this.reported = new Set(saved.reported);
    if (saved?.seen) {
      this.seen = new Set(saved.seen);
      this.baselined = true;
    }
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
      // Kernel threads have neither an exe link nor a command line: nothing to classify, and no
      // executable that started. Skipping them saves a failing readlink and a read of an empty
      // cmdline each (most entries of /proc on an idle host).
      if (this.reported.has(key) || stat.kernelThread) continue;
      const view: ProcessView = { exe: readlinkOrNull(join(dir, 'exe')), argv: (tryRead(this.reader, join(dir, 'cmdline')) ?? '').split('\0').filter((a) => a.length > 0).slice(0, 64) };
      // Kernel threads (kworker/…, names that change with their work) have neither an exe link
      // nor a command line: they are not executables that started (kept for kernels or
      // containers whose stat flags do not say so).
      const kernelThread = view.exe === null && view.argv.length === 0;
      const started = !kernelThread && this.noteExecutable(view.exe, stat.comm);
      if (started) events.push(this.startedEvent(now, pid, stat.comm, view, dir));
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
    const seenChanged = this.seenChanged || !this.baselined;
    this.seenChanged = false;
    this.baselined = true;
    const before = this.reported.size;
    // Forget processes that ended (their pid may be reused with another start time).
    for (const k of this.reported) if (!alive.has(k)) this.reported.delete(k);
    if (this.reported.size > MAX_REPORTED) this.reported = new Set([...this.reported].slice(-MAX_REPORTED));
    if (events.length > 0 || seenChanged || this.reported.size !== before) writeStateFile(this.statePath, { version: 1, bootId: this.bootId, reported: [...this.reported], seen: [...this.seen] } satisfies State);
    return { series: [], events };
  }

  private seenChanged = false;

  /** Records the executable; true when it was never seen before and the baseline is done. */
  private noteExecutable(exe: string | null, comm: string): boolean {
    // Kernel threads have no exe link; a process whose link is unreadable (not root) is known by name.
    const id = exe ?? `comm:${comm}`;
    if (this.seen.has(id)) return false;
    if (this.seen.size >= MAX_SEEN_EXECUTABLES) this.seen.delete(this.seen.values().next().value as string);
    this.seen.add(id);
    this.seenChanged = true;
    return this.baselined;
  }

  private startedEvent(now: number, pid: string, comm: string, view: ProcessView, dir: string): SecurityEventInput {
    const uid = parseStatusUid(tryRead(this.reader, join(dir, 'status')) ?? '');
    return securityEvent({
      type: 'process_started',
      severity: 'low',
      ts: now,
      source: this.name,
      description: `New executable on this host: ${comm} (pid ${pid})${view.exe ? ` ${view.exe}` : ''}`,
      metadata: { pid: Number(pid), comm, exe: view.exe, cmdline: view.argv.join(' ').slice(0, 1024), uid },
    });
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
