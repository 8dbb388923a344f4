import type { AlertSeverity } from '../../../protocol/alerting.js';
import type { Selector } from '../../../protocol/selector.js';
import { formatDuration } from '../../../protocol/duration.js';
import { createForecastRegistry, ForecastInputError, fromGrid, lastValue, timeToThreshold, type FittedModel, type Forecast, type ThresholdCrossing } from '../../forecast/index.js';
import { errors } from '../../core/errors.js';
import type { ActiveLevel, EvaluatorContext, HistoryReader, Observation, RuleEvaluator, RuleType } from '../rule-type-registry.js';
import { GridSeriesState } from './grid-series-state.js';
import { durationText, selectorText, SpecReader } from './spec-fields.js';

/** Bands a forecast rule can test: the point forecast, or the 80 % / 95 % bound on the threshold's side. */
export const FORECAST_BANDS = ['mean', '80', '95'] as const;

/** Normalized spec of a forecast (predictive) rule. */
export interface ForecastRuleSpec {
  selector: Selector;
  /** Forecast model (registry name, default `linear`). */
  model: string;
  threshold: number;
  /** `>`: fire when the forecast rises to the threshold; `<`: when it falls to it. */
  op: '>' | '<';
  /** Which line must cross: `95` (default: the earliest plausible crossing), `80` or `mean`. */
  band: (typeof FORECAST_BANDS)[number];
  /** Look-ahead, ms (default 24 h, at most 7 d). */
  horizonMs: number;
  /** History the model is fitted on, ms (default 24 h, at most 14 d). */
  historyMs: number;
  /** Grid step, ms (default 5 min, 1 min .. 1 h). */
  stepMs: number;
}

/** Forecast rules are evaluated at most once a minute (a fit costs milliseconds to seconds). */
export const FORECAST_RULE_MIN_INTERVAL_MS = 60_000;
/** A cached fit's parameters are re-optimised this often; in between, the fit is warm-started (ms). */
export const REOPTIMISE_MS = 3_600_000;
/** Most grid points a rule fits per series. */
const MAX_GRID_POINTS = 5000;

const models = createForecastRegistry();

interface FitCache {
  fit: FittedModel;
  optimisedAt: number;
}

