import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ProcessInfo } from '../../../protocol/ingest.js';
import { point, type Collector, type CollectorContext, type CollectorFactory, type CollectResult } from '../../collector.js';
import { ProcReader } from '../proc-reader.js';
import { linuxOnly } from '../linux-only.js';
import { parseProcStat } from '../cpu/parse-proc-stat.js';
import { parseMeminfo } from '../memory/parse-meminfo.js';
import { parsePasswd, parsePidStat, parseStatusUid } from './parse-pid-stat.js';
import { selectTopProcesses } from './select-top-processes.js';

/** Longest command line reported per process, in characters. */
export const COMMAND_MAX_CHARS = 256;
/** How often /etc/passwd may be re-read to resolve an unknown uid, in ms. */
export const PASSWD_REFRESH_MS = 60_000;
/** Default time between two full process scans (top lists), in ms. */
export const PROCESS_SCAN_INTERVAL_MS = 10_000;

interface Reading {
  pid: number;
  comm: string;
  state: string;
  cpuPercent: number;
  rssBytes: number;
}

/**
 * Process counts (every tick: a directory listing of /proc and /proc/stat) and the top processes
 * by CPU and memory. The top lists need /proc/<pid>/stat of every process, which the kernel
 * builds on each read (about 2 ms for 200 processes, the agent's biggest cost at a 1 s interval),
 * so that scan runs at the first two ticks and then every `scanIntervalMs` (never more often than
 * the interval); CPU % is the average since the previous scan. User and command line are read
 * only for the few processes that make the lists.
 */
export class ProcessesCollector implements Collector {
  readonly name = 'processes';
  private readonly reader = new ProcReader();
  private ctx: CollectorContext | null = null;
  /** `pid:starttime` → CPU ticks at the previous scan (a reused pid starts over). */
  private prevTicks = new Map<string, number>();
  private prevScanAt: number | null = null;
  private scans = 0;
  private users = new Map<number, string>();
  private passwdReadAt = -Infinity;

  /** @param scanIntervalMs time between full scans in ms (default 10 s). */
  constructor(private readonly scanIntervalMs = PROCESS_SCAN_INTERVAL_MS) {}

  init(ctx: CollectorContext): void {
    this.ctx = ctx;
  }

  collect(now: number): CollectResult {
    const ctx = this.ctx as CollectorContext;
    const stat = parseProcStat(this.reader.read(`${ctx.procRoot}/stat`));
    const pids = readdirSync(ctx.procRoot).filter((n) => n.charCodeAt(0) >= 48 && n.charCodeAt(0) <= 57 && /^\d+$/.test(n));
    const series = [point('processes_total', pids.length, now)];
    if (stat.procsRunning !== null) series.push(point('processes_running', stat.procsRunning, now));
    if (stat.procsBlocked !== null) series.push(point('processes_blocked', stat.procsBlocked, now));
    if (ctx.topProcesses <= 0) return { series };
    const due = this.prevScanAt === null || this.scans === 1 || now - this.prevScanAt >= Math.max(this.scanIntervalMs, ctx.intervalMs) || now < this.prevScanAt;
    if (!due) return { series };

    const dtSec = this.prevScanAt === null ? 0 : (now - this.prevScanAt) / 1000;
    const ticks = new Map<string, number>();
    const readings: Reading[] = [];
    for (const name of pids) {
      const text = this.reader.tryRead(`${ctx.procRoot}/${name}/stat`);
      const s = text === null ? null : parsePidStat(text);
      if (!s) continue;
      const key = `${s.pid}:${s.startTime}`;
      ticks.set(key, s.cpuTicks);
      const prev = this.prevTicks.get(key);
      const cpuPercent = prev === undefined || dtSec <= 0 ? 0 : (Math.max(0, s.cpuTicks - prev) * 100) / ctx.clockTicks / dtSec;
      readings.push({ pid: s.pid, comm: s.comm, state: s.state, cpuPercent, rssBytes: s.rssPages * ctx.pageSize });
    }
    const baseline = this.prevScanAt === null || dtSec <= 0;
    this.prevTicks = ticks;
    this.prevScanAt = now;
    this.scans++;
    if (baseline) return { series };

    const memTotal = parseMeminfo(this.reader.read(`${ctx.procRoot}/meminfo`)).get('MemTotal') ?? 0;
    const processes = selectTopProcesses(readings, ctx.topProcesses).map((r) => this.describe(r, memTotal, now));
    return { series, processes };
  }

  private describe(r: Reading, memTotal: number, now: number): ProcessInfo {
    const ctx = this.ctx as CollectorContext;
    const info: ProcessInfo = { pid: r.pid, name: r.comm, state: r.state, cpuPercent: round2(r.cpuPercent), memoryBytes: r.rssBytes };
    if (memTotal > 0) info.memoryPercent = round2((r.rssBytes * 100) / memTotal);
    const status = this.reader.tryRead(`${ctx.procRoot}/${r.pid}/status`);
    const uid = status === null ? null : parseStatusUid(status);
    if (uid !== null) info.user = this.userName(uid, now);
    const cmdline = this.reader.tryRead(`${ctx.procRoot}/${r.pid}/cmdline`);
    // Kernel threads have an empty command line.
    const command = cmdline?.replace(/\0+$/, '').replace(/\0/g, ' ').trim();
    if (command) info.command = command.length > COMMAND_MAX_CHARS ? `${command.slice(0, COMMAND_MAX_CHARS - 1)}…` : command;
    return info;
  }

  private userName(uid: number, now: number): string {
    if (!this.users.has(uid) && now - this.passwdReadAt >= PASSWD_REFRESH_MS) {
      this.passwdReadAt = now;
      const text = this.reader.tryRead(join((this.ctx as CollectorContext).rootFs, 'etc', 'passwd'));
      if (text !== null) this.users = parsePasswd(text);
    }
    return this.users.get(uid) ?? String(uid);
  }

  close(): void {}
}

function round2(v: number): number {
  return Math.round(v * 100) / 100;
}

/** Factory of the `processes` collector (Linux), scanning for the top lists every `scanIntervalMs`. */
export function processesCollectorFactory(scanIntervalMs = PROCESS_SCAN_INTERVAL_MS): CollectorFactory {
  return {
    name: 'processes',
    description: 'Process counts and the top processes by CPU and memory (/proc/<pid>/stat)',
    create: () => new ProcessesCollector(scanIntervalMs),
    unavailableReason: (ctx) => linuxOnly(ctx, 'stat'),
  };
}
