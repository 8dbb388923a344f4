import type { Logger } from '../options/command.js';
import { AlertEngine, DEFAULT_ENGINE_OPTIONS } from './alerting/alert-engine.js';
import { AlertService } from './alerting/alert-service.js';
import { builtinRuleTypes } from './alerting/rule-types/builtin-rule-types.js';
import type { RuleTypeRegistry } from './alerting/rule-type-registry.js';
import { SilenceService } from './alerting/silence-service.js';
import { StorageHistoryReader } from './alerting/storage-history-reader.js';
import type { AuditLog } from './auth/audit-log.js';
import type { SingletonHandle, SingletonRunner } from './cluster/singleton-runner.js';
import type { Clock } from './core/clock.js';
import type { EventBus } from './live/event-bus.js';
import type { MetricsRegistry } from './observability/metrics-registry.js';
import { DEFAULT_OUTBOUND_POLICY, type OutboundHttp } from './outbound/outbound-http.js';
import type { OutboundAllowlist } from './outbound/address-policy.js';
import { ChannelService } from './notify/channel-service.js';
import type { ChannelRegistry } from './notify/channel-type.js';
import { InboxService } from './notify/inbox-service.js';
import { NOTIFY_CONFIG_CHANGED } from './notify/notify-events.js';
import { NotifyPipeline } from './notify/notify-pipeline.js';
import { Notifier, CoalescingTask, NOTIFY_JOBS } from './notify/notifier.js';
import { OutboxDispatcher, type DispatcherOptions } from './notify/outbox-dispatcher.js';
import { PreferenceService } from './notify/preference-service.js';
import { resolveSmtpHost } from './notify/smtp-host-guard.js';
import type { SecretBox } from './secrets/secret-box.js';
import type { Storage } from './storage/storage.js';

/** Job name of alert evaluation in the singleton runner. */
export const ALERTING_JOB = 'alerting.evaluate';
/** How long finished notifications, their delivery log and traces are kept, ms (30 days). */
export const NOTIFY_RETENTION_MS = 30 * 86_400_000;
/** How long resolved alerts and their transitions are kept, ms (30 days). */
export const ALERT_RETENTION_MS = 30 * 86_400_000;

/** The alerting and notification services the HTTP routes and the CLI use. */
export interface IncidentServices {
  registry: RuleTypeRegistry;
  engine: AlertEngine;
  alerts: AlertService;
  silences: SilenceService;
  channels: ChannelService;
  inbox: InboxService;
  preferences: PreferenceService;
  notifier: Notifier;
  pipeline: NotifyPipeline;
  dispatcher: OutboxDispatcher;
  /** Dashboard base URL used in notification links (updated once the server listens). */
  links: { externalUrl: string };
  /** Evaluates, runs the pipeline and dispatches once, now (tests drive time with it). */
  runOnce(): Promise<void>;
  /** Stops the periodic jobs and persists pending alert state. */
  stop(): Promise<void>;
}

/** Options of the alerting wiring (from the server config). */
export interface AlertingOptions {
  /** Period of evaluation, pipeline and dispatch ticks, ms (default 1 s). */
  tickMs: number;
  externalUrl: string;
  dispatcher?: Partial<DispatcherOptions>;
}

/**
 * Builds the alerting engine, notification pipeline, dispatcher and their services, and starts
 * their periodic jobs through the singleton runner. Channel types come from the caller (only
 * `main.ts` picks concrete channels).
 */
