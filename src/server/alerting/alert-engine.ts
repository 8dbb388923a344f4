import { LeaderCommands, type AlertCommand } from './leader-commands.js';
import { randomUUID } from 'node:crypto';
import type { AlertSeverity, InhibitRule } from '../../protocol/alerting.js';
import type { Clock } from '../core/clock.js';
import { seriesKey, type Labels } from '../core/labels.js';
import type { EventBus } from '../live/event-bus.js';
import { SAMPLES_APPENDED, type SamplesAppended } from '../live/live-events.js';
import type { AlertRepo, TransitionRecord } from '../storage/alert-repo.js';
import type { AlertRuleRepo } from '../storage/alert-rule-repo.js';
import type { SettingsRepo } from '../storage/settings-repo.js';
import type { MaintenanceWindowRepo, SilenceRepo } from '../storage/silence-repo.js';
import { acknowledge, DEFAULT_FLAP, DEFAULT_NO_DATA_RESOLVE_MS, refreshFlapping, unacknowledge, type AlertInstance, type FlapSettings, type LifecycleSettings } from './alert-lifecycle.js';
import { compileRule, type CompiledRule } from './alert-rule.js';
import type { AlertSink } from './alert-sink.js';
import { ALERT_CHANGED, alertView } from './alert-view.js';
import type { HistoryReader, RuleTypeRegistry } from './rule-type-registry.js';
import { RuleRuntime } from './rule-runtime.js';
import { selectorMatches } from './selector-match.js';
import { DEFAULT_INHIBIT_RULES, sameSuppressions, Suppressor } from './suppression.js';
import { SystemAlerts } from './system-alerts.js';
import { ALERTING_CONFIG_CHANGED, type AlertingConfigChanged } from './alerting-config-event.js';

/** Settings key of the inhibition rules ({@link InhibitRule}[]); unset means {@link DEFAULT_INHIBIT_RULES}. */
export const INHIBIT_RULES_SETTING = 'alerting.inhibit_rules';

/** Engine tuning (config). */
export interface AlertEngineOptions {
  flap: FlapSettings;
  /** Active alerts with no data this long resolve (ms, default 1 h). */
  noDataResolveMs: number;
  /** Value-only changes (no transition) are persisted at most this often (ms, default 30 s). */
  checkpointMs: number;
  /** Suppression (silences, windows, inhibition) is recomputed at least this often (ms, default 5 s). */
  suppressionMs: number;
  /** Resolved/inactive instances leave memory after this long unchanged (ms, default 24 h). */
  forgetAfterMs: number;
}

/** Default engine options. */
export const DEFAULT_ENGINE_OPTIONS: AlertEngineOptions = { flap: DEFAULT_FLAP, noDataResolveMs: DEFAULT_NO_DATA_RESOLVE_MS, checkpointMs: 30_000, suppressionMs: 5_000, forgetAfterMs: 86_400_000 };

/** What the engine needs. `isLeader` says whether this replica evaluates (singleton runner). */
export interface AlertEngineDeps {
  rules: AlertRuleRepo;
  alerts: AlertRepo;
  silences: SilenceRepo;
  windows: MaintenanceWindowRepo;
  settings: SettingsRepo;
  history: HistoryReader;
  bus: EventBus;
  clock: Clock;
  registry: RuleTypeRegistry;
  sink: AlertSink;
  isLeader: () => boolean;
  onError: (msg: string, err: unknown) => void;
}

/** Counters exported on `/metrics`. */
export interface AlertEngineCounters {
  samplesObserved: number;
  evaluations: number;
  transitions: number;
  flushes: number;
  ruleErrors: number;
}

/** Rules of one metric: indexed by one equality matcher (label → value → rules), and the rest. */
interface MetricRules {
  byLabel: Map<string, Map<string, RuleRuntime[]>>;
  rest: RuleRuntime[];
}

/** Most cached series → rules routing entries before the cache is reset. */
const ROUTE_CACHE_MAX = 200_000;
/** Id of the built-in rule that carries Vigil's own alerts (channel failing, …). */
export const SYSTEM_RULE_ID = '__system';

