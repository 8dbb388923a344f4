import type { Scheduler, TimerHandle } from '../time/scheduler.js';

interface Pending {
  handle: TimerHandle;
  at: number;
  fn: () => void;
}

/**
 * A {@link Scheduler} for unit tests: time moves only when the test calls {@link advance}, and
 * {@link pendingCount} tells whether code left timers behind.
 */
export class ManualScheduler implements Scheduler {
  private time: number;
  private nextHandle = 1;
  private pending: Pending[] = [];

  /** @param start initial time in ms since epoch (default 1,700,000,000,000) */
  constructor(start = 1_700_000_000_000) {
    this.time = start;
  }

  now(): number {
    return this.time;
  }

  setTimeout(fn: () => void, ms: number): TimerHandle {
    const handle = this.nextHandle++;
    this.pending.push({ handle, at: this.time + Math.max(0, ms), fn });
    return handle;
  }

  clearTimeout(handle: TimerHandle): void {
    this.pending = this.pending.filter((p) => p.handle !== handle);
  }

  /** Number of timers that have not fired or been cleared. */
  get pendingCount(): number {
    return this.pending.length;
  }

  /** Delay in ms until the next pending timer, or null when none is pending. */
  nextDelay(): number | null {
    if (this.pending.length === 0) return null;
    return Math.min(...this.pending.map((p) => p.at)) - this.time;
  }

  /** Moves time forward by `ms`, firing due timers in order (including ones they schedule). */
  advance(ms: number): void {
    const target = this.time + ms;
    for (;;) {
      const due = this.pending.filter((p) => p.at <= target).sort((a, b) => a.at - b.at || a.handle - b.handle)[0];
      if (!due) break;
      this.pending = this.pending.filter((p) => p !== due);
      this.time = due.at;
      due.fn();
    }
    this.time = target;
  }
}
