/** Where `vigil migrate` reports its progress. */
export interface ProgressSink {
  /** A table starts: `total` rows in the source, `done` already copied by an earlier run. */
  start(table: string, total: number, done: number): void;
  /** Rows of the current table copied so far. */
  advance(copied: number): void;
  /** The current table is finished. */
  finish(copied: number): void;
}

const BAR_WIDTH = 30;

/**
 * A progress bar redrawn in place on a terminal (`\r`), or plain lines elsewhere (logs, CI):
 * one line when a table starts, at most one per 10 % while it copies, and one when it ends.
 */
export function progressSink(out: { isTTY?: boolean; write(s: string): unknown }): ProgressSink {
  let table = '';
  let total = 0;
  let lastTenth = -1;
  const pct = (n: number) => (total === 0 ? 100 : Math.min(100, Math.floor((n / total) * 100)));
  const bar = (n: number) => {
    const filled = Math.round((pct(n) / 100) * BAR_WIDTH);
    return `[${'#'.repeat(filled)}${'.'.repeat(BAR_WIDTH - filled)}]`;
  };
  return {
    start(name, rows, done) {
      table = name;
      total = rows;
      lastTenth = -1;
      if (!out.isTTY) out.write(`${name}: ${rows} rows${done > 0 ? ` (${done} copied before, resuming)` : ''}\n`);
      else this.advance(done);
    },
    advance(copied) {
      if (out.isTTY) {
        out.write(`\r${table.padEnd(22)} ${bar(copied)} ${String(pct(copied)).padStart(3)}% ${copied}/${total}`);
        return;
      }
      const tenth = Math.floor(pct(copied) / 10);
      if (tenth > lastTenth && tenth < 10) {
        lastTenth = tenth;
        if (copied > 0) out.write(`${table}: ${copied}/${total} (${pct(copied)}%)\n`);
      }
    },
    finish(copied) {
      if (out.isTTY) out.write(`\r${table.padEnd(22)} ${bar(total)} 100% ${copied}/${total}\n`);
      else out.write(`${table}: done, ${copied} rows\n`);
    },
  };
}