/**
 * The alerting engine: keeps every rule's evaluator and alert instances in memory, evaluates
 * threshold rules on each committed sample (from the bus, no storage query), runs periodic
 * evaluation, suppression, acknowledgement expiry and flap detection on `tick`, and persists every
 * transition before announcing it to the {@link AlertSink} and the live bus.
 */
export class AlertEngine {
  readonly counters: AlertEngineCounters = { samplesObserved: 0, evaluations: 0, transitions: 0, flushes: 0, ruleErrors: 0 };
  readonly suppressor = new Suppressor();
  /** Identifies this engine in config-change events, so it ignores its own announcements. */
  readonly instanceId = randomUUID();
  readonly system: SystemAlerts;
  private readonly runtimes = new Map<string, RuleRuntime>();
  /** Rules by metric, then (when the rule has an equality matcher) by that label's value. */
  private byMetric = new Map<string, MetricRules>();
  private anyMetric: RuleRuntime[] = [];
  /** Raw series text (metric + labels as sent) → canonical series key and the rules it feeds. */
  private readonly routeCache = new Map<string | number, { key: string; rules: RuleRuntime[] }>();
  private readonly matchers = new Map<RuleRuntime, (metric: string, labels: Labels) => boolean>();
  private readonly dirty = new Map<string, AlertInstance>();
  private readonly urgent = new Set<string>();
  private transitions: TransitionRecord[] = [];
  private flushing: Promise<void> = Promise.resolve();
  private flushQueued = false;
  private lastCheckpoint = 0;
  private lastSuppression = -Infinity;
  private unsubscribe: (() => void) | null = null;
  private wasLeader = false;
  /** Acknowledgements received by a follower travel to the leader through the bus. */
  private readonly commands: LeaderCommands;
  private startedAt = 0;

  constructor(
    private readonly deps: AlertEngineDeps,
    private readonly opts: AlertEngineOptions = DEFAULT_ENGINE_OPTIONS,
  ) {
    this.system = new SystemAlerts((at) => this.applySystem(at));
    this.commands = new LeaderCommands(deps.bus);
  }

  private lifecycle(rule: CompiledRule): LifecycleSettings {
    return { forMs: rule.record.forMs, keepFiringForMs: rule.record.keepFiringForMs, noDataResolveMs: this.opts.noDataResolveMs, flap: this.opts.flap };
  }

  /** Loads rules, alert states and suppression config, backfills evaluators and subscribes to samples. */
  async start(): Promise<void> {
    this.startedAt = this.deps.clock.now();
    await this.reloadSuppression();
    for (const record of await this.deps.rules.list()) {
      if (!record.enabled) continue;
      try {
        this.addRuntime(compileRule(record, this.deps.registry));
      } catch (err) {
        this.counters.ruleErrors++;
        this.deps.onError(`rule ${record.name} cannot be loaded`, err);
      }
    }
    this.addSystemRuntime();
    this.rebuildIndex();
    await this.loadInstances();
    for (const rt of this.runtimes.values()) await this.backfill(rt);
    this.wasLeader = this.deps.isLeader();
    this.commands.start(this.deps.isLeader, (c) => this.applyCommand(c), (err) => this.deps.onError('applying a forwarded alert command failed', err));
    this.unsubscribe = this.deps.bus.subscribe((e) => {
      if (e.type === SAMPLES_APPENDED) this.onSamples(e.data as SamplesAppended);
      else if (e.type === ALERTING_CONFIG_CHANGED) this.onConfigChanged(e.data as AlertingConfigChanged);
    });
  }

  /** Another replica changed a rule or suppression: reload it here too. */
  private onConfigChanged(c: AlertingConfigChanged): void {
    if (c.origin === this.instanceId) return;
    const done = c.kind === 'rule' && c.id ? this.reloadRule(c.id) : this.reloadSuppression();
    done.catch((err: unknown) => this.deps.onError('reloading alerting config failed', err));
  }

  /** Unsubscribes and persists what is pending. */
  async stop(): Promise<void> {
    this.commands.stop();
    this.unsubscribe?.();
    this.unsubscribe = null;
    await this.flush(true);
  }

