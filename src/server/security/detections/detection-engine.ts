import { randomUUID } from 'node:crypto';
import type { AlertSeverity } from '../../../protocol/alerting.js';
import { DETECTION_KINDS, type DetectionRule, type SecurityEvent, type Severity } from '../../../protocol/security.js';
import type { AuditLog } from '../../auth/audit-log.js';
import type { Clock } from '../../core/clock.js';
import { errors } from '../../core/errors.js';
import type { EventBus } from '../../live/event-bus.js';
import type { SecurityEventRepo } from '../../storage/security-event-repo.js';
import type { SettingsRepo } from '../../storage/settings-repo.js';
import { SECURITY_DETECTIONS_CHANGED, SECURITY_EVENT_RECORDED, type SecurityDetectionsChanged, type SecurityEventRecorded } from '../security-events.js';
import { DEFAULT_DETECTIONS } from './default-detections.js';
import type { DetectionRegistry } from './detection-registry.js';
import type { DetectionEvaluator, DetectionHit } from './detection-rule-type.js';

/** Settings key holding the edited detection rules (absent: the defaults). */
export const DETECTIONS_SETTING = 'security.detections';
/** Name of the alerts detections raise. */
export const DETECTION_ALERT_NAME = 'SecurityDetection';

/** Where detections raise and clear alerts (the alerting engine's system alerts; wired in the composition root). */
export interface DetectionAlerts {
  raise(name: string, labels: Record<string, string>, severity: AlertSeverity, summary: string, at: number): void;
  clear(name: string, labels: Record<string, string>, at: number): void;
}

/** Bounds of the detection engine. */
export interface DetectionEngineOptions {
  /** Groups / known values one rule keeps (default 10,000). */
  maxEntries: number;
  /** Events waiting for evaluation (default 10,000); beyond it new ones are dropped and counted. */
  queueMax: number;
  /** A detection alert resolves after this long without a new hit, ms (default 15 min). */
  alertHoldMs: number;
}

/** Default bounds. */
export const DEFAULT_DETECTION_OPTIONS: DetectionEngineOptions = { maxEntries: 10_000, queueMax: 10_000, alertHoldMs: 15 * 60_000 };

const ALERT_SEVERITY: Record<Severity, AlertSeverity> = { critical: 'critical', high: 'warning', medium: 'info', low: 'info' };
/** Input ids listed in a detection's metadata at most. */
const INPUT_IDS_MAX = 50;

/**
 * Streaming correlation rules over new security events (issue 6). Evaluated in memory on the
 * leading replica as events are stored (bus `security_event_recorded`), with bounded state per
 * rule and a bounded queue. A hit stores a new event (type, severity and MITRE id of the rule,
 * `correlation_id` shared with its inputs, `metadata.input_event_ids`) and, when the rule says
 * so, raises an alert through the alerting engine; the alert resolves after a quiet period.
 */
export class DetectionEngine {
  readonly counters = { evaluated: 0, detections: 0, dropped: 0, errors: 0 };
  private rules: DetectionRule[] = [];
  private evaluators = new Map<string, DetectionEvaluator>();
  private readonly queue: SecurityEvent[] = [];
  private draining: Promise<void> | null = null;
  private readonly firing = new Map<string, { labels: Record<string, string>; lastAt: number }>();
  private unsubscribe: (() => void) | null = null;
  /** Tells this engine's own change announcements apart from other replicas'. */
  private readonly instanceId = randomUUID();

  constructor(
    private readonly deps: {
      bus: EventBus;
      settings: SettingsRepo;
      events: SecurityEventRepo;
      /** Stores detection events (suppressions applied) and announces them. */
      store: (events: SecurityEvent[]) => Promise<SecurityEvent[]>;
      alerts: DetectionAlerts;
      audit: AuditLog;
      clock: Clock;
      isLeader: () => boolean;
      onError: (err: unknown) => void;
    },
    private readonly registry: DetectionRegistry,
    private readonly opts: DetectionEngineOptions = DEFAULT_DETECTION_OPTIONS,
  ) {}

  /** Loads the rules and starts listening for new events. */
  async start(): Promise<void> {
    await this.reload();
    this.unsubscribe = this.deps.bus.subscribe((e) => {
      if (e.type === SECURITY_DETECTIONS_CHANGED && (e.data as SecurityDetectionsChanged).origin !== this.instanceId) {
        this.reload().catch(this.deps.onError);
        return;
      }
      if (e.type !== SECURITY_EVENT_RECORDED) return;
      const data = e.data as SecurityEventRecorded;
      if (data.fromDetection || !this.deps.isLeader()) return;
      this.enqueue(data.events.filter((x) => x.suppressed_by === null));
    });
  }

  /** Loads the stored rules (the defaults when none were ever saved). */
  private async reload(): Promise<void> {
    this.install((await this.deps.settings.get<DetectionRule[]>(DETECTIONS_SETTING)) ?? [...DEFAULT_DETECTIONS]);
  }

  /** The rules in force. */
  list(): DetectionRule[] {
    return this.rules.map((r) => ({ ...r, group_by: [...r.group_by] }));
  }

