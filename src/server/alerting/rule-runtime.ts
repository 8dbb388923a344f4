import type { AlertSeverity } from '../../protocol/alerting.js';
import type { Labels } from '../core/labels.js';
import type { TransitionRecord } from '../storage/alert-repo.js';
import { applyObservation, newAlert, type AlertInstance, type LifecycleSettings } from './alert-lifecycle.js';
import type { CompiledRule } from './alert-rule.js';
import type { Observation, RuleEvaluator } from './rule-type-registry.js';
import { defaultSuggestedFixes } from './suggested-fixes.js';

/** Receives each alert touched by an evaluation with the transitions it produced (maybe none). */
export type ChangeHandler = (alert: AlertInstance, transitions: TransitionRecord[]) => void;

/**
 * One rule's live state: its evaluator and its alert instances by candidate key. Shared by the
 * engine, the dry run and `vigil rules test`, so all three decide exactly alike.
 */
export class RuleRuntime {
  readonly instances = new Map<string, AlertInstance>();
  /** Last periodic evaluation, ms. */
  lastEvalAt = -Infinity;
  /** Severity of the active alert of a candidate, for the evaluators' hysteresis. */
  readonly active = (key: string): AlertSeverity | null => {
    const a = this.instances.get(key);
    return a && (a.state === 'firing' || a.state === 'pending') ? a.severity : null;
  };

  constructor(
    public rule: CompiledRule,
    readonly evaluator: RuleEvaluator,
    public settings: LifecycleSettings,
    /** System rules keep the `alertname` their observations carry. */
    private readonly system = false,
  ) {}

  /** Feeds one sample; applies the observation when the evaluator decides per sample. */
  observe(seriesKey: string, labels: Labels, ts: number, value: number, at: number, onChange: ChangeHandler): void {
    const obs = this.evaluator.observe(seriesKey, labels, ts, value, this.active);
    if (obs) this.apply(obs, at, onChange);
  }

  /** Periodic evaluation at `at`. */
  async evaluate(at: number, onChange: ChangeHandler): Promise<void> {
    this.lastEvalAt = at;
    const result = this.evaluator.evaluate(at, this.active);
    for (const obs of Array.isArray(result) ? result : await result) this.apply(obs, at, onChange);
  }

  /** Called with every observation before it is applied (dry-run charts). */
  onObservation: ((obs: Observation, at: number) => void) | null = null;

  /** Applies one observation to its alert (created on first need). */
  apply(obs: Observation, at: number, onChange: ChangeHandler): void {
    this.onObservation?.(obs, at);
    let a = this.instances.get(obs.key);
    if (!a) {
      if (obs.level === null || obs.level === 'nodata') return;
      a = newAlert(this.rule.record.id, obs, this.labelsFor(obs.labels), at);
      a.annotations = this.annotationsFor(obs);
      this.instances.set(obs.key, a);
    }
    const transitions = applyObservation(a, obs, this.settings, at);
    if (a.labels.severity !== a.severity) a.labels = { ...a.labels, severity: a.severity };
    if (obs.annotations) a.annotations = { ...a.annotations, ...obs.annotations };
    a.updatedAt = at;
    onChange(a, transitions);
  }

  /** Alert labels: candidate labels, then rule labels, then `alertname` (and `severity`, set on apply). */
  labelsFor(candidate: Labels): Record<string, string> {
    const r = this.rule.record;
    const alertname = this.system && candidate.alertname ? candidate.alertname : r.name;
    return { ...candidate, ...r.labels, alertname, severity: 'info' };
  }

  /** Annotations from the rule: summary, description, runbook and suggested fixes. */
  annotationsFor(obs: Observation): Record<string, string> {
    const r = this.rule.record;
    const out: Record<string, string> = { summary: `${r.name}: ${this.rule.info.summary}` };
    if (r.description) out.description = r.description;
    if (r.runbookUrl) out.runbook_url = r.runbookUrl;
    const fixes = r.suggestedFixes ?? defaultSuggestedFixes(r.type, this.rule.info.selector.metric);
    if (fixes) out.suggested_fixes = fixes;
    if (this.rule.info.selector.metric) out.metric = this.rule.info.selector.metric;
    return { ...out, ...(obs.annotations ?? {}) };
  }

  /** Re-labels and re-annotates every instance after the rule changed (name, labels, texts). */
  refreshInstances(): void {
    for (const a of this.instances.values()) {
      const candidate: Record<string, string> = {};
      for (const [k, v] of Object.entries(a.labels)) if (k !== 'alertname' && k !== 'severity') candidate[k] = v;
      a.labels = { ...this.labelsFor(candidate), severity: a.severity };
      a.annotations = this.annotationsFor({ key: a.key, labels: candidate, level: null, value: a.value, threshold: a.threshold });
    }
  }
}