  private addSystemRuntime(): void {
    const record = { id: SYSTEM_RULE_ID, name: 'Vigil', description: 'Alerts raised by Vigil about itself.', type: 'system', spec: {}, severity: 'critical' as const, labels: {}, forMs: 0, keepFiringForMs: 0, intervalMs: 3_600_000, runbookUrl: null, suggestedFixes: null, enabled: true, createdAt: 0, updatedAt: 0, createdBy: 'system', version: 1 };
    const rule: CompiledRule = { record, type: { type: 'system', title: 'System', parseSpec: () => ({}), printSpec: () => ({}), info: () => this.system.info, createEvaluator: () => this.system.evaluator }, spec: {}, info: this.system.info };
    this.runtimes.set(SYSTEM_RULE_ID, new RuleRuntime(rule, this.system.evaluator, this.lifecycle(rule), true));
  }

  private addRuntime(rule: CompiledRule): RuleRuntime {
    const evaluator = rule.type.createEvaluator(rule.spec, { severity: rule.record.severity, startedAt: this.deps.clock.now() });
    const rt = new RuleRuntime(rule, evaluator, this.lifecycle(rule));
    this.runtimes.set(rule.record.id, rt);
    this.matchers.set(rt, selectorMatches(rule.info.selector));
    return rt;
  }

  private rebuildIndex(): void {
    this.byMetric = new Map();
    this.anyMetric = [];
    for (const rt of this.runtimes.values()) {
      if (rt.rule.record.id === SYSTEM_RULE_ID) continue;
      const metric = rt.rule.info.selector.metric;
      if (metric === null) {
        this.anyMetric.push(rt);
        continue;
      }
      let m = this.byMetric.get(metric);
      if (!m) this.byMetric.set(metric, (m = { byLabel: new Map(), rest: [] }));
      // Index by the first equality matcher so a series only meets the rules that can match it.
      const eq = rt.rule.info.selector.matchers.find((x) => x.op === '=' && x.value !== '');
      if (!eq) {
        m.rest.push(rt);
        continue;
      }
      let values = m.byLabel.get(eq.name);
      if (!values) m.byLabel.set(eq.name, (values = new Map()));
      values.set(eq.value, [...(values.get(eq.value) ?? []), rt]);
    }
    this.routeCache.clear();
  }

  private async loadInstances(): Promise<void> {
    for (const rt of this.runtimes.values()) rt.instances.clear();
    const orphanRules = new Set<string>();
    for (const rec of await this.deps.alerts.loadAll()) {
      const rt = this.runtimes.get(rec.ruleId);
      if (!rt) {
        orphanRules.add(rec.ruleId);
        continue;
      }
      const { seq: _seq, ...a } = rec;
      // Timers that depend on "last seen true" restart from now: the server was down, not the source.
      if (a.state === 'firing' || a.state === 'pending') a.lastTrueAt = Math.max(a.lastTrueAt ?? 0, this.startedAt);
      rt.instances.set(a.key, a);
      if (rec.ruleId === SYSTEM_RULE_ID && a.state === 'firing') this.system.restore(a.key, a.labels, a.severity, a.annotations.summary ?? '');
    }
    for (const ruleId of orphanRules) if (!(await this.deps.rules.get(ruleId))?.enabled) await this.deps.alerts.deleteForRule(ruleId);
  }

  private async backfill(rt: RuleRuntime): Promise<void> {
    if (!rt.evaluator.backfill) return;
    try {
      await rt.evaluator.backfill(this.deps.history, this.deps.clock.now());
    } catch (err) {
      this.counters.ruleErrors++;
      this.deps.onError(`backfill of rule ${rt.rule.record.name} failed`, err);
    }
  }

