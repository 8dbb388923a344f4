/** Opaque handle of a scheduled callback. */
export type TimerHandle = number;

/**
 * The clock and timers that time-dependent dashboard code uses. Injected so that unit tests drive
 * time (see `web/src/testing/manual-scheduler.ts`) and can count pending timers, instead of
 * sleeping.
 */
export interface Scheduler {
  /** Current time, ms since the Unix epoch. */
  now(): number;
  /** Runs `fn` once after `ms` milliseconds. */
  setTimeout(fn: () => void, ms: number): TimerHandle;
  /** Cancels a pending `setTimeout`; unknown or already-fired handles are ignored. */
  clearTimeout(handle: TimerHandle): void;
}

/** The browser's real clock and timers. */
export const browserScheduler: Scheduler = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => window.setTimeout(fn, ms),
  clearTimeout: (handle) => window.clearTimeout(handle),
};
