import { readdirSync, watch, type FSWatcher } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename, join, posix } from 'node:path';
import type { SecurityEventInput } from '../../../../protocol/security.js';
import type { Collector, CollectorContext, CollectorFactory, CollectResult } from '../../../collector.js';
import { isRecord, readStateFile, writeStateFilePieces } from '../state-file.js';
import { BaselineStore } from './baseline-store.js';
import { changedFields, recordOf, sliceUsedUp, yieldToLoop, type FileRecord } from './file-record.js';
import { FIM_COLLECTOR, fimEvent } from './fim-events.js';
import { excludeMatcher } from './path-filter.js';

/** Default watched paths (host paths, under `--root-fs`). */
export const DEFAULT_FIM_PATHS = ['/etc/passwd', '/etc/shadow', '/etc/group', '/etc/sudoers', '/etc/ssh/sshd_config', '/usr/bin', '/usr/sbin'];

/** Options of the FIM collector. */
export interface FimOptions {
  /** Files and directories to watch (directories recursively, symlinks not followed). */
  paths: string[];
  /** Paths (and what is below them) or globs to leave out. */
  exclude: string[];
  /** Time between full scans, in ms. */
  intervalMs: number;
  /** Entries recorded at most; beyond it a scan stops (and reports no removals). */
  maxFiles: number;
  /** Files larger than this are not hashed (size, mode, owner and mtime are still compared), in bytes. */
  maxFileBytes: number;
  /** Use fs.watch (inotify) for near-real-time events between scans. */
  watch: boolean;
}

/** Deepest directory level walked below a watched directory. */
const MAX_DEPTH = 16;
/** Directories watched with fs.watch at most (each costs an inotify watch). */
const MAX_WATCHED_DIRS = 64;
/** fs.watch events are gathered this long before the paths are checked, in ms. */
const WATCH_DEBOUNCE_MS = 100;

interface Baseline {
  version: 1;
  files: Record<string, FileRecord>;
}

function isBaseline(v: unknown): v is Baseline {
  return isRecord(v) && v.version === 1 && isRecord(v.files);
}

/**
 * File integrity monitoring: a baseline of the watched paths (type, SHA-256, size, mode,
 * uid/gid, mtime; symlink targets) persisted in the state dir; full scans every `intervalMs`
 * started from `collect` and run in the background (hashing /usr/bin must not hold up a tick);
 * between scans fs.watch on the watched directories (and the parents of watched files, so a file
 * replaced by rename is still seen) re-checks the touched paths within ~100 ms. Findings go out
 * through `ctx.emitEvents`. The first scan without a saved baseline records it silently; with
 * one, changes made while the agent was down are reported by the first scan.
 */
class FimCollector implements Collector {
  readonly name = FIM_COLLECTOR;
  private ctx!: CollectorContext;
  private baseline: BaselineStore | null = null;
  private statePath = '';
  private chain: Promise<void> = Promise.resolve();
  private scanning = false;
  private nextScanAt = -Infinity;
  private readonly watchers: FSWatcher[] = [];
  private readonly touched = new Set<string>();
  private debounce: NodeJS.Timeout | null = null;
  private closed = false;
  private readonly excluded: (path: string) => boolean;
  private warnedTruncated = false;

  private readonly opts: FimOptions;

  constructor(opts: FimOptions) {
    // Host paths are absolute and without a trailing slash, so prefixes and joins line up.
    const norm = (p: string) => posix.normalize(`/${p}`).replace(/(.)\/+$/, '$1');
    this.opts = { ...opts, paths: [...new Set(opts.paths.map(norm))], exclude: opts.exclude.map((p) => (p.includes('*') ? p : norm(p))) };
    this.excluded = excludeMatcher(this.opts.exclude);
  }

  async init(ctx: CollectorContext): Promise<void> {
    this.ctx = ctx;
    this.statePath = join(ctx.stateDir, 'baseline.json');
    const saved = readStateFile(this.statePath, isBaseline);
    if (saved) this.baseline = BaselineStore.fromObject(saved.files);
    if (this.opts.watch) await this.startWatching();
  }

