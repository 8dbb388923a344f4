import { createHash } from 'node:crypto';
import { closeSync, lstatSync, openSync, readlinkSync, readSync, type Stats } from 'node:fs';

/** What the baseline remembers of one path. */
export interface FileRecord {
  type: 'file' | 'dir' | 'symlink' | 'other';
  size: number;
  /** Permission bits and file type as an octal string (`100644`). */
  mode: string;
  uid: number;
  gid: number;
  mtimeMs: number;
  /** Change time: moves on any content or metadata change and cannot be set back by a user. */
  ctimeMs: number;
  ino: number;
  /** SHA-256 of the content (regular files), or null when skipped (see `hashSkipped`). */
  sha256: string | null;
  hashSkipped?: 'too_large' | 'unreadable';
  /** Target of a symbolic link. */
  target?: string;
}

/** Fields compared between two records, in the order they are reported. */
export const COMPARED: (keyof FileRecord)[] = ['type', 'sha256', 'size', 'mode', 'uid', 'gid', 'target', 'mtimeMs'];

/** One read buffer for all hashing: scans are serialised, and a stream's fresh chunk per read would grow the agent's heap by tens of MB while /usr/bin is hashed. */
const HASH_BUFFER = Buffer.allocUnsafe(64 * 1024);
/** Longest stretch of synchronous FIM work before the event loop gets a turn, in ms. */
export const FIM_SLICE_MS = 10;
let sliceStart = performance.now();

/**
 * True when the current stretch of synchronous work is over {@link FIM_SLICE_MS}: the caller then
 * awaits {@link yieldToLoop}. Checking is cheap, so callers check per file and per 64 KiB read.
 */
export function sliceUsedUp(): boolean {
  return performance.now() - sliceStart >= FIM_SLICE_MS;
}

/** Gives the event loop a turn (timers, I/O, the agent's ticks) and starts a new slice. */
export async function yieldToLoop(): Promise<void> {
  await new Promise<void>((resolve) => setImmediate(resolve));
  sliceStart = performance.now();
}

/**
 * SHA-256 of a file, read in 64 KiB pieces into a shared buffer (never holds the file in memory).
 * The reads are synchronous, in slices of {@link FIM_SLICE_MS}: an awaited read per 64 KiB piece
 * cost twice the CPU (a thread-pool round trip each), and its promises and requests made V8 grow
 * its young generation during the /usr/bin baseline (+5 MB of RSS for ~15 s).
 * Callers must not hash concurrently.
 */
export async function sha256File(path: string): Promise<string> {
  const h = createHash('sha256');
  const fd = openSync(path, 'r');
  try {
    for (;;) {
      const bytesRead = readSync(fd, HASH_BUFFER, 0, HASH_BUFFER.length, null);
      if (bytesRead === 0) break;
      h.update(bytesRead === HASH_BUFFER.length ? HASH_BUFFER : HASH_BUFFER.subarray(0, bytesRead));
      if (sliceUsedUp()) await yieldToLoop();
    }
  } finally {
    closeSync(fd);
  }
  return h.digest('hex');
}

function typeOf(st: Stats): FileRecord['type'] {
  if (st.isFile()) return 'file';
  if (st.isDirectory()) return 'dir';
  if (st.isSymbolicLink()) return 'symlink';
  return 'other';
}

/** True when the stat fields prove the content cannot have changed (same inode, size, mtime, ctime). */
export function sameStat(a: FileRecord, st: Stats): boolean {
  return a.ino === st.ino && a.size === st.size && a.mtimeMs === st.mtimeMs && a.ctimeMs === st.ctimeMs && a.mode === st.mode.toString(8);
}

/**
 * The record of `path` (not following symlinks), or null when it does not exist. Metadata is
 * read synchronously (a local lstat costs microseconds; the scan yields between slices). The hash is
 * taken from `previous` when the stat fields are unchanged (ctime cannot be forged without
 * root changing the clock), else computed; files above `maxBytes` keep size and times only.
 */
export async function recordOf(path: string, previous: FileRecord | undefined, maxBytes: number): Promise<FileRecord | null> {
  let st: Stats;
  try {
    st = lstatSync(path);
  } catch {
    return null;
  }
  const rec: FileRecord = { type: typeOf(st), size: st.size, mode: st.mode.toString(8), uid: st.uid, gid: st.gid, mtimeMs: st.mtimeMs, ctimeMs: st.ctimeMs, ino: st.ino, sha256: null };
  if (rec.type === 'symlink') {
    try {
      rec.target = readlinkSync(path);
    } catch {
      // Vanished between lstat and readlink: the next check sees it gone.
    }
  }
  if (rec.type !== 'file') return rec;
  if (previous && previous.type === 'file' && sameStat(previous, st)) {
    rec.sha256 = previous.sha256;
    if (previous.hashSkipped) rec.hashSkipped = previous.hashSkipped;
    return rec;
  }
  if (st.size > maxBytes) {
    rec.hashSkipped = 'too_large';
    return rec;
  }
  try {
    rec.sha256 = await sha256File(path);
  } catch {
    rec.hashSkipped = 'unreadable';
  }
  return rec;
}

/**
 * Fields that differ between two records. mtime counts only when no hash could tell (large or
 * unreadable files); a directory's size and mtime move with its entries, which are reported
 * one by one, so for directories only type, mode and owner count.
 */
export function changedFields(a: FileRecord, b: FileRecord): string[] {
  const out: string[] = [];
  const dir = a.type === 'dir' && b.type === 'dir';
  for (const k of COMPARED) {
    if (k === 'mtimeMs' && ((a.sha256 !== null && b.sha256 !== null) || dir)) continue;
    if (k === 'size' && dir) continue;
    if (a[k] !== b[k]) out.push(k === 'mtimeMs' ? 'mtime' : k);
  }
  return out;
}
