import type { AlertSeverity } from '../../../protocol/alerting.js';
import type { Selector } from '../../../protocol/selector.js';
import type { Labels } from '../../core/labels.js';
import type { ActiveLevel, EvaluatorContext, HistoryReader, Observation, RuleEvaluator, RuleType } from '../rule-type-registry.js';
import { durationText, selectorText, SpecReader } from './spec-fields.js';

/** Normalized spec of an absence (heartbeat) rule. */
export interface AbsenceSpec {
  selector: Selector;
  /** Silence longer than this fires, ms (default 5 min). */
  afterMs: number;
  /** Labels that identify one source (default `host`): one alert per source that went silent. */
  by: string[];
}

class AbsenceEvaluator implements RuleEvaluator {
  readonly historyMs = 0;
  private readonly lastSeen = new Map<string, { labels: Labels; ts: number }>();

  constructor(
    private readonly spec: AbsenceSpec,
    private readonly severity: AlertSeverity,
    private readonly startedAt: number,
  ) {}

  private group(labels: Labels): { key: string; labels: Labels } {
    const g: Record<string, string> = {};
    for (const n of this.spec.by) if (labels[n] !== undefined) g[n] = labels[n] as string;
    return { key: JSON.stringify(this.spec.by.map((n) => g[n] ?? '')), labels: g };
  }

  private see(labels: Labels, ts: number): string {
    const g = this.group(labels);
    const prev = this.lastSeen.get(g.key);
    if (!prev || ts > prev.ts) this.lastSeen.set(g.key, { labels: g.labels, ts });
    return g.key;
  }

  async backfill(history: HistoryReader): Promise<void> {
    for (const s of await history.latest(this.spec.selector)) this.see(s.labels, s.ts);
  }

  observe(_seriesKey: string, labels: Labels, ts: number, _value: number, active: ActiveLevel): Observation | null {
    const key = this.see(labels, ts);
    // A source that comes back resolves at once instead of at the next interval.
    if (active(key) === null) return null;
    const seen = this.lastSeen.get(key) as { labels: Labels; ts: number };
    return { key, labels: seen.labels, level: null, value: 0, threshold: this.spec.afterMs / 1000 };
  }

  evaluate(at: number): Observation[] {
    if (this.lastSeen.size === 0) this.expectFromMatchers();
    const out: Observation[] = [];
    for (const [key, s] of this.lastSeen) {
      // Silence from before the engine started is not the source's fault (server downtime).
      const silentMs = at - Math.max(s.ts, this.startedAt);
      out.push({ key, labels: s.labels, level: silentMs >= this.spec.afterMs ? this.severity : null, value: Math.max(0, Math.round(silentMs / 1000)), threshold: this.spec.afterMs / 1000 });
    }
    return out;
  }

  /** With no series at all, a selector naming its source (`{host="db-1"}`) still expects one. */
  private expectFromMatchers(): void {
    const eq: Record<string, string> = {};
    for (const m of this.spec.selector.matchers) if (m.op === '=' && m.value !== '') eq[m.name] = m.value;
    if (this.spec.by.every((n) => eq[n] !== undefined)) this.see(eq, -Infinity);
  }
}

/** Absence / heartbeat rules: a source (agent, series, check) has sent nothing for a while. */
export const absenceRule: RuleType<AbsenceSpec> = {
  type: 'absence',
  title: 'Absence (heartbeat)',
  parseSpec(raw) {
    const r = new SpecReader(raw, ['selector', 'after', 'by']);
    return { selector: r.selector(), afterMs: r.duration('after', 5 * 60_000, 10_000), by: r.labelNames('by', ['host']) };
  },
  printSpec: (s) => ({ selector: selectorText(s.selector), after: durationText(s.afterMs), by: s.by }),
  info: (s) => ({
    selector: s.selector,
    thresholds: { warning: null, critical: null, recovery: null },
    summary: `no samples of ${selectorText(s.selector)} for ${durationText(s.afterMs)} (per ${s.by.join(', ') || 'rule'})`,
  }),
  createEvaluator: (spec, ctx: EvaluatorContext) => new AbsenceEvaluator(spec, ctx.severity, ctx.startedAt),
};