  collect(now: number): CollectResult {
    if (!this.scanning && now >= this.nextScanAt) {
      this.nextScanAt = now + this.opts.intervalMs;
      this.scanning = true;
      void this.enqueue(() => this.fullScan(now)).finally(() => {
        this.scanning = false;
      });
    }
    return this.baseline ? { series: [{ metric: 'security_fim_files', points: [[now, this.baseline.size]] }] } : { series: [] };
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.debounce) clearTimeout(this.debounce);
    for (const w of this.watchers) w.close();
    await this.chain;
  }

  /** Runs `fn` after the work before it (scans and checks never interleave on the baseline). */
  private enqueue(fn: () => Promise<void>): Promise<void> {
    const run = this.chain.then(() => (this.closed ? undefined : fn()));
    this.chain = run.catch((err: unknown) => this.ctx.log.warn('file integrity check failed', { error: err }));
    return this.chain;
  }

  private real(hostPath: string): string {
    return join(this.ctx.rootFs, hostPath);
  }

  private async fullScan(now: number): Promise<void> {
    const seen = new BaselineStore();
    let truncated = false;
    const walk = async (path: string, depth: number): Promise<void> => {
      if (this.closed || this.excluded(path)) return;
      if (seen.size >= this.opts.maxFiles) {
        truncated = true;
        return;
      }
      // The walk is synchronous work in time slices: no promise per lstat or readdir (their garbage
      // grew V8's young generation during the baseline), and the agent's ticks still run on time.
      if (sliceUsedUp()) await yieldToLoop();
      const rec = await recordOf(this.real(path), this.baseline?.get(path), this.opts.maxFileBytes);
      if (!rec) return;
      seen.set(path, rec);
      if (rec.type !== 'dir' || depth >= MAX_DEPTH) return;
      let names: string[];
      try {
        names = readdirSync(this.real(path)).sort();
      } catch {
        return;
      }
      for (const n of names) await walk(posix.join(path, n), depth + 1);
    };
    for (const p of this.opts.paths) await walk(p, 0);
    if (this.closed) return;
    if (truncated && !this.warnedTruncated) {
      this.warnedTruncated = true;
      this.ctx.log.warn('file integrity: more files than --fim-max-files; the rest is not watched and removals are not reported', { maxFiles: this.opts.maxFiles });
    }
    if (this.baseline === null) {
      this.baseline = seen;
      this.save();
      const unreadable: string[] = [];
      for (const [p, r] of seen.entries()) if (r.hashSkipped === 'unreadable' && unreadable.length < 20) unreadable.push(p);
      this.ctx.log.info('file integrity baseline recorded', { files: seen.size, unreadable });
      return;
    }
    const events: SecurityEventInput[] = [];
    for (const [p, rec] of seen.entries()) {
      const prev = this.baseline.get(p);
      if (!prev) events.push(fimEvent(p, null, rec, [], now, 'scan'));
      else {
        const changed = changedFields(prev, rec);
        if (changed.length > 0) events.push(fimEvent(p, prev, rec, changed, now, 'scan'));
      }
    }
    if (!truncated) for (const [p, prev] of this.baseline.entries()) if (!seen.has(p)) events.push(fimEvent(p, prev, null, [], now, 'scan'));
    // With a truncated walk, keep what was not visited rather than forget it.
    if (truncated) for (const [p, prev] of this.baseline.entries()) if (!seen.has(p)) seen.set(p, prev);
    this.baseline = seen;
    this.publish(events);
    this.ctx.log.debug('file integrity scan done', { files: seen.size, events: events.length });
  }

  /** Re-checks paths reported by fs.watch (the files themselves; new directories wait for the scan). */
  private async checkPaths(paths: string[]): Promise<void> {
    const baseline = this.baseline;
    if (baseline === null) return;
    const now = Date.now();
    const events: SecurityEventInput[] = [];
    for (const p of paths) {
      if (this.excluded(p) || !this.covered(p)) continue;
      const prev = baseline.get(p);
      const rec = await recordOf(this.real(p), prev, this.opts.maxFileBytes);
      if (!prev && !rec) continue;
      if (!rec) {
        baseline.delete(p);
        events.push(fimEvent(p, prev as FileRecord, null, [], now, 'watch'));
        continue;
      }
      if (!prev) {
        if (baseline.size >= this.opts.maxFiles) continue;
        baseline.set(p, rec);
        events.push(fimEvent(p, null, rec, [], now, 'watch'));
        continue;
      }
      const changed = changedFields(prev, rec);
      baseline.set(p, rec);
      if (changed.length > 0) events.push(fimEvent(p, prev, rec, changed, now, 'watch'));
    }
    this.publish(events);
  }

  /** True when `p` is one of the watched paths or below one. */
  private covered(p: string): boolean {
    return this.opts.paths.some((w) => p === w || p.startsWith(w.endsWith('/') ? w : `${w}/`));
  }

  private publish(events: SecurityEventInput[]): void {
    if (events.length === 0) return;
    // Spool first, then save: a crash in between repeats the events rather than losing them.
    this.ctx.emitEvents(events);
    this.save();
  }

  private save(): void {
    writeStateFilePieces(this.statePath, (this.baseline ?? new BaselineStore()).jsonPieces());
  }

  /** Watches watched directories themselves and the parent directories of watched files. */
  private async startWatching(): Promise<void> {
    const dirs = new Map<string, { all: boolean; names: Set<string> }>();
    for (const p of this.opts.paths) {
      let isDir = false;
      try {
        isDir = (await stat(this.real(p))).isDirectory();
      } catch {
        // Missing now: watch the parent so its creation is seen.
      }
      const dir = isDir ? p : posix.dirname(p);
      const entry = dirs.get(dir) ?? { all: false, names: new Set<string>() };
      if (isDir) entry.all = true;
      else entry.names.add(posix.basename(p));
      dirs.set(dir, entry);
    }
    for (const [dir, want] of [...dirs].slice(0, MAX_WATCHED_DIRS)) {
      try {
        const w = watch(this.real(dir), { persistent: false }, (_type, name) => this.onWatch(dir, want, name === null ? null : String(name)));
        w.on('error', (err) => {
          this.ctx.log.warn('fs.watch stopped; changes are found by the scheduled scans', { dir, error: err });
          w.close();
        });
        this.watchers.push(w);
      } catch (err) {
        this.ctx.log.warn('cannot watch a directory; changes there are found by the scheduled scans', { dir, error: err });
      }
    }
  }

  private onWatch(dir: string, want: { all: boolean; names: Set<string> }, name: string | null): void {
    if (this.closed) return;
    if (name === null) {
      // The kernel did not say what changed (queue overflow): scan everything at the next tick.
      this.nextScanAt = -Infinity;
      return;
    }
    if (!want.all && !want.names.has(basename(name))) return;
    this.touched.add(posix.join(dir, name));
    this.debounce ??= setTimeout(() => {
      this.debounce = null;
      const paths = [...this.touched];
      this.touched.clear();
      void this.enqueue(() => this.checkPaths(paths));
    }, WATCH_DEBOUNCE_MS);
  }
}

/** Factory of the FIM collector. */
export function fimCollectorFactory(opts: FimOptions): CollectorFactory {
  return {
    name: FIM_COLLECTOR,
    description: 'Security: file integrity of watched paths (SHA-256, size, mode, owner) by scans and fs.watch.',
    create: () => new FimCollector(opts),
    unavailableReason: (ctx) => {
      if (ctx.platform !== 'linux') return `needs Linux (this host runs ${ctx.platform})`;
      return opts.paths.length === 0 ? 'no paths to watch (--fim-paths is empty)' : null;
    },
  };
}
