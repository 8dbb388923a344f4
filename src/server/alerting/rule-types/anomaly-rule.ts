import type { AlertSeverity } from '../../../protocol/alerting.js';
import type { Selector } from '../../../protocol/selector.js';
import { createForecasting, ForecastInputError, fromGrid, type AnomalyResult, type PreparedSeries } from '../../forecast/index.js';
import { errors } from '../../core/errors.js';
import type { ActiveLevel, EvaluatorContext, HistoryReader, Observation, RuleEvaluator, RuleType } from '../rule-type-registry.js';
import { GridSeriesState } from './grid-series-state.js';
import { durationText, selectorText, SpecReader } from './spec-fields.js';

/** Detectors of anomaly rules (API names; `seasonal` = same hour-of-week/day, `residual` = forecast residual). */
export const ANOMALY_RULE_DETECTORS = ['robust-z', 'seasonal', 'residual'] as const;
type DetectorName = (typeof ANOMALY_RULE_DETECTORS)[number];

/** Normalized spec of an anomaly rule. */
export interface AnomalyRuleSpec {
  selector: Selector;
  detector: DetectorName;
  /** Score threshold k (default 3.5). */
  k: number;
  /** Smallest |value − expected| that can be anomalous, series unit (default 0; set it for flat series). */
  minAbsDeviation: number;
  /** `both` (default), `above` (only spikes) or `below` (only dips). */
  direction: 'both' | 'above' | 'below';
  /** Grid step, ms (default 1 min for robust-z, 5 min otherwise). */
  stepMs: number;
  /** History the detector sees, ms (default 2 h robust-z, 8 d seasonal, 1 d residual). */
  historyMs: number;
}

/** Most grid points per series an anomaly rule scores at each evaluation. */
const MAX_GRID_POINTS = 20_000;

const { detectors } = createForecasting();

const REGISTRY_NAME: Record<DetectorName, string> = { 'robust-z': 'robust-z', seasonal: 'seasonal-baseline', residual: 'forecast-residual' };
const DEFAULT_HISTORY_MS: Record<DetectorName, number> = { 'robust-z': 2 * 3_600_000, seasonal: 8 * 86_400_000, residual: 86_400_000 };

function fmt(v: number): string {
  return String(Math.round(v * 1000) / 1000);
}

/** Index of the newest judged point (finite score), or -1. */
function newestJudged(r: AnomalyResult): number {
  for (let i = r.score.length - 1; i >= 0; i--) if (Number.isFinite(r.score[i] as number)) return i;
  return -1;
}

class AnomalyEvaluator implements RuleEvaluator {
  readonly historyMs: number;
  private readonly state: GridSeriesState<null>;

  constructor(
    private readonly spec: AnomalyRuleSpec,
    private readonly severity: AlertSeverity,
  ) {
    this.historyMs = spec.historyMs;
    this.state = new GridSeriesState(spec.stepMs, Math.ceil(spec.historyMs / spec.stepMs) + 1);
  }

  observe(key: string, labels: Record<string, string>, ts: number, value: number): null {
    this.state.push(key, labels, ts, value);
    return null;
  }

  async backfill(history: HistoryReader, at: number): Promise<void> {
    await this.state.backfill(history, this.spec.selector, at, this.historyMs);
  }

  evaluate(at: number, active: ActiveLevel): Observation[] {
    const out: Observation[] = [];
    const staleMs = Math.max(3 * this.spec.stepMs, 10 * 60_000);
    for (const [key, e] of this.state.series) {
      if (!this.state.keepOrForget(key, e, at, this.historyMs, active)) continue;
      if (e.grid.newestTs < at - staleMs) {
        out.push({ key, labels: e.labels, level: 'nodata', value: null, threshold: null });
        continue;
      }
      const { t0, y } = e.grid.read(at, this.historyMs);
      let r: AnomalyResult;
      let prepared: PreparedSeries;
      try {
        prepared = fromGrid(t0, this.spec.stepMs, y);
        r = detectors.get(REGISTRY_NAME[this.spec.detector]).detect(prepared, { threshold: this.spec.k, minAbsDeviation: this.spec.minAbsDeviation });
      } catch (err) {
        // Not enough history for the detector yet: nothing to judge.
        if (err instanceof ForecastInputError) {
          out.push({ key, labels: e.labels, level: 'nodata', value: null, threshold: null });
          continue;
        }
        throw err;
      }
      out.push(this.judge(key, e.labels, r, prepared.y));
    }
    return out;
  }

