import type { Selector } from '../../../protocol/selector.js';
import { seriesKey, type Labels } from '../../core/labels.js';
import type { ActiveLevel, HistoryReader, Observation, RuleEvaluator, RuleType } from '../rule-type-registry.js';
import { SeriesWindow } from '../series-window.js';
import { durationText, levelFor, readThresholds, selectorText, SpecReader, type Thresholds } from './spec-fields.js';

/** Normalized spec of a rate-of-change rule. */
export interface RateOfChangeSpec extends Thresholds {
  selector: Selector;
  /** Window the trend is fitted over, ms (default 1 h). */
  windowMs: number;
  /** `percent`: change relative to the window's mean; `absolute`: change in the metric's unit. */
  mode: 'percent' | 'absolute';
  /** The change is expressed per this duration, ms (default 1 h): "disk grows > 5 %/h". */
  perMs: number;
}

/**
 * Least-squares slope of values over time (units per ms), or null with fewer than 3 samples or
 * when they cover less than a quarter of the window (too little to call it a trend).
 */
export function fittedSlope(ts: readonly number[], values: readonly number[], windowMs: number): number | null {
  const n = ts.length;
  if (n < 3 || (ts[n - 1] as number) - (ts[0] as number) < windowMs / 4) return null;
  let mt = 0;
  let mv = 0;
  for (let i = 0; i < n; i++) {
    mt += ts[i] as number;
    mv += values[i] as number;
  }
  mt /= n;
  mv /= n;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    const dt = (ts[i] as number) - mt;
    num += dt * ((values[i] as number) - mv);
    den += dt * dt;
  }
  return den === 0 ? null : num / den;
}

class RateOfChangeEvaluator implements RuleEvaluator {
  readonly historyMs: number;
  private readonly series = new Map<string, { labels: Labels; window: SeriesWindow }>();

  constructor(private readonly spec: RateOfChangeSpec) {
    this.historyMs = spec.windowMs;
  }

  private add(key: string, labels: Labels, ts: number, value: number): void {
    let s = this.series.get(key);
    if (!s) this.series.set(key, (s = { labels, window: new SeriesWindow(this.spec.windowMs, 16) }));
    s.window.push(ts, value);
  }

  async backfill(history: HistoryReader, at: number): Promise<void> {
    for (const s of await history.readRaw(this.spec.selector, at - this.historyMs, at + 1)) {
      for (let i = 0; i < s.ts.length; i++) this.add(seriesKey(s.metric, s.labels), s.labels, s.ts[i] as number, s.values[i] as number);
    }
  }

  observe(key: string, labels: Labels, ts: number, value: number): null {
    this.add(key, labels, ts, value);
    return null;
  }

  evaluate(at: number, active: ActiveLevel): Observation[] {
    const out: Observation[] = [];
    for (const [key, s] of this.series) {
      s.window.evict(at);
      if (s.window.length === 0 && active(key) === null) {
        this.series.delete(key);
        continue;
      }
      const change = this.change(s.window);
      if (change === null) {
        out.push({ key, labels: s.labels, level: 'nodata', value: null, threshold: null });
        continue;
      }
      const { level, threshold } = levelFor(this.spec, change, active(key));
      out.push({ key, labels: s.labels, level, value: change, threshold });
    }
    return out;
  }

  private change(w: SeriesWindow): number | null {
    const { ts, values } = w.toArrays();
    const slope = fittedSlope(ts, values, this.spec.windowMs);
    if (slope === null) return null;
    if (this.spec.mode === 'absolute') return slope * this.spec.perMs;
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    return mean === 0 ? null : ((slope * this.spec.perMs) / Math.abs(mean)) * 100;
  }
}

/** Rate-of-change rules, e.g. "disk usage grows more than 5 % per hour". */
export const rateOfChangeRule: RuleType<RateOfChangeSpec> = {
  type: 'rate_of_change',
  title: 'Rate of change',
  parseSpec(raw) {
    const r = new SpecReader(raw, ['selector', 'window', 'mode', 'per', 'op', 'warning', 'critical', 'recovery']);
    const selector = r.selector();
    const windowMs = r.duration('window', 3_600_000, 60_000, 7 * 86_400_000);
    const mode = r.choice('mode', ['percent', 'absolute'] as const, 'percent');
    const perMs = r.duration('per', 3_600_000, 1000, 7 * 86_400_000);
    return { selector, windowMs, mode, perMs, ...readThresholds(r) };
  },
  printSpec(s) {
    const out: Record<string, unknown> = { selector: selectorText(s.selector), window: durationText(s.windowMs), mode: s.mode, per: durationText(s.perMs), op: s.op };
    if (s.warning !== null) out.warning = s.warning;
    if (s.critical !== null) out.critical = s.critical;
    if (s.recovery !== null) out.recovery = s.recovery;
    return out;
  },
  info(s) {
    const unit = s.mode === 'percent' ? `%/${durationText(s.perMs)}` : `/${durationText(s.perMs)}`;
    const levels = [s.critical !== null ? `critical ${s.op} ${s.critical}${unit}` : null, s.warning !== null ? `warning ${s.op} ${s.warning}${unit}` : null].filter(Boolean).join(', ');
    return { selector: s.selector, thresholds: { warning: s.warning, critical: s.critical, recovery: s.recovery }, summary: `change of ${selectorText(s.selector)} over ${durationText(s.windowMs)}: ${levels}` };
  },
  createEvaluator: (spec) => new RateOfChangeEvaluator(spec),
};
