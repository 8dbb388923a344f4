import type { SecurityEvent } from '../../protocol/security.js';
import type { EventBus } from '../live/event-bus.js';
import { SECURITY_EVENT_RECORDED, type SecurityEventRecorded } from './security-events.js';

/** One in-app notification about security events. `dedupKey` makes repeats show once per user. */
export interface SecurityNotice {
  dedupKey: string;
  severity: 'critical' | 'warning';
  title: string;
  body: string;
}

/** Where notices go (the notification center's inbox; wired in the composition root). */
export type SecurityNoticeSink = (notice: SecurityNotice) => Promise<void>;

/** Notices about the same type and host within this many ms are one notice (10 min). */
export const NOTICE_BUCKET_MS = 10 * 60_000;
/** Notices queued at most; beyond it new ones are dropped and counted. */
const QUEUE_MAX = 100;

/**
 * Turns new high and critical (unsuppressed) security events into notification-center items,
 * deduplicated per event type, host and 10-minute bucket so a burst is one item. Delivery runs
 * off the request path through a bounded queue.
 */
export class SecurityNotifier {
  readonly counters = { noticed: 0, dropped: 0, failed: 0 };
  private readonly queue: SecurityNotice[] = [];
  private readonly recent = new Set<string>();
  private draining: Promise<void> | null = null;
  private readonly unsubscribe: () => void;

  constructor(
    bus: EventBus,
    private readonly sink: SecurityNoticeSink,
    private readonly onError: (err: unknown) => void = () => {},
  ) {
    this.unsubscribe = bus.subscribe((e) => {
      if (e.type === SECURITY_EVENT_RECORDED) this.observe((e.data as SecurityEventRecorded).events);
    });
  }

  private observe(events: readonly SecurityEvent[]): void {
    for (const e of events) {
      if (e.suppressed_by !== null || (e.severity !== 'high' && e.severity !== 'critical')) continue;
      const dedupKey = `security:${e.event_type}:${e.host}:${Math.floor(e.ts / NOTICE_BUCKET_MS)}`;
      if (this.recent.has(dedupKey)) continue;
      this.recent.add(dedupKey);
      if (this.recent.size > 1000) this.recent.delete(this.recent.values().next().value as string);
      if (this.queue.length >= QUEUE_MAX) {
        this.counters.dropped++;
        continue;
      }
      this.queue.push({
        dedupKey,
        severity: e.severity === 'critical' ? 'critical' : 'warning',
        title: `[${e.severity}] ${e.event_type} on ${e.host}`,
        body: e.description,
      });
    }
    if (this.queue.length && !this.draining) this.draining = this.drain();
  }

  private async drain(): Promise<void> {
    try {
      for (let n = this.queue.shift(); n; n = this.queue.shift()) {
        try {
          await this.sink(n);
          this.counters.noticed++;
        } catch (err) {
          this.counters.failed++;
          this.onError(err);
        }
      }
    } finally {
      this.draining = null;
    }
  }

  /** Waits for queued notices to be delivered (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.draining) await this.draining;
  }

  stop(): void {
    this.unsubscribe();
  }
}
