import type { SeriesItem } from '../../protocol/ingest.js';
import type { Logger } from '../../options/command.js';
import type { Collector, CollectorContext, CollectorFactory, CollectResult } from '../collector.js';
import { LogThrottle } from '../log-throttle.js';
import { collectDeadlineMs } from '../collect-deadline.js';
import type { ExecCollectorConfig } from './exec-config.js';
import { parsePromText } from './parse-prom-text.js';
import { runCommand } from './run-command.js';

/**
 * Runs a command each interval and reads Prometheus text from its stdout. A run is bounded by a
 * timeout (never longer than the tick's collection deadline) and an output cap; bad lines are
 * dropped one by one and reported (first occurrence, then at most every 10 min) with a count.
 * Samples without a timestamp are stamped with the tick time.
 */
export class ExecCollector implements Collector {
  readonly name: string;
  private log: Logger | null = null;
  private timeoutMs: number;
  private readonly throttle = new LogThrottle();
  private rejectedTotal = 0;
  private readonly abort = new AbortController();

  constructor(private readonly config: ExecCollectorConfig) {
    this.name = config.name;
    this.timeoutMs = config.timeoutMs;
  }

  init(ctx: CollectorContext): void {
    this.log = ctx.log;
    // Leave a little room so the run's own timeout fires before the agent gives up on the tick.
    this.timeoutMs = Math.max(100, Math.min(this.config.timeoutMs, collectDeadlineMs(ctx.intervalMs) - 100));
    if (this.timeoutMs < this.config.timeoutMs) {
      ctx.log.info('exec timeout shortened to fit the collection interval', { timeoutMs: this.timeoutMs, configuredMs: this.config.timeoutMs });
    }
  }

  async collect(now: number): Promise<CollectResult> {
    const stdout = await runCommand(this.config.command, { timeoutMs: this.timeoutMs, maxOutputBytes: this.config.maxOutputBytes, signal: this.abort.signal });
    const parsed = parsePromText(stdout, { maxErrors: 3 });
    if (parsed.rejectedLines > 0) {
      this.rejectedTotal += parsed.rejectedLines;
      const skipped = this.throttle.check('rejected', now);
      if (skipped !== null) {
        this.log?.warn('exec output has lines that are not valid Prometheus text; they were dropped', {
          rejectedLines: parsed.rejectedLines,
          rejectedLinesTotal: this.rejectedTotal,
          firstErrors: parsed.errors,
        });
      }
    }
    const series: SeriesItem[] = parsed.samples.map((s) => {
      const item: SeriesItem = { metric: s.metric, points: [[s.timestampMs ?? now, s.value]] };
      if (Object.keys(s.labels).length > 0) item.labels = s.labels;
      return item;
    });
    return { series };
  }

  close(): void {
    this.abort.abort();
  }
}

/** Factory of one configured exec collector (available on every platform). */
export function execCollectorFactory(config: ExecCollectorConfig): CollectorFactory {
  return {
    name: config.name,
    description: `exec: ${config.command.join(' ')}`,
    create: () => new ExecCollector(config),
    unavailableReason: () => null,
  };
}
