import { closeSync, openSync, readSync } from 'node:fs';

const MISSING = new Set(['ENOENT', 'ESRCH', 'ENOTDIR']);

/**
 * Reads small kernel files (/proc, /sys) synchronously into one reused buffer. Procfs reads never
 * wait on a disk, and at a 1 s interval the top-processes scan reads a few hundred files: a sync
 * open/read/close costs far less CPU than the promise round trips of `fs.promises.readFile`.
 */
export class ProcReader {
  private buf = Buffer.allocUnsafe(16 * 1024);

  /** Reads the whole file as UTF-8. @throws the fs error (e.g. ENOENT) when it cannot be read. */
  read(path: string): string {
    const fd = openSync(path, 'r');
    try {
      let len = 0;
      for (;;) {
        if (len === this.buf.length) {
          // Kernel files report size 0, so grow on demand (e.g. /proc/stat on many-core hosts).
          const bigger = Buffer.allocUnsafe(this.buf.length * 2);
          this.buf.copy(bigger, 0, 0, len);
          this.buf = bigger;
        }
        const n = readSync(fd, this.buf, len, this.buf.length - len, null);
        if (n === 0) break;
        len += n;
      }
      return this.buf.toString('utf8', 0, len);
    } finally {
      closeSync(fd);
    }
  }

  /** Like `read`, but returns null when the file (or its process) no longer exists. */
  tryRead(path: string): string | null {
    try {
      return this.read(path);
    } catch (err) {
      if (MISSING.has((err as NodeJS.ErrnoException).code ?? '')) return null;
      throw err;
    }
  }
}
