/** CPU time per mode in clock ticks (USER_HZ), as in one `cpu` line of /proc/stat. */
export interface CpuTimes {
  user: number;
  nice: number;
  system: number;
  idle: number;
  iowait: number;
  irq: number;
  softirq: number;
  steal: number;
}

/** The parts of /proc/stat the agent uses. */
export interface ProcStat {
  /** Key `total` for the aggregate line, `0`…`N-1` for cores. */
  cpus: Map<string, CpuTimes>;
  /** Boot time in seconds since the epoch (`btime`), null when absent. */
  bootTimeSec: number | null;
  procsRunning: number | null;
  procsBlocked: number | null;
}

const FIELDS = ['user', 'nice', 'system', 'idle', 'iowait', 'irq', 'softirq', 'steal'] as const;

/**
 * Parses /proc/stat. Missing trailing columns (old kernels) read as 0; `guest` columns are
 * ignored because the kernel already counts guest time in `user`. Malformed lines are skipped.
 */
export function parseProcStat(text: string): ProcStat {
  const out: ProcStat = { cpus: new Map(), bootTimeSec: null, procsRunning: null, procsBlocked: null };
  for (const line of text.split('\n')) {
    // Only these lines are split: the others (intr, softirq) hold thousands of numbers on big hosts.
    const c = line.charCodeAt(0);
    if (c !== 99 /* c */ && c !== 98 /* b */ && c !== 112 /* p */ && c !== 32 /* space */) continue;
    const parts = line.trim().split(/\s+/);
    const key = parts[0] ?? '';
    if (key.startsWith('cpu')) {
      const id = key === 'cpu' ? 'total' : key.slice(3);
      if (id !== 'total' && !/^\d+$/.test(id)) continue;
      const times = cpuTimes(parts);
      if (times) out.cpus.set(id, times);
    } else if (key === 'btime') out.bootTimeSec = numberOrNull(parts[1]);
    else if (key === 'procs_running') out.procsRunning = numberOrNull(parts[1]);
    else if (key === 'procs_blocked') out.procsBlocked = numberOrNull(parts[1]);
  }
  return out;
}

/** The times of one `cpu` line split into words, or null when a column is not a count. */
function cpuTimes(parts: string[]): CpuTimes | null {
  const times = {} as CpuTimes;
  for (let i = 0; i < FIELDS.length; i++) {
    const v = Number(parts[i + 1] ?? 0);
    if (!Number.isFinite(v) || v < 0) return null;
    times[FIELDS[i] as keyof CpuTimes] = v;
  }
  return times;
}

function numberOrNull(text: string | undefined): number | null {
  const v = Number(text);
  return text !== undefined && Number.isFinite(v) ? v : null;
}