export async function createIncidentServices(d: {
  storage: Storage;
  bus: EventBus;
  clock: Clock;
  audit: AuditLog;
  runner: SingletonRunner;
  secrets: SecretBox;
  outbound: OutboundHttp;
  metrics: MetricsRegistry;
  log: Logger;
  channelTypes: ChannelRegistry;
  allowlist: () => Promise<OutboundAllowlist>;
  options: AlertingOptions;
}): Promise<IncidentServices> {
  const { storage, bus, clock, audit, runner, log } = d;
  const onError = (msg: string, err: unknown) => log.warn(msg, { err: err instanceof Error ? err.message : String(err) });
  const registry = builtinRuleTypes();
  const history = new StorageHistoryReader(storage.series, storage.samples);
  const links = { externalUrl: d.options.externalUrl };
  let notifier: Notifier | null = null;
  const engine = new AlertEngine(
    { rules: storage.alertRules, alerts: storage.alerts, silences: storage.silences, windows: storage.maintenanceWindows, settings: storage.settings, history, bus, clock, registry, sink: { alertsChanged: () => notifier?.alertsChanged() }, isLeader: () => runner.isLeader(ALERTING_JOB), onError },
    DEFAULT_ENGINE_OPTIONS,
  );
  const inbox = new InboxService({ inbox: storage.inbox, preferences: storage.preferences, users: storage.users, bus, clock });
  const pipeline = new NotifyPipeline({ alerts: storage.alerts, outbox: storage.outbox, receivers: storage.receivers, channels: storage.channels, preferences: storage.preferences, settings: storage.settings, clock, externalUrl: () => links.externalUrl, onEnqueued: () => notifier?.wakeDispatcher(), onError });
  const dispatcher = new OutboxDispatcher(
    {
      outbox: storage.outbox,
      channels: storage.channels,
      receivers: storage.receivers,
      preferences: storage.preferences,
      settings: storage.settings,
      registry: d.channelTypes,
      secrets: d.secrets,
      clock,
      audit,
      self: engine.system,
      routing: () => pipeline.routing(),
      context: { http: d.outbound, resolveSmtpHost: async (host) => resolveSmtpHost(host, await d.allowlist()), deliverInApp: (users, roles, item) => inbox.deliver(users, roles, item) },
      onError,
      stillLeader: () => runner.isLeader(NOTIFY_JOBS.dispatch),
    },
    { timeoutMs: DEFAULT_OUTBOUND_POLICY.timeoutMs, ...d.options.dispatcher },
  );
  notifier = new Notifier(pipeline, dispatcher, runner, onError);
  await engine.start();
  const alerts = new AlertService({ rules: storage.alertRules, alerts: storage.alerts, engine, registry, history, audit, bus, clock });
  const silences = new SilenceService({ silences: storage.silences, windows: storage.maintenanceWindows, settings: storage.settings, engine, audit, bus, clock });
  const channels = new ChannelService({ channels: storage.channels, receivers: storage.receivers, outbox: storage.outbox, alerts: storage.alerts, preferences: storage.preferences, users: storage.users, settings: storage.settings, registry: d.channelTypes, secrets: d.secrets, pipeline, dispatcher, audit, bus, clock, externalUrl: () => links.externalUrl });
  const preferences = new PreferenceService({ preferences: storage.preferences, secrets: d.secrets, clock });
  const unsubscribe = bus.subscribe((e) => {
    if (e.type === NOTIFY_CONFIG_CHANGED) void pipeline.reloadRouting();
  });
  const evaluate = new CoalescingTask(() => engine.tick(), (err) => onError('alert evaluation failed', err));
  const handles: SingletonHandle[] = [
    runner.every(ALERTING_JOB, d.options.tickMs, () => evaluate.run()),
    runner.every('alerting.retention', 3_600_000, async () => {
      const now = clock.now();
      await storage.alerts.prune(now - ALERT_RETENTION_MS);
      await storage.outbox.prune(now - NOTIFY_RETENTION_MS);
      await storage.silences.prune(now - ALERT_RETENTION_MS);
    }, (err) => onError('alerting retention failed', err)),
  ];
  notifier.start(d.options.tickMs);
  registerAlertingMetrics(d.metrics, engine, dispatcher, pipeline, storage);
  const n = notifier;
  return {
    registry,
    engine,
    alerts,
    silences,
    channels,
    inbox,
    preferences,
    notifier: n,
    pipeline,
    dispatcher,
    links,
    async runOnce() {
      await evaluate.run();
      await n.runOnce();
    },
    async stop() {
      unsubscribe();
      await Promise.all(handles.map((h) => h.stop()));
      await n.stop();
      await evaluate.idle();
      await engine.stop();
    },
  };
}

function registerAlertingMetrics(m: MetricsRegistry, engine: AlertEngine, dispatcher: OutboxDispatcher, pipeline: NotifyPipeline, storage: Storage): void {
  m.gauge('vigil_alerts_firing', 'Firing alerts by severity.', () => Object.entries(engine.firingCount()).map(([severity, value]) => ({ labels: { severity }, value })));
  m.counterFn('vigil_alert_evaluations_total', 'Rule evaluations (per sample and per candidate on interval).', () => engine.counters.evaluations);
  m.counterFn('vigil_alert_transitions_total', 'Stored alert lifecycle transitions.', () => engine.counters.transitions);
  m.counterFn('vigil_alert_rule_errors_total', 'Rules that failed to load or evaluate.', () => engine.counters.ruleErrors);
  m.counterFn('vigil_notifications_queued_total', 'Notifications written to the outbox.', () => pipeline.counters.notificationsQueued);
  m.counterFn('vigil_notification_attempts_total', 'Delivery attempts.', () => dispatcher.counters.attempts);
  m.counterFn('vigil_notifications_delivered_total', 'Notifications delivered.', () => dispatcher.counters.delivered);
  m.counterFn('vigil_notification_retries_total', 'Attempts that will be retried.', () => dispatcher.counters.retried);
  m.counterFn('vigil_notifications_failed_total', 'Notifications that failed for good (configuration error or too old).', () => dispatcher.counters.failed);
  m.counterFn('vigil_notification_fallbacks_total', 'Copies sent to the fallback receiver.', () => dispatcher.counters.fallbacks);
  m.gauge('vigil_notification_outbox', 'Outbox notifications by status.', async () => Object.entries(await storage.outbox.countByStatus()).map(([status, value]) => ({ labels: { status }, value })));
}
