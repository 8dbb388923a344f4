import type { Logger } from '../options/command.js';
import type { AuditLog } from './auth/audit-log.js';
import type { SingletonHandle, SingletonRunner } from './cluster/singleton-runner.js';
import type { Clock } from './core/clock.js';
import type { EventBus } from './live/event-bus.js';
import type { MetricsRegistry } from './observability/metrics-registry.js';
import { SecurityEventService } from './security/security-event-service.js';
import { SecurityNotifier, type SecurityNoticeSink } from './security/security-notifier.js';
import { SuppressionService } from './security/suppression-service.js';
import type { Storage } from './storage/storage.js';

/** Job name of security event retention in the singleton runner. */
export const SECURITY_RETENTION_JOB = 'security.retention';
/** Period of the retention job, ms (10 min). */
const RETENTION_INTERVAL_MS = 10 * 60_000;

/** The security services the HTTP routes use (issue 6). */
export interface SecurityServices {
  events: SecurityEventService;
  suppressions: SuppressionService;
  notifier: SecurityNotifier;
  stop(): Promise<void>;
}

/**
 * Builds the security event store services, the notification-center hook and the retention job
 * (leader only, through the singleton runner).
 */
export function createSecurityServices(d: {
  storage: Storage;
  bus: EventBus;
  clock: Clock;
  audit: AuditLog;
  runner: SingletonRunner;
  metrics: MetricsRegistry;
  log: Logger;
  /** Delivers a notice to the notification center (in-app inbox). */
  notices: SecurityNoticeSink;
  retentionMs: number;
}): SecurityServices {
  const onError = (msg: string) => (err: unknown) => d.log.warn(msg, { err: err instanceof Error ? err.message : String(err) });
  const events = new SecurityEventService(
    { events: d.storage.securityEvents, suppressions: d.storage.suppressions, savedFilters: d.storage.savedFilters, audit: d.audit, bus: d.bus, clock: d.clock },
    { retentionMs: d.retentionMs },
  );
  const suppressions = new SuppressionService({ suppressions: d.storage.suppressions, events: d.storage.securityEvents, audit: d.audit, clock: d.clock }, d.retentionMs);
  const notifier = new SecurityNotifier(d.bus, d.notices, onError('security notification failed'));
  const retention: SingletonHandle = d.runner.every(SECURITY_RETENTION_JOB, RETENTION_INTERVAL_MS, async () => void (await events.enforceRetention()), onError('security event retention failed'));
  d.metrics.counterFn('vigil_security_events_stored_total', 'Security events stored (new event_ids).', () => events.counters.stored);
  d.metrics.counterFn('vigil_security_events_duplicate_total', 'Security events ignored as repeats of a stored event_id.', () => events.counters.duplicates);
  d.metrics.counterFn('vigil_security_events_rejected_total', 'Security events rejected by validation.', () => events.counters.rejected);
  d.metrics.counterFn('vigil_security_events_suppressed_total', 'Security events stored as suppressed.', () => events.counters.suppressed);
  d.metrics.counterFn('vigil_security_notices_dropped_total', 'Security notifications dropped because the queue was full.', () => notifier.counters.dropped);
  return {
    events,
    suppressions,
    notifier,
    async stop() {
      notifier.stop();
      await retention.stop();
      await notifier.idle();
    },
  };
}
