/** Passed to a singleton job: the fencing token of the lease it runs under. */
export interface SingletonContext {
  /** Grows every time leadership of this job changes hands; writes may carry it for fencing. */
  fencingToken: number;
  /** Aborted when this replica loses the lease or the runner stops. */
  signal: AbortSignal;
}

/** A periodic job registered with a {@link SingletonRunner}. */
export interface SingletonHandle {
  /** Stops scheduling and waits for a running tick to finish. */
  stop(): Promise<void>;
}

/**
 * Runs periodic work (alert evaluation, compaction, retention, notification dispatch) on
 * exactly one replica. The single-process runner always holds every lease; the PostgreSQL
 * backend provides one based on leases/advisory locks so another replica takes over when the
 * leader dies.
 */
export interface SingletonRunner {
  /** Runs `fn` every `intervalMs` ms while this replica leads job `name`; ticks never overlap. */
  every(name: string, intervalMs: number, fn: (ctx: SingletonContext) => Promise<void>, onError?: (err: unknown) => void): SingletonHandle;
  /** True when this replica currently leads job `name`. */
  isLeader(name: string): boolean;
  close(): Promise<void>;
}

/** One process, always the leader (the embedded SQLite default). */
export class LocalSingletonRunner implements SingletonRunner {
  private readonly handles = new Set<SingletonHandle>();

  every(name: string, intervalMs: number, fn: (ctx: SingletonContext) => Promise<void>, onError: (err: unknown) => void = () => {}): SingletonHandle {
    const controller = new AbortController();
    let running: Promise<void> | null = null;
    const tick = () => {
      if (running || controller.signal.aborted) return;
      running = fn({ fencingToken: 1, signal: controller.signal })
        .catch(onError)
        .finally(() => {
          running = null;
        });
    };
    const timer = setInterval(tick, intervalMs);
    timer.unref();
    const handle: SingletonHandle = {
      stop: async () => {
        clearInterval(timer);
        controller.abort();
        await running;
        this.handles.delete(handle);
      },
    };
    this.handles.add(handle);
    void name;
    return handle;
  }

  isLeader(): boolean {
    return true;
  }

  async close(): Promise<void> {
    await Promise.all([...this.handles].map((h) => h.stop()));
  }
}
