import type { Selector } from '../../../protocol/selector.js';
import { seriesKey, type Labels } from '../../core/labels.js';
import type { ActiveLevel, HistoryReader, Observation, RuleEvaluator, RuleType } from '../rule-type-registry.js';
import { SeriesWindow, WINDOW_AGGREGATIONS, type WindowAggregation } from '../series-window.js';
import { durationText, levelFor, readThresholds, selectorText, SpecReader, type Thresholds } from './spec-fields.js';

/** Normalized spec of a threshold rule. */
export interface ThresholdSpec extends Thresholds {
  selector: Selector;
  aggregation: WindowAggregation;
  /** Aggregation window, ms (default 5 min; unused by `last`). */
  windowMs: number;
}

/** A series with no sample for this long (ms, at least the window) has no data. */
export const STALE_AFTER_MS = 5 * 60_000;
/** Per-series state is forgotten after this long without samples (ms) unless an alert is active. */
const FORGET_AFTER_MS = 3_600_000;

class ThresholdEvaluator implements RuleEvaluator {
  readonly historyMs: number;
  private readonly staleMs: number;
  private readonly series = new Map<string, { labels: Labels; window: SeriesWindow }>();

  constructor(private readonly spec: ThresholdSpec) {
    this.staleMs = Math.max(spec.windowMs, STALE_AFTER_MS);
    this.historyMs = spec.aggregation === 'last' ? this.staleMs : spec.windowMs;
  }

  private span(): number {
    return this.spec.aggregation === 'last' ? 1 : this.spec.windowMs;
  }

  private judge(key: string, labels: Labels, window: SeriesWindow, active: ActiveLevel): Observation {
    const value = window.aggregate(this.spec.aggregation);
    if (value === null) return { key, labels, level: 'nodata', value: null, threshold: null };
    const { level, threshold } = levelFor(this.spec, value, active(key));
    return { key, labels, level, value, threshold };
  }

  observe(key: string, labels: Labels, ts: number, value: number, active: ActiveLevel): Observation {
    let s = this.series.get(key);
    if (!s) this.series.set(key, (s = { labels, window: new SeriesWindow(this.span(), this.spec.aggregation === 'last' ? 2 : 8) }));
    s.window.push(ts, value);
    return this.judge(key, s.labels, s.window, active);
  }

  async backfill(history: HistoryReader, at: number): Promise<void> {
    for (const s of await history.readRaw(this.spec.selector, at - this.historyMs, at + 1)) {
      const key = seriesKey(s.metric, s.labels);
      let entry = this.series.get(key);
      if (!entry) this.series.set(key, (entry = { labels: s.labels, window: new SeriesWindow(this.span(), 8) }));
      for (let i = 0; i < s.ts.length; i++) entry.window.push(s.ts[i] as number, s.values[i] as number);
    }
  }

  evaluate(at: number, active: ActiveLevel): Observation[] {
    const out: Observation[] = [];
    for (const [key, s] of this.series) {
      const newest = s.window.newestTs;
      if (newest < at - this.staleMs) {
        if (newest < at - FORGET_AFTER_MS && active(key) === null) this.series.delete(key);
        else out.push({ key, labels: s.labels, level: 'nodata', value: null, threshold: null });
        continue;
      }
      if (this.spec.aggregation !== 'last') s.window.evict(at);
      out.push(this.judge(key, s.labels, s.window, active));
    }
    return out;
  }
}

/** Threshold rules: an aggregation of each matching series over a window compared with warning/critical levels. */
export const thresholdRule: RuleType<ThresholdSpec> = {
  type: 'threshold',
  title: 'Threshold',
  parseSpec(raw) {
    const r = new SpecReader(raw, ['selector', 'aggregation', 'window', 'op', 'warning', 'critical', 'recovery']);
    const selector = r.selector();
    const aggregation = r.choice('aggregation', WINDOW_AGGREGATIONS, 'last');
    const windowMs = r.duration('window', 5 * 60_000, 1000, 7 * 86_400_000);
    return { selector, aggregation, windowMs, ...readThresholds(r) };
  },
  printSpec(s) {
    const out: Record<string, unknown> = { selector: selectorText(s.selector), aggregation: s.aggregation, op: s.op };
    if (s.aggregation !== 'last') out.window = durationText(s.windowMs);
    if (s.warning !== null) out.warning = s.warning;
    if (s.critical !== null) out.critical = s.critical;
    if (s.recovery !== null) out.recovery = s.recovery;
    return out;
  },
  info(s) {
    const what = s.aggregation === 'last' ? selectorText(s.selector) : `${s.aggregation}(${durationText(s.windowMs)}) of ${selectorText(s.selector)}`;
    const levels = [s.critical !== null ? `critical ${s.op} ${s.critical}` : null, s.warning !== null ? `warning ${s.op} ${s.warning}` : null].filter(Boolean).join(', ');
    return { selector: s.selector, thresholds: { warning: s.warning, critical: s.critical, recovery: s.recovery }, summary: `${what}: ${levels}` };
  },
  createEvaluator: (spec) => new ThresholdEvaluator(spec),
};