function iso(ts: number): string {
  return new Date(ts).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function fmt(v: number): string {
  return String(Math.round(v * 100) / 100);
}

/** Index of the forecast step at or after a crossing (for the expected value and band there). */
function stepAt(fc: Forecast, c: ThresholdCrossing): number {
  return Math.min(fc.mean.length - 1, Math.max(0, Math.ceil(c.inMs / fc.stepMs) - 1));
}

class ForecastEvaluator implements RuleEvaluator {
  readonly historyMs: number;
  private readonly state: GridSeriesState<FitCache>;
  private readonly horizonSteps: number;

  constructor(
    private readonly spec: ForecastRuleSpec,
    private readonly severity: AlertSeverity,
  ) {
    this.historyMs = spec.historyMs;
    this.state = new GridSeriesState(spec.stepMs, Math.ceil(spec.historyMs / spec.stepMs) + 1);
    this.horizonSteps = Math.max(1, Math.ceil(spec.horizonMs / spec.stepMs));
  }

  observe(key: string, labels: Record<string, string>, ts: number, value: number): null {
    this.state.push(key, labels, ts, value);
    return null;
  }

  async backfill(history: HistoryReader, at: number): Promise<void> {
    await this.state.backfill(history, this.spec.selector, at, this.historyMs);
  }

  /** Fits (warm-started from the cached fit between re-optimisations) and forecasts. */
  private fit(cache: FitCache | null, t0: number, y: Float64Array, at: number): FitCache {
    const series = fromGrid(t0, this.spec.stepMs, y);
    if (cache && at - cache.optimisedAt < REOPTIMISE_MS && cache.fit.warmStart) {
      return { fit: models.get(cache.fit.model).fit(series, cache.fit.warmStart), optimisedAt: cache.optimisedAt };
    }
    return { fit: models.get(this.spec.model).fit(series), optimisedAt: at };
  }

  evaluate(at: number, active: ActiveLevel): Observation[] {
    const out: Observation[] = [];
    const staleMs = Math.max(3 * this.spec.stepMs, 10 * 60_000);
    for (const [key, e] of this.state.series) {
      if (!this.state.keepOrForget(key, e, at, this.historyMs, active)) continue;
      const base = { key, labels: e.labels, threshold: this.spec.threshold };
      if (e.grid.newestTs < at - staleMs) {
        out.push({ ...base, level: 'nodata', value: null });
        continue;
      }
      const { t0, y } = e.grid.read(at, this.historyMs);
      let fc: Forecast;
      let last: number;
      try {
        e.cache = this.fit(e.cache, t0, y, at);
        fc = e.cache.fit.forecast(this.horizonSteps);
        last = lastValue(fromGrid(t0, this.spec.stepMs, y));
      } catch (err) {
        // Too little history yet (new series, gaps): nothing to judge, not an error of the rule.
        if (err instanceof ForecastInputError) {
          out.push({ ...base, level: 'nodata', value: null });
          continue;
        }
        throw err;
      }
      out.push(this.judge(base, fc, last, e.cache.fit));
    }
    return out;
  }

  private judge(base: { key: string; labels: Record<string, string>; threshold: number }, fc: Forecast, last: number, fit: FittedModel): Observation {
    const up = this.spec.op === '>';
    const t = timeToThreshold(fc, this.spec.threshold, last, up ? 'above' : 'below');
    const crossing = this.spec.band === '95' ? t.earliest : this.spec.band === '80' ? t.earliest80 : t.mean;
    const annotations: Record<string, string> = { forecast_model: fit.spec, forecast_horizon: durationText(this.spec.horizonMs) };
    if (crossing === null) return { ...base, level: null, value: last, annotations };
    const i = stepAt(fc, crossing);
    const lo = this.spec.band === '80' ? fc.lower80[i] : fc.lower95[i];
    const hi = this.spec.band === '80' ? fc.upper80[i] : fc.upper95[i];
    const level = this.spec.band === 'mean' ? 'mean' : `${this.spec.band} %`;
    Object.assign(annotations, {
      predicted_crossing: iso(crossing.ts),
      crossing_in: formatDuration(Math.max(60_000, Math.round(crossing.inMs / 60_000) * 60_000)),
      expected_value: fmt(fc.mean[i] as number),
      band_lower: fmt(lo as number),
      band_upper: fmt(hi as number),
      band_level: level,
      explanation:
        `${fit.spec} forecast (${level === 'mean' ? 'point forecast' : `${level} band`}) reaches ${fmt(this.spec.threshold)} at ${iso(crossing.ts)}, in ${formatDuration(Math.max(60_000, Math.round(crossing.inMs / 60_000) * 60_000))}; ` +
        `expected value then ${fmt(fc.mean[i] as number)} (band ${fmt(lo as number)} .. ${fmt(hi as number)}), now ${fmt(last)}` +
        (t.mean ? `; the point forecast crosses at ${iso(t.mean.ts)}.` : '; the point forecast stays on the safe side within the horizon.'),
    });
    return { ...base, level: this.severity, value: last, annotations };
  }
}

/**
 * Forecast (predictive) rules: fit a forecast model to each series' recent history and fire when
 * the chosen band crosses the threshold within the horizon ("disk full within 24 h").
 */
export const forecastRule: RuleType<ForecastRuleSpec> = {
  type: 'forecast',
  title: 'Forecast (predicted threshold crossing)',
  minIntervalMs: FORECAST_RULE_MIN_INTERVAL_MS,
  parseSpec(raw) {
    const r = new SpecReader(raw, ['selector', 'model', 'threshold', 'op', 'band', 'horizon', 'history', 'step']);
    const selector = r.selector();
    const model = r.choice('model', models.names(), 'linear');
    const threshold = r.number('threshold');
    const op = r.choice('op', ['>', '<'] as const, '>');
    const band = r.choice('band', FORECAST_BANDS, '95');
    const stepMs = r.duration('step', 5 * 60_000, 60_000, 3_600_000);
    const horizonMs = r.duration('horizon', 86_400_000, stepMs, 7 * 86_400_000);
    const historyMs = r.duration('history', 86_400_000, 3_600_000, 14 * 86_400_000);
    if (historyMs / stepMs > MAX_GRID_POINTS) throw errors.validation(`spec.history covers ${Math.ceil(historyMs / stepMs)} steps of spec.step; at most ${MAX_GRID_POINTS}: raise spec.step`, { field: 'spec.history' });
    if (historyMs < stepMs * 10) throw errors.validation('spec.history must cover at least 10 steps of spec.step', { field: 'spec.history' });
    return { selector, model, threshold, op, band, horizonMs, historyMs, stepMs };
  },
  printSpec: (s) => ({ selector: selectorText(s.selector), model: s.model, threshold: s.threshold, op: s.op, band: s.band, horizon: durationText(s.horizonMs), history: durationText(s.historyMs), step: durationText(s.stepMs) }),
  info: (s) => ({
    selector: s.selector,
    thresholds: { warning: null, critical: null, recovery: null },
    summary: `${s.model} forecast (${s.band === 'mean' ? 'point forecast' : `${s.band} % band`}) of ${selectorText(s.selector)} ${s.op} ${s.threshold} within ${durationText(s.horizonMs)}`,
  }),
  createEvaluator: (spec, ctx: EvaluatorContext) => new ForecastEvaluator(spec, ctx.severity),
};