  private judge(key: string, labels: Record<string, string>, r: AnomalyResult, y: Float64Array): Observation {
    const i = newestJudged(r);
    // Warm-up (e.g. the first week of a seasonal baseline): normal, not "no data".
    if (i < 0) return { key, labels, level: null, value: null, threshold: null };
    const score = r.score[i] as number;
    const value = y[i] as number;
    const expected = r.expected[i] as number;
    const lower = r.lower[i] as number;
    const upper = r.upper[i] as number;
    const sideOk = this.spec.direction === 'both' || (this.spec.direction === 'above' ? score > 0 : score < 0);
    const anomalous = Math.abs(score) >= this.spec.k && sideOk;
    const annotations: Record<string, string> = {
      detector: this.spec.detector,
      anomaly_score: fmt(score),
      expected_value: fmt(expected),
      band_lower: fmt(lower),
      band_upper: fmt(upper),
    };
    if (anomalous) {
      annotations.explanation =
        `${fmt(value)} is ${score > 0 ? 'above' : 'below'} the expected band ${fmt(lower)} .. ${fmt(upper)} (expected ${fmt(expected)}; ${r.spec}); ` +
        `anomaly score ${fmt(score)} vs k = ${this.spec.k} (${this.spec.detector} detector, deviations under ${fmt(this.spec.minAbsDeviation)} never count).`;
    }
    return { key, labels, level: anomalous ? this.severity : null, value, threshold: score > 0 ? upper : lower, annotations };
  }
}

/**
 * Anomaly rules: score each series' newest point against its expected band (rolling robust
 * z-score, seasonal baseline or forecast residual) and fire while |score| ≥ k (the rule's `for`
 * makes it "for that long"); `minAbsDeviation` keeps flat series from alerting on noise.
 */
export const anomalyRule: RuleType<AnomalyRuleSpec> = {
  type: 'anomaly',
  title: 'Anomaly (outside the expected band)',
  parseSpec(raw) {
    const r = new SpecReader(raw, ['selector', 'detector', 'k', 'minAbsDeviation', 'direction', 'step', 'history']);
    const selector = r.selector();
    const detector = r.choice('detector', ANOMALY_RULE_DETECTORS, 'robust-z');
    const k = r.number('k', { optional: true }) ?? 3.5;
    if (k < 0.5 || k > 1000) throw errors.validation('spec.k must be between 0.5 and 1000', { field: 'spec.k' });
    const minAbsDeviation = r.number('minAbsDeviation', { optional: true }) ?? 0;
    if (minAbsDeviation < 0) throw errors.validation('spec.minAbsDeviation must be ≥ 0', { field: 'spec.minAbsDeviation' });
    const direction = r.choice('direction', ['both', 'above', 'below'] as const, 'both');
    const stepMs = r.duration('step', detector === 'robust-z' ? 60_000 : 300_000, 10_000, 3_600_000);
    const historyMs = r.duration('history', DEFAULT_HISTORY_MS[detector], 10 * stepMs, 35 * 86_400_000);
    if (historyMs / stepMs > MAX_GRID_POINTS) throw errors.validation(`spec.history covers ${Math.ceil(historyMs / stepMs)} steps of spec.step; at most ${MAX_GRID_POINTS}: raise spec.step`, { field: 'spec.history' });
    return { selector, detector, k, minAbsDeviation, direction, stepMs, historyMs };
  },
  printSpec: (s) => ({ selector: selectorText(s.selector), detector: s.detector, k: s.k, minAbsDeviation: s.minAbsDeviation, direction: s.direction, step: durationText(s.stepMs), history: durationText(s.historyMs) }),
  info: (s) => ({
    selector: s.selector,
    thresholds: { warning: null, critical: null, recovery: null },
    summary: `${selectorText(s.selector)} outside its expected band (${s.detector}, |score| ≥ ${s.k}${s.minAbsDeviation > 0 ? `, deviation ≥ ${s.minAbsDeviation}` : ''}${s.direction === 'both' ? '' : `, ${s.direction} only`})`,
  }),
  createEvaluator: (spec, ctx: EvaluatorContext) => new AnomalyEvaluator(spec, ctx.severity),
};
