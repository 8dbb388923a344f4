/** What the agent knows of a running process when judging it. */
export interface ProcessView {
  /** `/proc/<pid>/exe` link target, or null when it cannot be read (other users' processes without root, kernel threads). */
  exe: string | null;
  /** Command line arguments (`/proc/<pid>/cmdline` split on NUL). */
  argv: string[];
}

/** Why a process is notable, with severity and MITRE technique (when one fits). */
export interface Suspicion {
  reason: 'deleted_executable' | 'memfd_executable' | 'runs_from_temp' | 'script_from_temp';
  severity: 'medium' | 'high';
  mitre?: string;
  /** The path that made it notable. */
  path: string;
}

/** World-writable directories attackers drop payloads into. */
export const TEMP_DIRS = ['/tmp/', '/var/tmp/', '/dev/shm/'];
const inTemp = (p: string) => TEMP_DIRS.some((d) => p.startsWith(d));

const SHELLS = new Set(['sh', 'bash', 'dash', 'zsh', 'ksh', 'ash', 'busybox']);
const PYTHONS = /^python[0-9.]*$/;
const OTHER_INTERPRETERS = new Set(['perl', 'ruby', 'php', 'node', 'lua']);

function base(p: string): string {
  return p.slice(p.lastIndexOf('/') + 1);
}

/**
 * Judges one process:
 * - executable deleted after start (`… (deleted)`) → high, T1070.004 (file deletion: a dropper
 *   removing itself); an anonymous in-memory executable (`/memfd:…`) → high, T1620 (reflective
 *   code loading);
 * - executable under /tmp, /var/tmp or /dev/shm → medium (high under /dev/shm, a RAM-only
 *   location), no technique of its own;
 * - a shell, Python or other interpreter running a script from those directories → medium,
 *   T1059.004 (Unix shell), T1059.006 (Python) or T1059.
 * Returns null for ordinary processes. Package upgrades also leave `(deleted)` binaries until the
 * service restarts; the server's suppressions handle such known noise.
 */
export function classifyProcess(p: ProcessView): Suspicion | null {
  const exe = p.exe ?? p.argv[0] ?? '';
  if (p.exe?.startsWith('/memfd:')) return { reason: 'memfd_executable', severity: 'high', mitre: 'T1620', path: p.exe };
  if (p.exe?.endsWith(' (deleted)')) return { reason: 'deleted_executable', severity: 'high', mitre: 'T1070.004', path: p.exe.slice(0, -' (deleted)'.length) };
  if (exe.startsWith('/') && inTemp(exe)) return { reason: 'runs_from_temp', severity: exe.startsWith('/dev/shm/') ? 'high' : 'medium', path: exe };
  const name = base(exe);
  const script = p.argv.slice(1).find((a) => !a.startsWith('-'));
  if (script && script.startsWith('/') && inTemp(script)) {
    if (SHELLS.has(name)) return { reason: 'script_from_temp', severity: 'medium', mitre: 'T1059.004', path: script };
    if (PYTHONS.test(name)) return { reason: 'script_from_temp', severity: 'medium', mitre: 'T1059.006', path: script };
    if (OTHER_INTERPRETERS.has(name)) return { reason: 'script_from_temp', severity: 'medium', mitre: 'T1059', path: script };
  }
  return null;
}
