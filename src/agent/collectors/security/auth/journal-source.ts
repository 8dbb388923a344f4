import { spawn, type ChildProcess } from 'node:child_process';
import { isRecord, readStateFile, writeStateFile } from '../state-file.js';

/** Options of {@link JournalSource}. */
export interface JournalSourceOptions {
  /** The journalctl program. */
  bin: string;
  /** Where the journal cursor is persisted (JSON). */
  statePath: string;
  /** Without a saved cursor: start now (default) or at the oldest entry. */
  startAt?: 'end' | 'beginning';
  /** Wait before journalctl is started again after it exited, in ms; default 5 s. */
  restartDelayMs?: number;
  /** Lines queued at most between two reads; beyond it journalctl's output is paused (it waits, nothing is lost); default 10,000. */
  maxQueuedLines?: number;
}

interface JournalState {
  cursor: string;
}

function isState(v: unknown): v is JournalState {
  return isRecord(v) && typeof v.cursor === 'string' && v.cursor.length > 0 && v.cursor.length < 1000;
}

/** Longest journalctl output line kept, in characters (a longer entry is skipped). */
const MAX_LINE_CHARS = 1024 * 1024;
/** Last characters of journalctl's stderr kept for the error message. */
const STDERR_TAIL_CHARS = 512;

/**
 * Reads sshd and sudo messages from the systemd journal (hosts without a text auth log), as
 * syslog-style lines for the same parser. One `journalctl --follow` runs for the life of the
 * collector and its entries are queued as they arrive; a spawn per poll cost the agent several
 * ms of CPU each (fork of a process with a large address space), about 0.4 % of a core at one
 * poll per 5 s. Position = the journal cursor of the last entry handed out, persisted on
 * {@link commit} like a file offset; when journalctl exits it is started again after
 * `restartDelayMs` from the last entry received, so nothing is read twice or skipped.
 */
export class JournalSource {
  private cursor: string | null;
  /** Cursor of the last entry handed out by {@link read}. */
  private pending: string | null = null;
  /** Cursor of the last entry received from journalctl (queued or handed out). */
  private received: string | null = null;
  private readonly since: string | null;
  private child: ChildProcess | null = null;
  private partial = '';
  private queue: string[] = [];
  private paused = false;
  private stderrTail = '';
  private failure: Error | null = null;
  private restartAt = -Infinity;
  private exitedSinceStart = false;
  private closed = false;

  constructor(private readonly opts: JournalSourceOptions, startedAt: number) {
    this.cursor = readStateFile(opts.statePath, isState)?.cursor ?? null;
    this.since = this.cursor || opts.startAt === 'beginning' ? null : `@${Math.floor(startedAt / 1000)}`;
  }

  /** True while journalctl runs. */
  get running(): boolean {
    return this.child !== null;
  }

  /** Arguments of the next journalctl run: after the last entry received, else the start position. */
  args(): string[] {
    const args = ['--follow', '--lines=all', '--output=json', '--no-pager', '--quiet', '_COMM=sshd', '_COMM=sshd-session', '_COMM=sudo'];
    const after = this.received ?? this.cursor;
    if (after) args.push(`--after-cursor=${after}`);
    else if (this.since) args.push(`--since=${this.since}`);
    return args;
  }

  /** Starts journalctl unless it runs or is waiting `restartDelayMs` after an exit; `now` in ms. */
  start(now: number): void {
    if (this.exitedSinceStart) {
      // The delay counts from the first call after the exit (callers pass their own clock).
      this.exitedSinceStart = false;
      this.restartAt = now + (this.opts.restartDelayMs ?? 5_000);
    }
    if (this.child || this.closed || now < this.restartAt) return;
    this.stderrTail = '';
    const child = spawn(this.opts.bin, this.args(), { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    child.stdout?.setEncoding('utf8');
    child.stdout?.on('data', (chunk: string) => this.onData(chunk));
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      this.stderrTail = (this.stderrTail + chunk).slice(-STDERR_TAIL_CHARS);
    });
    child.on('error', (err) => this.onExit(child, err));
    child.on('close', (code, signal) => this.onExit(child, code === 0 ? null : new Error(`journalctl exited (${signal ?? `code ${code}`}): ${this.stderrTail.trim()}`)));
  }

  /**
   * Lines (`<RFC 3339> <host> <ident>[<pid>]: <message>`) of the entries received since the last
   * call; (re)starts journalctl when needed. Throws once when journalctl failed (after the lines
   * it delivered were handed out); it is started again `restartDelayMs` after it exited.
   */
  read(now: number): string[] {
    this.start(now);
    const lines = this.queue;
    this.queue = [];
    this.pending = this.received;
    if (this.paused) {
      this.paused = false;
      this.child?.stdout?.resume();
    }
    if (lines.length === 0 && this.failure) {
      const err = this.failure;
      this.failure = null;
      throw err;
    }
    return lines;
  }

  /** Persists the cursor of the entries handed out so far. */
  commit(): void {
    if (!this.pending || this.pending === this.cursor) return;
    writeStateFile(this.opts.statePath, { cursor: this.pending });
    this.cursor = this.pending;
  }

  /** Stops journalctl. */
  close(): void {
    this.closed = true;
    this.child?.kill('SIGTERM');
    this.child = null;
  }

  private onData(chunk: string): void {
    const parts = (this.partial + chunk).split('\n');
    this.partial = parts.pop() as string;
    if (this.partial.length > MAX_LINE_CHARS) this.partial = '';
    for (const text of parts) {
      const entry = parseEntry(text);
      if (!entry) continue;
      this.received = entry.cursor;
      if (entry.line) this.queue.push(entry.line);
    }
    if (this.queue.length >= (this.opts.maxQueuedLines ?? 10_000) && !this.paused) {
      this.paused = true;
      this.child?.stdout?.pause();
    }
  }

  private onExit(child: ChildProcess, err: Error | null): void {
    if (this.child !== child) return;
    this.child = null;
    this.partial = '';
    this.paused = false;
    // A follower never ends by itself: even a clean exit is restarted, after the delay.
    this.exitedSinceStart = true;
    if (err && !this.closed) this.failure = err;
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
