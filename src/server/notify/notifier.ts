import type { AlertSink } from '../alerting/alert-sink.js';
import type { SingletonHandle, SingletonRunner } from '../cluster/singleton-runner.js';
import type { NotifyPipeline } from './notify-pipeline.js';
import type { OutboxDispatcher } from './outbox-dispatcher.js';

/** Runs `fn` one at a time; triggers while it runs coalesce into one more run. */
export class CoalescingTask {
  private running: Promise<void> | null = null;
  private again = false;

  constructor(
    private readonly fn: () => Promise<void>,
    private readonly onError: (err: unknown) => void,
  ) {}

  /** Runs now, or once more after the current run; resolves when that run is done. */
  run(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      do {
        this.again = false;
        try {
          await this.fn();
        } catch (err) {
          this.onError(err);
        }
      } while (this.again);
      this.running = null;
    })();
    return this.running;
  }

  /** Resolves when no run is in progress. */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }
}

/** Job names of the singleton runner. */
export const NOTIFY_JOBS = { pipeline: 'notify.pipeline', dispatch: 'notify.dispatch' } as const;

/**
 * The {@link AlertSink} of the alerting engine and the scheduler of the notification pipeline and
 * dispatcher. Both run through the singleton runner (one replica does the work); an alert change
 * or a queued notification wakes them at once instead of waiting for the next interval.
 */
export class Notifier implements AlertSink {
  private readonly pipelineTask: CoalescingTask;
  private readonly dispatchTask: CoalescingTask;
  private handles: SingletonHandle[] = [];
  /** Fencing token of the leadership the pipeline's in-memory state belongs to. */
  private pipelineToken: number | null = null;

  constructor(
    private readonly pipeline: NotifyPipeline,
    private readonly dispatcher: OutboxDispatcher,
    private readonly runner: SingletonRunner,
    onError: (msg: string, err: unknown) => void,
  ) {
    this.pipelineTask = new CoalescingTask(() => this.pipeline.tick(), (err) => onError('notification pipeline tick failed', err));
    this.dispatchTask = new CoalescingTask(() => this.dispatcher.tick(), (err) => onError('notification dispatch failed', err));
  }

  /** Registers the periodic jobs (interval in ms). */
  start(intervalMs = 1000): void {
    this.handles.push(
      this.runner.every(NOTIFY_JOBS.pipeline, intervalMs, async ({ fencingToken }) => {
        // New leadership (first tick, or regained after another replica led): reload group state.
        if (this.pipelineToken !== fencingToken) this.pipeline.reset();
        this.pipelineToken = fencingToken;
        await this.pipelineTask.run();
      }),
      this.runner.every(NOTIFY_JOBS.dispatch, intervalMs, () => this.dispatchTask.run()),
    );
  }

  alertsChanged(): void {
    if (this.runner.isLeader(NOTIFY_JOBS.pipeline)) void this.pipelineTask.run();
  }

  /** Wakes the dispatcher (after notifications were queued). */
  wakeDispatcher(): void {
    if (this.runner.isLeader(NOTIFY_JOBS.dispatch)) void this.dispatchTask.run();
  }

  /** Runs a pipeline pass and a dispatch pass now and waits for both (tests drive time this way). */
  async runOnce(): Promise<void> {
    await this.pipelineTask.run();
    await this.dispatchTask.run();
  }

  /** Waits until neither task is running. */
  async idle(): Promise<void> {
    await this.pipelineTask.idle();
    await this.dispatchTask.idle();
  }

  async stop(): Promise<void> {
    await Promise.all(this.handles.map((h) => h.stop()));
    this.handles = [];
    await this.idle();
  }
}
