import { closeSync, openSync, readdirSync, readSync, statSync, type Stats } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { isRecord, readStateFile, writeStateFile } from '../state-file.js';

/** Position in a log file: which file (inode) and how far it was read (bytes). */
export interface TailPosition {
  path: string;
  ino: number;
  offset: number;
}

/** Options of {@link LogTail}. */
export interface LogTailOptions {
  /** The log file (e.g. /var/log/auth.log). */
  path: string;
  /** Where the position is persisted (JSON). */
  statePath: string;
  /** Bytes read per call at most (bounds the work of one tick); default 4 MiB. */
  maxReadBytes?: number;
  /** Without a saved position: start at the end (default, history is not replayed) or at the beginning. */
  startAt?: 'end' | 'beginning';
}

function isPosition(v: unknown): v is TailPosition {
  return isRecord(v) && typeof v.path === 'string' && Number.isSafeInteger(v.ino) && Number.isSafeInteger(v.offset) && (v.offset as number) >= 0;
}

/**
 * Follows a growing log file across agent restarts and log rotation, handing out complete lines
 * once each:
 * - the position (inode, byte offset) is persisted; {@link commit} saves what was handed out,
 *   and the caller commits only after the lines' events are safely spooled (at-least-once);
 * - rotation by rename (logrotate `create`): the inode at the path changes; the rest of the old
 *   file is read from its rotated name (`<path>.1` or `<path>-<date>`) when it is there, then the
 *   new file from its start;
 * - truncation (logrotate `copytruncate`): the file is shorter than the offset; reading restarts
 *   at 0;
 * - a partial last line waits for its newline; a line longer than `maxReadBytes` is skipped.
 */
export class LogTail {
  private pos: TailPosition | null;
  private saved: string | null = null;
  private readonly maxRead: number;

  constructor(private readonly opts: LogTailOptions) {
    this.maxRead = opts.maxReadBytes ?? 4 * 1024 * 1024;
    const p = readStateFile(opts.statePath, isPosition);
    this.pos = p && p.path === opts.path ? p : null;
    if (this.pos) this.saved = JSON.stringify(this.pos);
  }

  /** The current position (null before the file was first seen). */
  position(): TailPosition | null {
    return this.pos ? { ...this.pos } : null;
  }

  /**
   * Without a saved position, starts at the end of the file as it is now (or at its beginning
   * with `startAt: 'beginning'`) and saves that. Call once at start.
   */
  establish(): void {
    if (this.pos) return;
    const st = statOrNull(this.opts.path);
    if (!st) return;
    this.pos = { path: this.opts.path, ino: st.ino, offset: this.opts.startAt === 'beginning' ? 0 : st.size };
    this.commit();
  }

  /** New complete lines since the last call. While the file is missing (mid-rotation) the rotated one is drained. */
  read(): string[] {
    const st = statOrNull(this.opts.path);
    if (!this.pos) {
      if (!st) return [];
      // Not there at `establish`: the file appeared since, so all of it is new.
      this.pos = { path: this.opts.path, ino: st.ino, offset: 0 };
    }
    const lines: string[] = [];
    if (!st || st.ino !== this.pos.ino) {
      const old = this.findRotated(this.pos.ino);
      if (old) {
        const before = this.pos.offset;
        lines.push(...this.readFrom(old.path, old.st.size));
        if (!st) return lines;
        // A rotated file longer than one read: keep draining it next call (unless only an
        // unterminated last line is left, which will never grow now).
        if (this.pos.offset < old.st.size && this.pos.offset > before) return lines;
      }
      if (!st) return lines;
      this.pos = { path: this.opts.path, ino: st.ino, offset: 0 };
    } else if (st.size < this.pos.offset) {
      this.pos.offset = 0;
    }
    lines.push(...this.readFrom(this.opts.path, st.size));
    return lines;
  }

  /** Persists the position of the lines handed out so far (no write when it did not move). */
  commit(): void {
    if (!this.pos) return;
    const text = JSON.stringify(this.pos);
    if (text === this.saved) return;
    writeStateFile(this.opts.statePath, this.pos);
    this.saved = text;
  }

  private readFrom(path: string, size: number): string[] {
    const pos = this.pos as TailPosition;
    const want = Math.min(size - pos.offset, this.maxRead);
    if (want <= 0) return [];
    const buf = Buffer.allocUnsafe(want);
    let got = 0;
    const fd = openSync(path, 'r');
    try {
      while (got < want) {
        const n = readSync(fd, buf, got, want - got, pos.offset + got);
        if (n === 0) break;
        got += n;
      }
    } finally {
      closeSync(fd);
    }
    const end = buf.lastIndexOf(0x0a, got - 1);
    if (end < 0) {
      // No newline in a full read: a line longer than the read size; skip it rather than stall.
      if (got === this.maxRead) pos.offset += got;
      return [];
    }
    pos.offset += end + 1;
    return buf.toString('utf8', 0, end).split('\n');
  }

  /** The rotated file that still has inode `ino` (`auth.log.1`, `secure-20261206` …), if any. */
  private findRotated(ino: number): { path: string; st: Stats } | null {
    const dir = dirname(this.opts.path);
    const base = basename(this.opts.path);
    let names: string[];
    try {
      names = readdirSync(dir).filter((n) => n !== base && n.startsWith(base) && !n.endsWith('.gz') && !n.endsWith('.xz') && !n.endsWith('.bz2') && !n.endsWith('.zst'));
    } catch {
      return null;
    }
    for (const n of names) {
      const path = join(dir, n);
      const st = statOrNull(path);
      if (st && st.ino === ino) return { path, st };
    }
    return null;
  }
}

function statOrNull(path: string): Stats | null {
  try {
    return statSync(path);
  } catch {
    return null;
  }
}
