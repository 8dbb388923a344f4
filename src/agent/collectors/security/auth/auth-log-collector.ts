import { accessSync, constants, existsSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import type { Collector, CollectorContext, CollectorFactory, CollectResult } from '../../../collector.js';
import { authEvents } from './auth-events.js';
import { JournalSource } from './journal-source.js';
import { LogTail } from './log-tail.js';
import { parseAuthLine } from './parse-auth-line.js';

/** Name of the collector (and `source` of its events). */
export const AUTH_LOG_COLLECTOR = 'auth-log';

/** Wait before a journalctl that exited is started again, in ms. */
export const JOURNAL_RESTART_MS = 5_000;

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

interface LineSource {
  /** Lines since the previous call; `now` in ms. */
  read(now: number): string[];
  commit(): void;
  close?(): void;
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

  constructor(private readonly opts: AuthLogOptions) {}

  init(ctx: CollectorContext): void {
    const r = resolveAuthSource(ctx, this.opts);
    if (r.kind === 'none') throw new Error(r.reason);
    const statePath = join(ctx.stateDir, r.kind === 'file' ? 'position.json' : 'journal.json');
    if (r.kind === 'file') {
      const tail = new LogTail({ path: r.path, statePath, startAt: this.opts.startAt });
      // Establish the starting position now, so lines written before the first tick are read.
      tail.establish();
      this.source = tail;
    } else {
      const journal = new JournalSource({ bin: r.bin, statePath, startAt: this.opts.startAt, restartDelayMs: JOURNAL_RESTART_MS }, Date.now());
      // Follow the journal from now on, for the same reason.
      journal.start(Date.now());
      this.source = journal;
    }
    ctx.log.info('reading authentication events', { source: r.kind === 'file' ? r.path : `journal (${r.bin})` });
  }

  collect(now: number): CollectResult {
    const src = this.source as LineSource;
    // The previous tick's events are in the spool by now: its position may be saved.
    src.commit();
    const events = [];
    for (const line of src.read(now)) {
      const f = parseAuthLine(line, now);
      if (f) events.push(...authEvents(f, this.name, now));
    }
    return { series: [], events };
  }

  close(): void {
    this.source?.commit();
    this.source?.close?.();
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
