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

interface Reading {
  pid: number;
  comm: string;
  state: string;
  cpuPercent: number;
  rssBytes: number;
}

/**
 * Process counts and the top processes by CPU and memory. Every tick reads /proc/<pid>/stat of
 * each process (one small file); user and command line are read only for the few processes that
 * make the top lists. CPU % needs two readings, so the first tick reports counts only.
 */
export class ProcessesCollector implements Collector {
  readonly name = 'processes';
  private readonly reader = new ProcReader();
  private ctx: CollectorContext | null = null;
  /** `pid:starttime` → CPU ticks at the previous reading (a reused pid starts over). */
  private prevTicks = new Map<string, number>();
  private prevAt: number | null = null;
  private users = new Map<number, string>();
  private passwdReadAt = -Infinity;

  init(ctx: CollectorContext): void {
    this.ctx = ctx;
  }

  collect(now: number): CollectResult {
    const ctx = this.ctx as CollectorContext;
    const stat = parseProcStat(this.reader.read(join(ctx.procRoot, 'stat')));
    const dtSec = this.prevAt === null ? 0 : (now - this.prevAt) / 1000;
    const ticks = new Map<string, number>();
    const readings: Reading[] = [];
    for (const name of readdirSync(ctx.procRoot)) {
      if (!/^\d+$/.test(name)) continue;
      const text = this.reader.tryRead(join(ctx.procRoot, name, 'stat'));
      const s = text === null ? null : parsePidStat(text);
      if (!s) continue;
      const key = `${s.pid}:${s.startTime}`;
      ticks.set(key, s.cpuTicks);
      const prev = this.prevTicks.get(key);
      const cpuPercent = prev === undefined || dtSec <= 0 ? 0 : (Math.max(0, s.cpuTicks - prev) * 100) / ctx.clockTicks / dtSec;
      readings.push({ pid: s.pid, comm: s.comm, state: s.state, cpuPercent, rssBytes: s.rssPages * ctx.pageSize });
    }
    const firstTick = this.prevAt === null || dtSec <= 0;
    this.prevTicks = ticks;
    this.prevAt = now;

    const series = [point('processes_total', readings.length, now)];
    if (stat.procsRunning !== null) series.push(point('processes_running', stat.procsRunning, now));
    if (stat.procsBlocked !== null) series.push(point('processes_blocked', stat.procsBlocked, now));
    if (firstTick || ctx.topProcesses <= 0) return { series };

    const memTotal = parseMeminfo(this.reader.read(join(ctx.procRoot, 'meminfo'))).get('MemTotal') ?? 0;
    const processes = selectTopProcesses(readings, ctx.topProcesses).map((r) => this.describe(r, memTotal, now));
    return { series, processes };
  }

  private describe(r: Reading, memTotal: number, now: number): ProcessInfo {
    const ctx = this.ctx as CollectorContext;
    const info: ProcessInfo = { pid: r.pid, name: r.comm, state: r.state, cpuPercent: round2(r.cpuPercent), memoryBytes: r.rssBytes };
    if (memTotal > 0) info.memoryPercent = round2((r.rssBytes * 100) / memTotal);
    const status = this.reader.tryRead(join(ctx.procRoot, String(r.pid), 'status'));
    const uid = status === null ? null : parseStatusUid(status);
    if (uid !== null) info.user = this.userName(uid, now);
    const cmdline = this.reader.tryRead(join(ctx.procRoot, String(r.pid), 'cmdline'));
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

/** Factory of the `processes` collector (Linux). */
export const processesCollectorFactory: CollectorFactory = {
  name: 'processes',
  description: 'Process counts and the top processes by CPU and memory (/proc/<pid>/stat)',
  create: () => new ProcessesCollector(),
  unavailableReason: (ctx) => linuxOnly(ctx, 'stat'),
};
