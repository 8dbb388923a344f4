/**
 * A past-tense event carried to live subscribers (DESIGN.md §5), e.g. `samples_appended`.
 * `data` is JSON-serializable so the Redis adapter can ship it between replicas unchanged.
 */
export interface BusEvent<T = unknown> {
  type: string;
  data: T;
}

/** Publish/subscribe of {@link BusEvent}s: in-process by default, Redis with several replicas. */
export interface EventBus {
  publish(event: BusEvent): void;
  /** Returns an unsubscribe function. */
  subscribe(handler: (event: BusEvent) => void): () => void;
  close(): Promise<void>;
}

/** The single-process bus: synchronous fan-out; a failing handler never affects the others. */
export class LocalEventBus implements EventBus {
  private readonly handlers = new Set<(event: BusEvent) => void>();

  constructor(private readonly onHandlerError: (err: unknown) => void = () => {}) {}

  publish(event: BusEvent): void {
    for (const h of this.handlers) {
      try {
        h(event);
      } catch (err) {
        this.onHandlerError(err);
      }
    }
  }

  subscribe(handler: (event: BusEvent) => void): () => void {
    this.handlers.add(handler);
    return () => this.handlers.delete(handler);
  }

  async close(): Promise<void> {
    this.handlers.clear();
  }
}
