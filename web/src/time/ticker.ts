import type { Scheduler, TimerHandle } from './scheduler.js';

/**
 * One shared heartbeat for everything that re-renders with the passage of time (freshness
 * stamps, uptimes). A timer runs only while at least one listener is subscribed, so a page that
 * unmounts leaves no timer behind. Ticks are aligned to whole periods of the clock so every stamp
 * on screen changes at the same moment.
 */
export class Ticker {
  private readonly listeners = new Set<(now: number) => void>();
  private handle: TimerHandle | null = null;

  /**
   * @param scheduler clock and timers
   * @param periodMs tick period in ms (default 1000)
   */
  constructor(
    private readonly scheduler: Scheduler,
    readonly periodMs = 1000,
  ) {}

  /** Adds a listener called with the current time on every tick; returns its remover. */
  subscribe(listener: (now: number) => void): () => void {
    this.listeners.add(listener);
    if (this.handle === null) this.schedule();
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0 && this.handle !== null) {
        this.scheduler.clearTimeout(this.handle);
        this.handle = null;
      }
    };
  }

  /** Number of current listeners (0 means no timer is pending). */
  get listenerCount(): number {
    return this.listeners.size;
  }

  /** True while a tick timer is pending. */
  get running(): boolean {
    return this.handle !== null;
  }

  private schedule(): void {
    const now = this.scheduler.now();
    const delay = this.periodMs - (now % this.periodMs);
    this.handle = this.scheduler.setTimeout(() => this.tick(), delay);
  }

  private tick(): void {
    this.handle = null;
    const now = this.scheduler.now();
    // Copy: a listener may unsubscribe (or subscribe another) while we iterate.
    for (const listener of [...this.listeners]) listener(now);
    if (this.listeners.size > 0 && this.handle === null) this.schedule();
  }
}
