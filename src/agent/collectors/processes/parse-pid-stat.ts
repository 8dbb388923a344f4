/** The fields of /proc/<pid>/stat the agent uses. */
export interface PidStat {
  pid: number;
  /** Executable name (at most 15 bytes, may contain spaces and parentheses). */
  comm: string;
  /** One-letter state: R running, S sleeping, D disk wait, Z zombie, T stopped, I idle, … */
  state: string;
  /** User + system CPU time in clock ticks. */
  cpuTicks: number;
  /** Start time after boot in clock ticks; with the pid it identifies a process across pid reuse. */
  startTime: number;
  /** Resident set size in pages. */
  rssPages: number;
  /** A kernel thread (PF_KTHREAD in the flags field): no executable, no command line. */
  kernelThread: boolean;
}

/** PF_KTHREAD of include/linux/sched.h, in the `flags` field of /proc/<pid>/stat. */
const PF_KTHREAD = 0x00200000;

/**
 * Parses /proc/<pid>/stat. The command name sits in parentheses and may itself contain spaces
 * and ")", so the fields are split after the last ")". Returns null for malformed text.
 */
export function parsePidStat(text: string): PidStat | null {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < open) return null;
  const pid = Number(text.slice(0, open));
  const f = text.slice(close + 2).split(' ');
  const utime = Number(f[11]);
  const stime = Number(f[12]);
  const startTime = Number(f[19]);
  const rssPages = Number(f[21]);
  const flags = Number(f[6]);
  if (!Number.isInteger(pid) || ![utime, stime, startTime, rssPages].every(Number.isFinite)) return null;
  const kernelThread = Number.isSafeInteger(flags) && (flags & PF_KTHREAD) !== 0;
  return { pid, comm: text.slice(open + 1, close), state: f[0] ?? '?', cpuTicks: utime + stime, startTime, rssPages: Math.max(0, rssPages), kernelThread };
}

/** The real user id from /proc/<pid>/status (`Uid:` line, first column), or null. */
export function parseStatusUid(text: string): number | null {
  const m = /^Uid:\s+(\d+)/m.exec(text);
  return m ? Number(m[1]) : null;
}

/** uid → user name from /etc/passwd text; malformed lines are skipped. */
export function parsePasswd(text: string): Map<number, string> {
  const out = new Map<number, string>();
  for (const line of text.split('\n')) {
    const f = line.split(':');
    if (f.length < 3 || f[0] === '' || !/^\d+$/.test(f[2] as string)) continue;
    const uid = Number(f[2]);
    if (!out.has(uid)) out.set(uid, f[0] as string);
  }
  return out;
}