  /**
   * Rules a series feeds, cached by series id when the event carries one (ingest does), else by
   * the raw text (one native `JSON.stringify` and a map lookup); the entry holds the canonical key.
   */
  private routeFor(metric: string, labels: Labels, id?: number): { key: string; rules: RuleRuntime[] } {
    const raw = id !== undefined ? id : `${metric}\u0000${JSON.stringify(labels)}`;
    const hit = this.routeCache.get(raw);
    if (hit) return hit;
    const list: RuleRuntime[] = [];
    const m = this.byMetric.get(metric);
    const candidates: RuleRuntime[] = m ? [...m.rest] : [];
    if (m) for (const [name, values] of m.byLabel) candidates.push(...(values.get(labels[name] ?? '') ?? []));
    for (const rt of candidates) if ((this.matchers.get(rt) as (m: string, l: Labels) => boolean)(metric, labels)) list.push(rt);
    for (const rt of this.anyMetric) if ((this.matchers.get(rt) as (m: string, l: Labels) => boolean)(metric, labels)) list.push(rt);
    if (this.routeCache.size >= ROUTE_CACHE_MAX) this.routeCache.clear();
    const entry = { key: seriesKey(metric, labels), rules: list };
    this.routeCache.set(raw, entry);
    return entry;
  }

  /** Incremental evaluation of committed samples (the bus handler; synchronous and allocation-light). */
  onSamples(data: SamplesAppended): void {
    // Followers keep their evaluators' windows warm but leave alert state to the leader.
    const apply = this.deps.isLeader();
    const at = this.deps.clock.now();
    for (const s of data.series) {
      const { key, rules: route } = this.routeFor(s.metric, s.labels, s.id);
      if (route.length === 0) continue;
      for (let i = 0; i < s.ts.length; i++) {
        const ts = s.ts[i]!;
        const value = s.values[i]!;
        this.counters.samplesObserved++;
        for (const rt of route) {
          this.counters.evaluations++;
          if (apply) rt.observe(key, s.labels, ts, value, at, this.onChange);
          else rt.evaluator.observe(key, s.labels, ts, value, rt.active);
        }
      }
    }
    if (this.urgent.size > 0) this.scheduleFlush();
  }

  private readonly onChange = (a: AlertInstance, transitions: TransitionRecord[]): void => {
    this.dirty.set(a.id, a);
    if (transitions.length > 0) {
      this.urgent.add(a.id);
      this.transitions.push(...transitions);
      this.counters.transitions += transitions.length;
    }
  };

  /**
   * Periodic work (run by the singleton runner every second): evaluate rules whose interval is
   * due, expire acknowledgements, refresh flapping and suppression, persist.
   */
  async tick(): Promise<void> {
    const leader = this.deps.isLeader();
    if (!leader) {
      this.wasLeader = false;
      return;
    }
    if (!this.wasLeader) {
      await this.loadInstances();
      this.wasLeader = true;
    }
    const at = this.deps.clock.now();
    for (const rt of this.runtimes.values()) {
      if (rt.rule.record.id === SYSTEM_RULE_ID || at - rt.lastEvalAt < rt.rule.record.intervalMs) continue;
      try {
        await rt.evaluate(at, this.onChange);
        this.counters.evaluations += rt.instances.size;
      } catch (err) {
        this.counters.ruleErrors++;
        this.deps.onError(`evaluation of rule ${rt.rule.record.name} failed`, err);
      }
    }
    this.housekeeping(at);
    if (at - this.lastSuppression >= this.opts.suppressionMs) this.applySuppression(at);
    await this.flush(at - this.lastCheckpoint >= this.opts.checkpointMs);
  }

  private housekeeping(at: number): void {
    for (const rt of this.runtimes.values()) {
      for (const [key, a] of rt.instances) {
        if (a.ack?.expiresAt != null && a.ack.expiresAt <= at) this.record(a, unacknowledge(a, 'system', 'acknowledgement expired', at));
        if (a.flapping) this.record(a, ...refreshFlapping(a, this.opts.flap, at));
        if ((a.state === 'resolved' || a.state === 'inactive') && at - a.updatedAt > this.opts.forgetAfterMs && !this.dirty.has(a.id)) rt.instances.delete(key);
      }
    }
  }

  private record(a: AlertInstance, ...ts: (TransitionRecord | null)[]): void {
    const list = ts.filter((t): t is TransitionRecord => t !== null);
    if (list.length === 0) return;
    a.updatedAt = list[list.length - 1]?.ts ?? a.updatedAt;
    this.onChange(a, list);
  }

