import { execFile } from 'node:child_process';
import { isRecord, readStateFile, writeStateFile } from '../state-file.js';

/** Options of {@link JournalSource}. */
export interface JournalSourceOptions {
  /** The journalctl program. */
  bin: string;
  /** Where the journal cursor is persisted (JSON). */
  statePath: string;
  /** Without a saved cursor: start now (default) or at the oldest entry. */
  startAt?: 'end' | 'beginning';
  /** Limit of one journalctl run, in ms; default 10 s. */
  timeoutMs?: number;
  /** Output bytes of one run at most; default 16 MiB (beyond it the run fails and is retried next tick). */
  maxBytes?: number;
}

interface JournalState {
  cursor: string;
}

function isState(v: unknown): v is JournalState {
  return isRecord(v) && typeof v.cursor === 'string' && v.cursor.length > 0 && v.cursor.length < 1000;
}

/**
 * Reads sshd and sudo messages from the systemd journal (hosts without a text auth log), as
 * syslog-style lines for the same parser. Position = the journal cursor of the last entry read,
 * persisted on {@link commit} like a file offset.
 */
export class JournalSource {
  private cursor: string | null;
  private pending: string | null = null;
  private readonly since: string | null;

  constructor(private readonly opts: JournalSourceOptions, startedAt: number) {
    this.cursor = readStateFile(opts.statePath, isState)?.cursor ?? null;
    this.since = this.cursor || opts.startAt === 'beginning' ? null : `@${Math.floor(startedAt / 1000)}`;
  }

  /** Lines (`<RFC 3339> <host> <ident>[<pid>]: <message>`) of entries after the cursor. */
  async read(): Promise<string[]> {
    const args = ['--output=json', '--no-pager', '--quiet', '_COMM=sshd', '_COMM=sshd-session', '_COMM=sudo'];
    const after = this.pending ?? this.cursor;
    if (after) args.push(`--after-cursor=${after}`);
    else if (this.since) args.push(`--since=${this.since}`);
    const out = await new Promise<string>((resolve, reject) => {
      execFile(this.opts.bin, args, { timeout: this.opts.timeoutMs ?? 10_000, maxBuffer: this.opts.maxBytes ?? 16 * 1024 * 1024, encoding: 'utf8' }, (err, stdout) => (err ? reject(err) : resolve(stdout)));
    });
    const lines: string[] = [];
    for (const text of out.split('\n')) {
      const entry = parseEntry(text);
      if (!entry) continue;
      this.pending = entry.cursor;
      if (entry.line) lines.push(entry.line);
    }
    return lines;
  }

  /** Persists the cursor of the entries handed out so far. */
  commit(): void {
    if (!this.pending || this.pending === this.cursor) return;
    writeStateFile(this.opts.statePath, { cursor: this.pending });
    this.cursor = this.pending;
  }
}

/** One `journalctl --output=json` line → its cursor and a syslog-style line (null when it is not an entry). */
export function parseEntry(text: string): { cursor: string; line: string | null } | null {
  let e: unknown;
  try {
    e = JSON.parse(text);
  } catch {
    return null;
  }
  if (!isRecord(e) || typeof e.__CURSOR !== 'string') return null;
  const message = journalText(e.MESSAGE);
  const us = Number(e.__REALTIME_TIMESTAMP);
  if (message === null || !Number.isFinite(us)) return { cursor: e.__CURSOR, line: null };
  const ident = journalText(e.SYSLOG_IDENTIFIER) ?? journalText(e._COMM) ?? 'unknown';
  const pid = journalText(e.SYSLOG_PID) ?? journalText(e._PID);
  const host = journalText(e._HOSTNAME) ?? '-';
  const iso = new Date(Math.floor(us / 1000)).toISOString();
  return { cursor: e.__CURSOR, line: `${iso} ${host} ${ident}${pid && /^\d+$/.test(pid) ? `[${pid}]` : ''}: ${message.replace(/\n/g, ' ')}` };
}

/** Journal fields are strings, or byte arrays for non-UTF-8 data. */
function journalText(v: unknown): string | null {
  if (typeof v === 'string') return v;
  if (Array.isArray(v) && v.every((b) => Number.isInteger(b) && b >= 0 && b < 256)) return Buffer.from(v as number[]).toString('utf8');
  return null;
}
