import { rollingOriginBacktest } from '../backtest/rolling-origin-backtest.js';
import { badOption, ForecastInputError, tooShort } from '../forecast-input-error.js';
import type { CandidateScore, FittedModel, ForecastModel, ModelOptions, ModelSelection } from '../forecast-model.js';
import { OptionReader } from '../option-reader.js';
import type { PreparedSeries } from '../prepare-series.js';

/** Options of the `auto` model. */
export interface AutoOptions {
  /** Candidate model names (default: every other registered model, in registry order). */
  candidates?: readonly string[];
  /** Options per candidate, e.g. `{ "holt-winters": { "damped": true } }`. */
  candidateOptions?: Readonly<Record<string, ModelOptions>>;
  /**
   * Backtest horizon in steps: set it to the horizon you will forecast. Default
   * ⌊n / (folds + 2)⌋ capped at 2880, so the first origin keeps ≥ 2 horizons of history.
   */
  horizon?: number;
  /** Backtest origins (default 3). */
  folds?: number;
  /**
   * Steps between origins. Default: the horizon, shortened so the earliest origin still trains
   * on at least half the series (a fold with a day of history says little about a model that
   * will be fitted on a week).
   */
  stride?: number;
  /** Selection metric (default `mae`). */
  metric?: 'mae' | 'rmse' | 'smape';
}

/** What `auto` needs from its registry: the candidates, in order. */
export interface CandidateSource {
  list(): ForecastModel[];
}

/** Fewest finite points `auto` accepts (a backtest needs history and held-out data). */
export const AUTO_MIN_POINTS = 10;

/**
 * The `auto` model: backtests every candidate with a rolling origin on the series itself, picks
 * the lowest pooled error (MAE by default; ties go to the earlier, simpler candidate), refits the
 * winner on the whole series and returns that fit with a {@link ModelSelection} explaining the
 * choice. Candidates that cannot be fitted (too short for a seasonal model …) are listed with the
 * reason and skipped.
 */
export function createAutoModel(source: CandidateSource): ForecastModel {
  const model: ForecastModel = {
    name: 'auto',
    description: 'Picks the model with the lowest rolling-origin backtest error on this series, and says why.',
    fit(series: PreparedSeries, options?: ModelOptions): FittedModel {
      return fitAuto(series, source.list().filter((m) => m !== model), readAutoOptions(options));
    },
  };
  return model;
}

/** Runs the selection among `candidates` (see {@link createAutoModel}). */
export function fitAuto(series: PreparedSeries, candidates: readonly ForecastModel[], o: AutoOptions): FittedModel {
  const n = series.y.length;
  if (series.observed < AUTO_MIN_POINTS) tooShort('auto', AUTO_MIN_POINTS, series.observed);
  const folds = o.folds ?? 3;
  const horizon = o.horizon ?? Math.max(1, Math.min(2880, Math.floor(n / (folds + 2))));
  if (horizon * 2 >= n) tooShort('auto', 2 * horizon + 1, series.observed, `backtest horizon ${horizon}`);
  const metric = o.metric ?? 'mae';
  const chosenCandidates = o.candidates ? o.candidates.map((name) => pick(candidates, name)) : candidates;
  const stride = o.stride ?? defaultStride(n, horizon, folds);
  const scores: CandidateScore[] = [];
  for (const cand of chosenCandidates) {
    const opts = o.candidateOptions?.[cand.name];
    const bt = rollingOriginBacktest(series, cand, opts === undefined ? { horizon, folds, stride } : { horizon, folds, stride, options: opts });
    const failed = bt.folds.find((f) => f.error !== undefined)?.error;
    const score: CandidateScore = {
      model: cand.name,
      mae: bt.mae,
      rmse: bt.rmse,
      smape: bt.smape,
      coverage80: bt.coverage80,
      coverage95: bt.coverage95,
      points: bt.points,
    };
    if (bt.points === 0) score.error = failed ?? 'no held-out point could be scored';
    scores.push(score);
  }
  const ranking = scores
    .map((s, i) => ({ s, i }))
    .sort((a, b) => rank(a.s, metric) - rank(b.s, metric) || a.i - b.i)
    .map((x) => x.s);
  const winner = ranking[0];
  if (!winner || winner.error !== undefined) {
    throw new ForecastInputError('VIGIL_ERR_FORECAST_TOO_SHORT', `auto: no candidate could be backtested (${winner?.error ?? 'no candidates'})`, {
      model: 'auto',
    });
  }
  const cand = pick(chosenCandidates, winner.model);
  const fit = cand.fit(series, o.candidateOptions?.[cand.name]);
  const selection: ModelSelection = { chosen: winner.model, metric, horizon, folds, stride, ranking, reason: reasonOf(ranking, metric, horizon, folds) };
  return { ...fit, forecast: fit.forecast.bind(fit), selection };
}

