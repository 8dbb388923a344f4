/**
 * A FIFO async mutex. SQLite (better-sqlite3) has one connection, so while one caller holds an
 * open transaction across awaits, every other statement must wait instead of joining it.
 */
export class AsyncMutex {
  private tail: Promise<void> = Promise.resolve();
  private held = false;

  /** True while some caller holds the lock. */
  get locked(): boolean {
    return this.held;
  }

  /** Resolves with a release function once the lock is held. */
  async acquire(): Promise<() => void> {
    let release!: () => void;
    const next = new Promise<void>((resolve) => (release = resolve));
    const prev = this.tail;
    this.tail = prev.then(() => next);
    await prev;
    this.held = true;
    return () => {
      this.held = false;
      release();
    };
  }
}