  /** Recomputes silences, maintenance windows and inhibition for every active alert. */
  applySuppression(at: number): void {
    this.lastSuppression = at;
    const all: AlertInstance[] = [];
    for (const rt of this.runtimes.values()) for (const a of rt.instances.values()) if (a.state === 'firing' || a.state === 'pending' || a.suppressedBy.length > 0) all.push(a);
    const result = this.suppressor.compute(all, at);
    for (const a of all) {
      const next = result.get(a.id) ?? [];
      if (sameSuppressions(a.suppressedBy, next)) continue;
      const added = next.filter((n) => !a.suppressedBy.some((o) => o.kind === n.kind && o.id === n.id));
      const removed = a.suppressedBy.filter((o) => !next.some((n) => n.kind === o.kind && n.id === o.id));
      a.suppressedBy = next;
      a.updatedAt = at;
      const t = (kind: 'suppressed' | 'unsuppressed', list: typeof next) => ({ alertId: a.id, ts: at, kind, from: a.state, to: a.state, severity: a.severity, value: a.value, reason: list.map((s) => `${s.kind}: ${s.description}`).join('; '), actor: null });
      this.record(a, added.length ? t('suppressed', added) : null, removed.length ? t('unsuppressed', removed) : null);
    }
  }

  private scheduleFlush(): void {
    if (this.flushQueued) return;
    this.flushQueued = true;
    this.flushing = this.flushing.then(async () => {
      this.flushQueued = false;
      await this.flush(false);
    });
  }

  /**
   * Persists alerts with transitions (and, when `all`, value-only changes too), then announces
   * them. Suppression of newly active alerts is decided before the first save, so a silenced
   * alert is never stored (or notified) as unsilenced.
   */
  async flush(all: boolean): Promise<void> {
    const at = this.deps.clock.now();
    if (this.urgent.size > 0 && [...this.urgent].some((id) => this.dirty.get(id)?.suppressedBy.length === 0)) this.applySuppression(at);
    const ids = all ? [...this.dirty.keys()] : [...this.urgent];
    if (ids.length === 0 && this.transitions.length === 0) return;
    const alerts = ids.map((id) => this.dirty.get(id)).filter((a): a is AlertInstance => a !== undefined);
    const transitions = this.transitions;
    this.transitions = [];
    for (const id of ids) {
      this.dirty.delete(id);
      this.urgent.delete(id);
    }
    if (all) this.lastCheckpoint = at;
    try {
      await this.deps.alerts.save(alerts.map((a) => ({ ...a })), transitions);
    } catch (err) {
      // Keep them dirty so the next flush retries; nothing is announced that is not stored.
      for (const a of alerts) this.dirty.set(a.id, a);
      for (const t of transitions) this.urgent.add(t.alertId);
      this.transitions.unshift(...transitions);
      this.deps.onError('saving alert states failed', err);
      return;
    }
    this.counters.flushes++;
    const changed = new Set(transitions.map((t) => t.alertId));
    for (const a of alerts) if (changed.has(a.id)) this.deps.bus.publish({ type: ALERT_CHANGED, data: alertView(a) });
    if (changed.size > 0) this.deps.sink.alertsChanged([...changed]);
  }

  /** Waits until queued flushes are done (tests, shutdown). */
  async settle(): Promise<void> {
    await this.flushing;
    await this.flush(false);
  }

  /** (Re)loads one rule after it was created or changed; drops it when deleted or disabled. */
  async reloadRule(id: string): Promise<void> {
    await this.reloadRules([id]);
  }

  /**
   * (Re)loads rules after changes (an import touches thousands): runtimes are swapped one by one,
   * the routing index is rebuilt once, new evaluators are backfilled, and state is flushed once.
   */
  async reloadRules(ids: readonly string[]): Promise<void> {
    const added: RuleRuntime[] = [];
    for (const id of ids) {
      const record = await this.deps.rules.get(id);
      const old = this.runtimes.get(id);
      if (old) {
        this.runtimes.delete(id);
        this.matchers.delete(old);
      }
      if (!record || !record.enabled) {
        await this.deps.alerts.deleteForRule(id);
        if (old) for (const a of old.instances.values()) this.dirty.delete(a.id);
        continue;
      }
      const rt = this.addRuntime(compileRule(record, this.deps.registry));
      if (old) {
        for (const [k, a] of old.instances) rt.instances.set(k, a);
        rt.refreshInstances();
        for (const a of rt.instances.values()) this.dirty.set(a.id, a);
      }
      added.push(rt);
    }
    this.rebuildIndex();
    for (const rt of added) await this.backfill(rt);
    await this.flush(true);
  }