  /** Replaces the rules (validated: unique ids, registered kinds), stores and audits the change. State of every rule restarts. */
  async replace(rules: DetectionRule[], actor: string): Promise<DetectionRule[]> {
    const ids = new Set<string>();
    for (const r of rules) {
      if (ids.has(r.id)) throw errors.validation(`rule id "${r.id}" is used twice`, { param: 'rules' });
      ids.add(r.id);
      if (!this.registry.has(r.kind)) throw errors.validation(`rule ${r.id}: unknown kind ${r.kind}`, { param: 'kind', allowed: DETECTION_KINDS });
      if (r.kind !== 'threshold' && r.group_by.length === 0) throw errors.validation(`rule ${r.id}: ${r.kind} rules need at least one group_by field`, { param: 'group_by' });
    }
    await this.deps.settings.set(DETECTIONS_SETTING, rules, this.deps.clock.now());
    this.install(rules);
    this.deps.bus.publish({ type: SECURITY_DETECTIONS_CHANGED, data: { origin: this.instanceId } satisfies SecurityDetectionsChanged });
    await this.deps.audit.record({ actor, action: 'security.detections.update', target: 'detections', outcome: 'success', details: { rules: rules.map((r) => `${r.id}:${r.enabled ? 'on' : 'off'}`) } });
    return this.list();
  }

  private install(rules: DetectionRule[]): void {
    this.rules = rules;
    this.evaluators = new Map();
    const history = (host: string, eventType: SecurityEvent['event_type'], limit: number) => this.deps.events.search({ hosts: [host], eventTypes: [eventType], includeSuppressed: true }, 'time', null, limit);
    for (const r of rules) {
      const type = this.registry.get(r.kind);
      if (r.enabled && type) this.evaluators.set(r.id, type.create(r, { history, maxEntries: this.opts.maxEntries }));
    }
  }

  private enqueue(events: readonly SecurityEvent[]): void {
    for (const e of events) {
      if (this.queue.length >= this.opts.queueMax) this.counters.dropped++;
      else this.queue.push(e);
    }
    if (this.queue.length && !this.draining) this.draining = this.drain();
  }

  private async drain(): Promise<void> {
    try {
      for (let e = this.queue.shift(); e; e = this.queue.shift()) {
        try {
          await this.evaluate(e);
        } catch (err) {
          this.counters.errors++;
          this.deps.onError(err);
        }
      }
    } finally {
      this.draining = null;
    }
  }

  private async evaluate(e: SecurityEvent): Promise<void> {
    for (const rule of this.rules) {
      const ev = this.evaluators.get(rule.id);
      if (!ev || rule.match_type !== e.event_type) continue;
      this.counters.evaluated++;
      for (const hit of await ev.observe(e)) await this.emit(rule, hit);
    }
  }

  private async emit(rule: DetectionRule, hit: DetectionHit): Promise<void> {
    const last = hit.inputs[hit.inputs.length - 1] as SecurityEvent;
    const correlationId = randomUUID();
    const group = Object.fromEntries(Object.entries(hit.group).map(([k, v]) => [k.replace(/^metadata\./, ''), v]));
    const inputIds = hit.inputs.map((i) => i.event_id).slice(-INPUT_IDS_MAX);
    const now = this.deps.clock.now();
    const event: SecurityEvent = {
      event_id: randomUUID(),
      ts: last.ts,
      host: last.host,
      agent_id: last.agent_id,
      event_type: rule.emit_type,
      severity: rule.severity,
      source: 'vigil-detection',
      description: `${rule.description}: ${hit.summary}`.slice(0, 2000),
      correlation_id: correlationId,
      metadata: { rule: rule.id, kind: rule.kind, ...group, count: hit.inputs.length, input_event_ids: inputIds },
      triage: 'new',
      suppressed_by: null,
      received_at: now,
    };
    if (rule.mitre_technique) event.mitre_technique = rule.mitre_technique;
    await this.deps.events.linkCorrelation(inputIds, correlationId);
    const stored = await this.deps.store([event]);
    this.counters.detections++;
    if (rule.alert && stored.length && stored[0]?.suppressed_by === null) {
      const labels = { detection: rule.id, host: last.host, ...group };
      this.firing.set(JSON.stringify(Object.entries(labels).sort()), { labels, lastAt: now });
      this.deps.alerts.raise(DETECTION_ALERT_NAME, labels, ALERT_SEVERITY[rule.severity], event.description, now);
    }
  }

  /** Periodic upkeep (leader): drops stale window state and resolves quiet detection alerts. */
  sweep(): void {
    const now = this.deps.clock.now();
    for (const ev of this.evaluators.values()) ev.prune(now);
    for (const [k, f] of this.firing) {
      if (now - f.lastAt < this.opts.alertHoldMs) continue;
      this.firing.delete(k);
      this.deps.alerts.clear(DETECTION_ALERT_NAME, f.labels, now);
    }
  }

  /** State entries held across rules (groups, known values). */
  stateSize(): number {
    let n = 0;
    for (const ev of this.evaluators.values()) n += ev.size();
    return n;
  }

  /** Waits until queued events are evaluated (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.draining) await this.draining;
  }

  stop(): void {
    this.unsubscribe?.();
    this.unsubscribe = null;
  }
}