/** Stride ≤ horizon such that the earliest origin keeps at least half the series for training. */
export function defaultStride(n: number, horizon: number, folds: number): number {
  if (folds <= 1) return horizon;
  const room = Math.floor((n / 2 - horizon) / (folds - 1));
  return Math.max(1, Math.min(horizon, room));
}

function rank(s: CandidateScore, metric: 'mae' | 'rmse' | 'smape'): number {
  const v = s[metric];
  return s.error === undefined && Number.isFinite(v) ? v : Infinity;
}

function pick(candidates: readonly ForecastModel[], name: string): ForecastModel {
  const m = candidates.find((c) => c.name === name);
  if (!m) badOption('auto', 'candidates', `names among ${candidates.map((c) => c.name).join(', ')}`, name);
  return m;
}

function fmt(v: number): string {
  return Math.abs(v) >= 1000 || (Math.abs(v) < 0.01 && v !== 0) ? v.toExponential(3) : v.toPrecision(4);
}

function reasonOf(ranking: readonly CandidateScore[], metric: string, horizon: number, folds: number): string {
  const [a, b] = ranking;
  if (!a) return '';
  const label = metric.toUpperCase();
  let s = `${a.model} has the lowest backtest ${label} (${fmt(a[metric as 'mae'])}) over ${folds} origins × ${horizon} steps`;
  if (b && b.error === undefined && Number.isFinite(b[metric as 'mae'])) {
    const bv = b[metric as 'mae'];
    const av = a[metric as 'mae'];
    const pct = av > 0 ? ((bv - av) / av) * 100 : 0;
    s += `; runner-up ${b.model} ${fmt(bv)} (+${pct.toFixed(1)} %)`;
  }
  const skipped = ranking.filter((r) => r.error !== undefined).map((r) => r.model);
  if (skipped.length > 0) s += `; not eligible: ${skipped.join(', ')}`;
  return s;
}

/** Validates untyped `auto` options (API input) into {@link AutoOptions}. */
export function readAutoOptions(options?: ModelOptions): AutoOptions {
  const r = new OptionReader('auto', options);
  const o: AutoOptions = {};
  const c = r.raw('candidates');
  if (c !== undefined) {
    if (!Array.isArray(c) || c.length === 0 || c.length > 20 || !c.every((x) => typeof x === 'string')) {
      badOption('auto', 'candidates', 'a non-empty array of model names', c);
    }
    o.candidates = c as string[];
  }
  const co = r.raw('candidateOptions');
  if (co !== undefined) {
    if (co === null || typeof co !== 'object' || Array.isArray(co)) badOption('auto', 'candidateOptions', 'an object keyed by model name', co);
    o.candidateOptions = co as Record<string, ModelOptions>;
  }
  const horizon = r.number('horizon', { min: 1, max: 100_000, integer: true });
  if (horizon !== undefined) o.horizon = horizon;
  const folds = r.number('folds', { min: 1, max: 20, integer: true });
  if (folds !== undefined) o.folds = folds;
  const stride = r.number('stride', { min: 1, max: 100_000, integer: true });
  if (stride !== undefined) o.stride = stride;
  o.metric = r.choice('metric', ['mae', 'rmse', 'smape'] as const, 'mae');
  r.done();
  return o;
}