  /** Reloads silences, maintenance windows and inhibit rules, then re-applies them. */
  async reloadSuppression(): Promise<void> {
    const at = this.deps.clock.now();
    this.suppressor.setSilences(await this.deps.silences.list(at));
    this.suppressor.setWindows(await this.deps.windows.list());
    this.suppressor.setInhibitRules((await this.deps.settings.get<InhibitRule[]>(INHIBIT_RULES_SETTING)) ?? DEFAULT_INHIBIT_RULES);
    if (this.runtimes.size > 0) {
      this.applySuppression(at);
      await this.flush(false);
    }
  }

  /** The in-memory instance of an alert (leader only), or undefined. */
  instance(id: string): AlertInstance | undefined {
    for (const rt of this.runtimes.values()) for (const a of rt.instances.values()) if (a.id === id) return a;
    return undefined;
  }

  /**
   * Acknowledges an active alert. Returns false when it is not active. On a replica that does not
   * lead alert evaluation the command is forwarded to the leader (throws {@link NoLeaderAnswer}
   * when none answers).
   */
  async acknowledge(id: string, by: string, comment: string, expiresAt: number | null): Promise<boolean> {
    if (!this.deps.isLeader()) return this.commands.request({ op: 'ack', alertId: id, by, comment, expiresAt });
    return this.applyAck(id, by, comment, expiresAt);
  }

  /** Removes an acknowledgement. Returns false when there was none. Forwarded like {@link acknowledge}. */
  async unacknowledge(id: string, by: string): Promise<boolean> {
    if (!this.deps.isLeader()) return this.commands.request({ op: 'unack', alertId: id, by });
    return this.applyUnack(id, by);
  }

  /** Applies a command forwarded by a follower (leader only); loads state first if leadership is new. */
  private async applyCommand(c: AlertCommand): Promise<boolean> {
    if (!this.wasLeader) {
      await this.loadInstances();
      this.wasLeader = true;
    }
    return c.op === 'ack' ? this.applyAck(c.alertId, c.by, c.comment, c.expiresAt) : this.applyUnack(c.alertId, c.by);
  }

  private async applyAck(id: string, by: string, comment: string, expiresAt: number | null): Promise<boolean> {
    const a = this.instance(id);
    if (!a) return false;
    const at = this.deps.clock.now();
    const t = acknowledge(a, by, comment, expiresAt, at);
    if (!t) return false;
    this.record(a, t);
    await this.flush(false);
    return true;
  }

  private async applyUnack(id: string, by: string): Promise<boolean> {
    const a = this.instance(id);
    if (!a) return false;
    const at = this.deps.clock.now();
    const t = unacknowledge(a, by, 'acknowledgement removed', at);
    if (!t) return false;
    this.record(a, t);
    await this.flush(false);
    return true;
  }

  private applySystem(at: number): void {
    const rt = this.runtimes.get(SYSTEM_RULE_ID);
    if (!rt || !this.deps.isLeader()) return;
    void rt.evaluate(at, this.onChange).then(() => this.scheduleFlush());
  }

  /** Rule runtimes (read-only use: status pages, tests). */
  ruleRuntimes(): ReadonlyMap<string, RuleRuntime> {
    return this.runtimes;
  }

  /** Severity of the most severe firing alert (for `/metrics`), or null. */
  firingCount(): Record<AlertSeverity, number> {
    const out: Record<AlertSeverity, number> = { critical: 0, warning: 0, info: 0 };
    for (const rt of this.runtimes.values()) for (const a of rt.instances.values()) if (a.state === 'firing') out[a.severity]++;
    return out;
  }
}
