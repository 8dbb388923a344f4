/**
 * Parser of authentication log lines (`/var/log/auth.log` on Debian/Ubuntu, `/var/log/secure`
 * on RHEL, or journal messages of sshd and sudo). Pure and total: any string in, a list of
 * findings out (usually empty), never a throw.
 */

/** What one authentication line says. */
export interface AuthFinding {
  kind: 'ssh_failed' | 'ssh_invalid_user' | 'ssh_accepted' | 'sudo_auth_failure' | 'sudo_incorrect_password' | 'sudo_not_allowed';
  /** When the line was written, ms since the epoch (null when the line has no readable time). */
  ts: number | null;
  /** Account the attempt was for. */
  user: string | null;
  /** Remote address (sshd). */
  srcIp: string | null;
  /** Remote port (sshd). */
  port: number | null;
  /** `password`, `publickey`, `keyboard-interactive/pam` … (sshd), `sudo` for sudo lines. */
  method: string | null;
  /** Program that wrote the line (`sshd`, `sudo`). */
  program: string;
  pid: number | null;
  host: string | null;
  /** Identical attempts this line stands for (syslog "message repeated N times"). */
  count: number;
  /** sshd said the account does not exist (`Failed … for invalid user …`). */
  invalidUser?: boolean;
  /** Failed password attempts reported by sudo's summary line. */
  attempts?: number;
  /** Account whose password sudo asked for, and the command (sudo lines). */
  invoker?: string;
  command?: string;
}

const MONTHS: Record<string, number> = { Jan: 0, Feb: 1, Mar: 2, Apr: 3, May: 4, Jun: 5, Jul: 6, Aug: 7, Sep: 8, Oct: 9, Nov: 10, Dec: 11 };
/** Longest line looked at; longer ones are not log lines we know (and regexes stay cheap). */
const MAX_LINE = 4096;
/** Cap of "message repeated N times" (a damaged count must not produce millions of events). */
const MAX_REPEAT = 100;

