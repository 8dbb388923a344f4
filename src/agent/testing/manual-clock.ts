import type { Clock } from '../clock.js';

interface Sleeper {
  until: number;
  ms: number;
  resolve: () => void;
}

/**
 * A clock for tests: time only moves when the test calls `advance`. `nextSleep()` lets a test
 * wait until the code under test starts waiting, then inspect how long it wants to wait.
 */
export class ManualClock implements Clock {
  private sleepers: Sleeper[] = [];
  private watchers: ((s: { ms: number }) => void)[] = [];
  /** Durations of every `sleep` call so far, in call order. */
  readonly calls: number[] = [];

  constructor(private current = 1_700_000_000_000) {}

  now(): number {
    return this.current;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      if (signal?.aborted) return resolve();
      this.calls.push(ms);
      const sleeper: Sleeper = { until: this.current + Math.max(0, ms), ms, resolve };
      this.sleepers.push(sleeper);
      signal?.addEventListener(
        'abort',
        () => {
          this.sleepers = this.sleepers.filter((s) => s !== sleeper);
          resolve();
        },
        { once: true },
      );
      for (const w of this.watchers.splice(0)) w({ ms });
    });
  }

  /** Resolves with the requested duration as soon as some code calls `sleep` (or one is pending). */
  nextSleep(): Promise<{ ms: number }> {
    const pending = this.sleepers[this.sleepers.length - 1];
    if (pending) return Promise.resolve({ ms: pending.ms });
    return new Promise((resolve) => this.watchers.push(resolve));
  }

  /** Requested durations of the sleeps still pending, in call order. */
  get pending(): number[] {
    return this.sleepers.map((s) => s.ms);
  }

  /** Number of callers currently sleeping. */
  get sleeping(): number {
    return this.sleepers.length;
  }

  /** Moves time forward by `ms` and wakes every sleeper that is due. */
  advance(ms: number): void {
    this.current += ms;
    const due = this.sleepers.filter((s) => s.until <= this.current);
    this.sleepers = this.sleepers.filter((s) => s.until > this.current);
    for (const s of due) s.resolve();
  }
}
