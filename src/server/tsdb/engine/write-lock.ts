/**
 * A FIFO lock for the engine's write paths (append, compaction, checkpoint). They await the
 * persistence layer between reading and changing the head, so without the lock two batches could
 * both plan the same sample as new.
 */
export class WriteLock {
  private tail: Promise<unknown> = Promise.resolve();

  /** Runs `fn` after every earlier holder finished; its result or error is passed through. */
  run<T>(fn: () => Promise<T> | T): Promise<T> {
    const result = this.tail.then(fn);
    // The chain must continue after a failure too.
    this.tail = result.catch(() => undefined);
    return result;
  }
}