const RFC3339_HEADER = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:\d{2})) (\S+) ([^\s[:]+)(?:\[(\d{1,10})\])?: (.*)$/;
const BSD_HEADER = /^([A-Z][a-z]{2}) {1,2}(\d{1,2}) (\d{2}):(\d{2}):(\d{2}) (\S+) ([^\s[:]+)(?:\[(\d{1,10})\])?: (.*)$/;
const REPEATED = /^message repeated (\d{1,9}) times: \[ ?(.*?) ?\]$/;
const SSH_FAILED = /^Failed (\S+) for (invalid user )?(.*?) from (\S+) port (\d{1,5})(?: ssh\d?)?/;
const SSH_ACCEPTED = /^Accepted (\S+) for (.*?) from (\S+) port (\d{1,5})(?: ssh\d?)?/;
const SSH_INVALID = /^Invalid user (.*?) from (\S+)(?: port (\d{1,5}))?\s*$/;
const PAM_SUDO_FAIL = /^pam_unix\(sudo(?:-i)?:auth\): authentication failure;(.*)$/;
const SUDO_LINE = /^\s*(\S+) : (?:(\d{1,4}) incorrect password attempts?|(user NOT in sudoers|user NOT authorized on host|command not allowed)) ; (.*)$/;

/** Time of the syslog header, or null. `now` picks the year of BSD-style stamps (which have none). */
function parseHeader(line: string, now: number): { ts: number | null; host: string; program: string; pid: number | null; message: string } | null {
  const r = RFC3339_HEADER.exec(line);
  if (r) {
    const t = Date.parse(r[1] as string);
    return { ts: Number.isFinite(t) ? t : null, host: r[2] as string, program: r[3] as string, pid: r[4] ? Number(r[4]) : null, message: r[5] as string };
  }
  const b = BSD_HEADER.exec(line);
  if (!b) return null;
  const month = MONTHS[b[1] as string];
  return { ts: month === undefined ? null : bsdTime(month, b, now), host: b[6] as string, program: b[7] as string, pid: b[8] ? Number(b[8]) : null, message: b[9] as string };
}

/** BSD syslog stamps are local time without a year: take `now`'s year, or the previous one when that lands more than a day ahead (a December line read in January). */
function bsdTime(month: number, b: RegExpExecArray, now: number): number | null {
  const year = new Date(now).getFullYear();
  const at = (y: number) => new Date(y, month, Number(b[2]), Number(b[3]), Number(b[4]), Number(b[5])).getTime();
  const t = at(year);
  if (!Number.isFinite(t)) return null;
  return t > now + 86_400_000 ? at(year - 1) : t;
}

function validIp(s: string): string | null {
  return /^[0-9a-fA-F.:%a-zA-Z-]{2,64}$/.test(s) ? s : null;
}

function port(s: string | undefined): number | null {
  if (s === undefined) return null;
  const n = Number(s);
  return n >= 0 && n <= 65535 ? n : null;
}

/** Fields of `key=value` lists (pam_unix: `logname=alice uid=1000 … rhost=  user=alice`). */
function kv(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of text.matchAll(/(\w+)=(\S*)/g)) out[m[1] as string] = m[2] as string;
  return out;
}

function sshFinding(program: string, message: string): Omit<AuthFinding, 'ts' | 'pid' | 'host' | 'count' | 'program'> | null {
  if (!/^sshd(-session)?$/.test(program)) return null;
  const f = SSH_FAILED.exec(message);
  if (f) return { kind: 'ssh_failed', method: f[1] as string, user: (f[3] as string).slice(0, 128), srcIp: validIp(f[4] as string), port: port(f[5]), ...(f[2] ? { invalidUser: true } : {}) };
  const a = SSH_ACCEPTED.exec(message);
  if (a) return { kind: 'ssh_accepted', method: a[1] as string, user: (a[2] as string).slice(0, 128), srcIp: validIp(a[3] as string), port: port(a[4]) };
  const i = SSH_INVALID.exec(message);
  if (i) return { kind: 'ssh_invalid_user', method: null, user: (i[1] as string).slice(0, 128), srcIp: validIp(i[2] as string), port: port(i[3]) };
  return null;
}

function sudoFinding(program: string, message: string): Omit<AuthFinding, 'ts' | 'pid' | 'host' | 'count' | 'program'> | null {
  const pam = PAM_SUDO_FAIL.exec(message);
  if (pam) {
    const f = kv(pam[1] as string);
    return { kind: 'sudo_auth_failure', method: 'sudo', user: f.user || f.ruser || f.logname || null, srcIp: f.rhost || null, port: null, ...(f.logname ? { invoker: f.logname } : {}) };
  }
  if (program !== 'sudo') return null;
  const s = SUDO_LINE.exec(message);
  if (!s) return null;
  const f: Record<string, string> = {};
  for (const part of (s[4] as string).split(' ; ')) {
    const eq = part.indexOf('=');
    if (eq > 0) f[part.slice(0, eq).trim()] = part.slice(eq + 1);
  }
  const base = { method: 'sudo', user: f.USER ?? null, srcIp: null, port: null, invoker: s[1] as string, ...(f.COMMAND ? { command: f.COMMAND.slice(0, 512) } : {}) };
  if (s[2]) return { kind: 'sudo_incorrect_password', ...base, attempts: Number(s[2]) };
  return { kind: 'sudo_not_allowed', ...base };
}

/**
 * Findings of one log line: sshd `Failed <method> for [invalid user] U from IP port P`,
 * `Accepted <method> for U from IP port P`, `Invalid user U from IP [port P]`; sudo's
 * `pam_unix(sudo:auth): authentication failure`, `N incorrect password attempts` and
 * `user NOT in sudoers`. A syslog `message repeated N times: [ … ]` line yields the inner finding
 * with `count` N. Anything else (other programs, unknown messages, garbage) yields null.
 */
export function parseAuthLine(raw: string, now: number): AuthFinding | null {
  if (typeof raw !== 'string' || raw.length === 0 || raw.length > MAX_LINE) return null;
  const h = parseHeader(raw.replace(/\r$/, ''), now);
  if (!h) return null;
  let message = h.message;
  let count = 1;
  const rep = REPEATED.exec(message);
  if (rep) {
    count = Math.min(MAX_REPEAT, Math.max(1, Number(rep[1])));
    message = rep[2] as string;
  }
  const f = sshFinding(h.program, message) ?? sudoFinding(h.program, message);
  if (!f) return null;
  return { ...f, ts: h.ts, program: h.program, pid: h.pid, host: h.host, count };
}
