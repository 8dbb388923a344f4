import type { AlertSeverity } from '../../protocol/alerting.js';
import { parseSelector } from '../../protocol/selector.js';
import type { Observation, RuleEvaluator, RuleSpecInfo } from './rule-type-registry.js';

/**
 * Vigil's alerts about itself (a notification channel keeps failing, …), evaluated like any rule
 * so they get the same lifecycle, routing, silences and delivery. `raise`/`clear` are idempotent.
 */
export class SystemAlerts {
  private readonly conditions = new Map<string, { labels: Record<string, string>; severity: AlertSeverity; summary: string; active: boolean }>();
  readonly info: RuleSpecInfo = { selector: parseSelector('{vigil_system="true"}'), thresholds: { warning: null, critical: null, recovery: null }, summary: 'Vigil self-monitoring' };
  readonly evaluator: RuleEvaluator;

  constructor(private readonly changed: (at: number) => void) {
    const conditions = this.conditions;
    this.evaluator = {
      historyMs: 0,
      observe: () => null,
      evaluate(): Observation[] {
        return [...conditions.entries()].map(([key, c]) => ({
          key,
          labels: c.labels,
          level: c.active ? c.severity : null,
          value: null,
          threshold: null,
          annotations: { summary: c.summary },
        }));
      },
    };
  }

  private key(name: string, labels: Record<string, string>): string {
    return JSON.stringify([name, Object.entries(labels).sort()]);
  }

  /** Raises (or keeps) alert `name` with `labels`. `at` is the current time, ms. */
  raise(name: string, labels: Record<string, string>, severity: AlertSeverity, summary: string, at: number): void {
    const key = this.key(name, labels);
    const prev = this.conditions.get(key);
    if (prev?.active && prev.severity === severity && prev.summary === summary) return;
    this.conditions.set(key, { labels: { ...labels, alertname: name, vigil_system: 'true' }, severity, summary, active: true });
    this.changed(at);
  }

  /** Re-registers a firing system alert loaded from storage after a restart, so `clear` can resolve it. */
  restore(key: string, labels: Record<string, string>, severity: AlertSeverity, summary: string): void {
    const { severity: _s, ...rest } = labels;
    this.conditions.set(key, { labels: rest, severity, summary, active: true });
  }

  /** Clears alert `name` with `labels` (resolves it). */
  clear(name: string, labels: Record<string, string>, at: number): void {
    const c = this.conditions.get(this.key(name, labels));
    if (!c || !c.active) return;
    c.active = false;
    this.changed(at);
  }
}
