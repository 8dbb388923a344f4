import { accessSync, constants, existsSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import type { Collector, CollectorContext, CollectorFactory, CollectResult } from '../../../collector.js';
import { collectDeadlineMs } from '../../../collect-deadline.js';
import { authEvents } from './auth-events.js';
import { JournalSource } from './journal-source.js';
import { LogTail } from './log-tail.js';
import { parseAuthLine } from './parse-auth-line.js';

/** Name of the collector (and `source` of its events). */
export const AUTH_LOG_COLLECTOR = 'auth-log';

/** Least time between two journalctl runs, in ms (a file is read every tick: a stat and a read). */
export const JOURNAL_POLL_MS = 5_000;

/** Options of the auth-log collector. */
export interface AuthLogOptions {
  /**
   * `auto` (default): `/var/log/auth.log`, else `/var/log/secure` (under `--root-fs`), else the
   * systemd journal; `journal`: the journal only; anything else: that file.
   */
  source: string;
  /** Where reading starts the very first time (no saved position): `end` (default) or `beginning`. */
  startAt: 'end' | 'beginning';
  /** journalctl program; default the first of /usr/bin/journalctl, /bin/journalctl. */
  journalctl?: string;
}

type Resolved = { kind: 'file'; path: string } | { kind: 'journal'; bin: string } | { kind: 'none'; reason: string };

function readable(path: string): boolean {
  try {
    accessSync(path, constants.R_OK);
    return true;
  } catch {
    return false;
  }
}

/** Which source the options mean on this host, or why there is none. */
export function resolveAuthSource(ctx: CollectorContext, opts: AuthLogOptions): Resolved {
  if (ctx.platform !== 'linux') return { kind: 'none', reason: `needs Linux (this host runs ${ctx.platform})` };
  const journal = (): Resolved => {
    // journalctl reads this system's journal: under another --root-fs (a container watching its
    // host) it would read the wrong one, so only an explicit --auth-log journal uses it there.
    if (opts.source === 'auto' && ctx.rootFs !== '/') return { kind: 'none', reason: `no var/log/auth.log or var/log/secure under ${ctx.rootFs}` };
    const bin = opts.journalctl ?? ['/usr/bin/journalctl', '/bin/journalctl'].find((p) => existsSync(p));
    return bin ? { kind: 'journal', bin } : { kind: 'none', reason: 'no /var/log/auth.log or /var/log/secure and no journalctl' };
  };
  if (opts.source === 'journal') return journal();
  const candidates = opts.source === 'auto' ? ['var/log/auth.log', 'var/log/secure'].map((p) => join(ctx.rootFs, p)) : [isAbsolute(opts.source) ? opts.source : join(process.cwd(), opts.source)];
  const present = candidates.filter((p) => existsSync(p));
  const ok = present.find(readable);
  if (ok) return { kind: 'file', path: ok };
  if (present.length > 0) return { kind: 'none', reason: `${present[0]} is not readable (run the agent as root or in group adm)` };
  if (opts.source !== 'auto') return { kind: 'none', reason: `${candidates[0]} does not exist` };
  return journal();
}

/**
 * journalctl must answer within the tick: a result the agent discards as late would have moved
 * the cursor past its events. A run that times out fails the collect and moves nothing.
 */
function journalTimeout(intervalMs: number): number {
  return Math.max(200, Math.min(10_000, collectDeadlineMs(intervalMs) - 200));
}

interface LineSource {
  read(): string[] | Promise<string[]>;
  commit(): void;
}

/**
 * Authentication events from the system auth log: sshd failures, invalid users and accepted
 * logins, sudo failures (see `auth-events.ts` for types, severities and MITRE ids). Lines are
 * read once each: the position is saved in the state dir after the previous tick's events were
 * spooled, so a restart neither repeats nor loses lines (a crash in between repeats one tick).
 */
class AuthLogCollector implements Collector {
  readonly name = AUTH_LOG_COLLECTOR;
  private source: LineSource | null = null;
  private lastJournalRead = -Infinity;

  constructor(private readonly opts: AuthLogOptions) {}

  init(ctx: CollectorContext): void {
    const r = resolveAuthSource(ctx, this.opts);
    if (r.kind === 'none') throw new Error(r.reason);
    const statePath = join(ctx.stateDir, r.kind === 'file' ? 'position.json' : 'journal.json');
    this.source = r.kind === 'file' ? new LogTail({ path: r.path, statePath, startAt: this.opts.startAt }) : new JournalSource({ bin: r.bin, statePath, startAt: this.opts.startAt, timeoutMs: journalTimeout(ctx.intervalMs) }, Date.now());
    // Establish the starting position now, so lines written before the first tick are read.
    if (this.source instanceof LogTail) this.source.establish();
    ctx.log.info('reading authentication events', { source: r.kind === 'file' ? r.path : `journal (${r.bin})` });
  }

  async collect(now: number): Promise<CollectResult> {
    const src = this.source as LineSource;
    // A journal read is a process spawn: at most every JOURNAL_POLL_MS, whatever the interval.
    if (src instanceof JournalSource) {
      if (now - this.lastJournalRead < JOURNAL_POLL_MS) return { series: [] };
      this.lastJournalRead = now;
    }
    // The previous tick's events are in the spool by now: its position may be saved.
    src.commit();
    const events = [];
    for (const line of await src.read()) {
      const f = parseAuthLine(line, now);
      if (f) events.push(...authEvents(f, this.name, now));
    }
    return { series: [], events };
  }

  close(): void {
    this.source?.commit();
  }
}

/** Factory of the auth-log collector. */
export function authLogCollectorFactory(opts: AuthLogOptions): CollectorFactory {
  return {
    name: AUTH_LOG_COLLECTOR,
    description: 'Security: SSH and sudo login failures/successes from auth.log, secure or the journal.',
    create: () => new AuthLogCollector(opts),
    unavailableReason: (ctx) => {
      const r = resolveAuthSource(ctx, opts);
      return r.kind === 'none' ? r.reason : null;
    },
  };
}
