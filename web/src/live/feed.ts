/**
 * A minimal synchronous fan-out: one producer (e.g. a page's single live subscription) and many
 * consumers (its charts). Consumers unsubscribe on unmount; `listenerCount` shows leaks in tests.
 */
export class Feed<T> {
  private readonly listeners = new Set<(value: T) => void>();

  /** Adds a listener; returns its remover. */
  subscribe(listener: (value: T) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Delivers `value` to every current listener. */
  emit(value: T): void {
    for (const listener of [...this.listeners]) listener(value);
  }

  /** Number of current listeners. */
  get listenerCount(): number {
    return this.listeners.size;
  }
}
