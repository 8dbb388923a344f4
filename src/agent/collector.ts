import type { Logger } from '../options/command.js';
import type { ProcessInfo, SeriesItem } from '../protocol/ingest.js';
import type { SecurityEventInput } from '../protocol/security.js';

/**
 * What a collector gets at `init`. Paths are configurable so the Linux collectors can run
 * against captured fixtures in tests (like node_exporter's `--path.procfs`).
 */
export interface CollectorContext {
  /** Collection interval in ms (1,000 … 3,600,000). */
  intervalMs: number;
  /** Root of the proc file system; default `/proc`. */
  procRoot: string;
  /** Root of sysfs; default `/sys`. */
  sysRoot: string;
  /** Host root prefix for mount points and `/etc` files; default `/`. */
  rootFs: string;
  /** Processes to report in each top list (by CPU and by memory); default 10. */
  topProcesses: number;
  /** Logger scoped to the collector (`collector` field set). */
  log: Logger;
  /** Operating system, as `process.platform`. */
  platform: NodeJS.Platform;
  /** Kernel clock ticks per second for /proc CPU times (USER_HZ); 100 on every mainstream Linux. */
  clockTicks: number;
  /** Memory page size in bytes for /proc RSS fields; detected at start (usually 4096). */
  pageSize: number;
  /**
   * Directory where this collector may keep state across agent restarts (offsets, baselines):
   * `<data-dir>/state/<collector name>`, created by the agent before `init`.
   */
  stateDir: string;
  /**
   * Hands security events to the agent between two ticks (e.g. from an `fs.watch` callback);
   * the agent spools them at once in the security lane. Events returned by `collect` take the
   * same way, so most collectors never need this.
   */
  emitEvents: (events: SecurityEventInput[]) => void;
}

/** Output of one collection: series with points stamped `now`, plus an optional process list. */
export interface CollectResult {
  series: SeriesItem[];
  /** Top processes (the agent sends them as the batch's `processes` snapshot). */
  processes?: ProcessInfo[];
  /** Security events found since the last call (sent to `POST /api/v1/events`, before metrics). */
  events?: SecurityEventInput[];
}

/**
 * A collector: the agent's extension point. `init` runs once before the first `collect`;
 * `collect(now)` is called once per interval (never concurrently with itself) and returns the
 * series measured at `now` (ms since epoch); `close` releases what `init` acquired. Rates need
 * two readings, so a rate collector reports nothing for them on its first call.
 */
export interface Collector {
  readonly name: string;
  init(ctx: CollectorContext): Promise<void> | void;
  collect(now: number): Promise<CollectResult> | CollectResult;
  close(): Promise<void> | void;
}

/** A named way to create a collector, with a check for whether it can run on this host. */
export interface CollectorFactory {
  name: string;
  /** One line for `--help` and docs. */
  description: string;
  /** A new collector instance (the agent then calls its `init` with the same context). */
  create(ctx: CollectorContext): Collector;
  /** Why the collector cannot run here (e.g. "needs Linux /proc"), or null when it can. */
  unavailableReason(ctx: CollectorContext): string | null;
}

/** Builds one series item with a single point (the common case for host metrics). */
export function point(metric: string, value: number, now: number, labels?: Record<string, string>): SeriesItem {
  return labels ? { metric, labels, points: [[now, value]] } : { metric, points: [[now, value]] };
}
