import type { Logger } from '../options/command.js';
import type { AuditLog } from './auth/audit-log.js';
import type { SingletonHandle, SingletonRunner } from './cluster/singleton-runner.js';
import type { Clock } from './core/clock.js';
import type { EventBus } from './live/event-bus.js';
import type { MetricsRegistry } from './observability/metrics-registry.js';
import { DEFAULT_DETECTION_OPTIONS, DetectionEngine, type DetectionAlerts } from './security/detections/detection-engine.js';
import { builtinDetectionTypes } from './security/detections/detection-registry.js';
import { DEFAULT_PLATFORM_RECORDER_OPTIONS, PlatformEventRecorder } from './security/platform-event-recorder.js';
import { SecurityEventService } from './security/security-event-service.js';
import { SecurityNotifier, type SecurityNoticeSink } from './security/security-notifier.js';
import { SuppressionService } from './security/suppression-service.js';
import type { Storage } from './storage/storage.js';

/** Job name of security event retention in the singleton runner. */
export const SECURITY_RETENTION_JOB = 'security.retention';
/** Job name of the detection upkeep (window pruning, alert resolution) in the singleton runner. */
export const SECURITY_DETECTIONS_JOB = 'security.detections';
/** Period of the detection upkeep, ms (30 s). */
const DETECTION_SWEEP_MS = 30_000;
/** Period of the retention job, ms (10 min). */
const RETENTION_INTERVAL_MS = 10 * 60_000;

/** The security services the HTTP routes use (issue 6). */
export interface SecurityServices {
  events: SecurityEventService;
  suppressions: SuppressionService;
  notifier: SecurityNotifier;
  detections: DetectionEngine;
  /** The server's own security events (failed logins, denials, rate limits, key misuse). */
  platform: PlatformEventRecorder;
  stop(): Promise<void>;
}

/**
 * Builds the security event store services, the notification-center hook and the retention job
 * (leader only, through the singleton runner).
 */
export async function createSecurityServices(d: {
  storage: Storage;
  bus: EventBus;
  clock: Clock;
  audit: AuditLog;
  runner: SingletonRunner;
  metrics: MetricsRegistry;
  log: Logger;
  /** Delivers a notice to the notification center (in-app inbox). */
  notices: SecurityNoticeSink;
  /** Where detections raise alerts (the alerting engine's system alerts). */
  alerts: DetectionAlerts;
  retentionMs: number;
  /** Host name the server's own events carry. */
  hostname: string;
}): Promise<SecurityServices> {
  const onError = (msg: string) => (err: unknown) => d.log.warn(msg, { err: err instanceof Error ? err.message : String(err) });
  const events = new SecurityEventService(
    {
      events: d.storage.securityEvents,
      suppressions: d.storage.suppressions,
      savedFilters: d.storage.savedFilters,
      audit: d.audit,
      bus: d.bus,
      clock: d.clock,
      onKeyMisuse: (m) => platform.keyMisuse({ keyId: m.keyId, actor: `agent:${m.agent}`, reason: `agent key sent events for host "${m.claimedHost}"`, claimedHost: m.claimedHost }),
    },
    { retentionMs: d.retentionMs },
  );
  const platform = new PlatformEventRecorder({ bus: d.bus, clock: d.clock, hostname: d.hostname, store: (evs) => events.store(evs, false), onError: onError('recording a platform security event failed') }, DEFAULT_PLATFORM_RECORDER_OPTIONS);
  const suppressions = new SuppressionService({ suppressions: d.storage.suppressions, events: d.storage.securityEvents, audit: d.audit, clock: d.clock }, d.retentionMs);
  const notifier = new SecurityNotifier(d.bus, d.notices, onError('security notification failed'));
  const detections = new DetectionEngine(
    {
      bus: d.bus,
      settings: d.storage.settings,
      events: d.storage.securityEvents,
      store: (evs) => events.store(evs, true),
      alerts: d.alerts,
      audit: d.audit,
      clock: d.clock,
      isLeader: () => d.runner.isLeader(SECURITY_DETECTIONS_JOB),
      onError: onError('security detection failed'),
    },
    builtinDetectionTypes(),
    DEFAULT_DETECTION_OPTIONS,
  );
  await detections.start();
  const sweep: SingletonHandle = d.runner.every(SECURITY_DETECTIONS_JOB, DETECTION_SWEEP_MS, async () => detections.sweep(), onError('security detection upkeep failed'));
  const retention: SingletonHandle = d.runner.every(SECURITY_RETENTION_JOB, RETENTION_INTERVAL_MS, async () => void (await events.enforceRetention()), onError('security event retention failed'));
  d.metrics.counterFn('vigil_security_events_stored_total', 'Security events stored (new event_ids).', () => events.counters.stored);
  d.metrics.counterFn('vigil_security_events_duplicate_total', 'Security events ignored as repeats of a stored event_id.', () => events.counters.duplicates);
  d.metrics.counterFn('vigil_security_events_rejected_total', 'Security events rejected by validation.', () => events.counters.rejected);
  d.metrics.counterFn('vigil_security_events_suppressed_total', 'Security events stored as suppressed.', () => events.counters.suppressed);
  d.metrics.counterFn('vigil_security_notices_dropped_total', 'Security notifications dropped because the queue was full.', () => notifier.counters.dropped);
  d.metrics.counterFn('vigil_security_platform_events_bounded_total', "The server's own security events left out by the per-type rate bound or a full buffer.", () => platform.counters.rateBounded + platform.counters.bufferFull);
  d.metrics.counterFn('vigil_security_detections_total', 'Detections fired (events emitted by correlation rules).', () => detections.counters.detections);
  d.metrics.counterFn('vigil_security_detection_dropped_total', 'Events not evaluated by detections because the queue was full.', () => detections.counters.dropped);
  d.metrics.gauge('vigil_security_detection_state_entries', 'Window groups and known values held by detection rules.', () => detections.stateSize());
  return {
    events,
    suppressions,
    notifier,
    detections,
    platform,
    async stop() {
      await platform.stop();
      notifier.stop();
      detections.stop();
      await sweep.stop();
      await detections.idle();
      await retention.stop();
      await notifier.idle();
    },
  };
}
