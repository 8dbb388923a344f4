import type { AnomalyPoint, BacktestRow, TimeToThresholdView } from '../../protocol/forecast.js';
import { createForecasting, ForecastInputError, fromGrid, lastValue, timeToThreshold, type CandidateScore, type FittedModel } from '../forecast/index.js';

/**
 * The CPU-heavy part of a prediction request, as plain data so it can cross a worker boundary
 * (structured clone). `y[i]` is the value at `t0 + i·stepMs`, NaN for a gap.
 */
export type PredictionJob =
  | { kind: 'forecast'; t0: number; stepMs: number; y: Float64Array; model: string; horizonSteps: number; threshold: number | null; direction: 'above' | 'below' }
  | { kind: 'anomaly'; t0: number; stepMs: number; y: Float64Array; detector: string; k: number; minAbsDeviation: number };

/** Result of a forecast job (NaN-free: missing numbers are null). */
export interface ForecastJobResult {
  kind: 'forecast';
  model: string;
  spec: string;
  reason: string;
  forecast: { timestamps: number[]; mean: number[]; lower80: number[]; upper80: number[]; lower95: number[]; upper95: number[] };
  backtest: BacktestRow[];
  timeToThreshold?: TimeToThresholdView;
}

/** Result of an anomaly job, aligned with the job's grid starting at `t0`. */
export interface AnomalyJobResult {
  kind: 'anomaly';
  detector: string;
  spec: string;
  t0: number;
  expected: (number | null)[];
  lower: (number | null)[];
  upper: (number | null)[];
  anomalies: AnomalyPoint[];
}

/** What a job answers: a result, or the model's input error (code, message, details). */
export type PredictionOutcome = ForecastJobResult | AnomalyJobResult | { kind: 'error'; code: string; message: string; details: Record<string, unknown> };

const { models, detectors } = createForecasting();

/** Backtest origins `auto` uses for the comparison table. */
const FOLDS = 3;

function finiteOrNull(v: number): number | null {
  return Number.isFinite(v) ? v : null;
}

function row(c: CandidateScore): BacktestRow {
  const out: BacktestRow = { model: c.model, mae: finiteOrNull(c.mae), rmse: finiteOrNull(c.rmse), smape: finiteOrNull(c.smape), coverage80: finiteOrNull(c.coverage80), coverage95: finiteOrNull(c.coverage95), points: c.points };
  if (c.error !== undefined) out.error = c.error;
  return out;
}

/** Backtest horizon for the comparison: the forecast horizon, shortened so three folds fit. */
function backtestHorizon(n: number, horizonSteps: number): number {
  return Math.max(1, Math.min(horizonSteps, Math.floor(n / (FOLDS + 2))));
}

function runForecast(job: Extract<PredictionJob, { kind: 'forecast' }>): ForecastJobResult {
  const series = fromGrid(job.t0, job.stepMs, job.y);
  let auto: FittedModel | null = null;
  let autoError: string | null = null;
  try {
    auto = models.get('auto').fit(series, { horizon: backtestHorizon(series.y.length, job.horizonSteps), folds: FOLDS });
  } catch (err) {
    // A specific model may still fit a series too short for a backtest (e.g. 12 points, linear).
    if (!(err instanceof ForecastInputError) || job.model === 'auto') throw err;
    autoError = err.message;
  }
  const fit = job.model === 'auto' ? (auto as FittedModel) : models.get(job.model).fit(series);
  const fc = fit.forecast(job.horizonSteps);
  const result: ForecastJobResult = {
    kind: 'forecast',
    model: fit.model,
    spec: fit.spec,
    reason: job.model === 'auto' ? (auto?.selection?.reason ?? '') : `${job.model} was requested${autoError !== null ? `; no backtest: ${autoError}` : ''}`,
    forecast: { timestamps: fc.ts, mean: fc.mean, lower80: fc.lower80, upper80: fc.upper80, lower95: fc.lower95, upper95: fc.upper95 },
    backtest: (auto?.selection?.ranking ?? []).map(row),
  };
  if (job.threshold !== null) {
    const t = timeToThreshold(fc, job.threshold, lastValue(series), job.direction);
    result.timeToThreshold = { threshold: t.threshold, direction: t.direction, alreadyCrossed: t.alreadyCrossed, mean: t.mean, earliest: t.earliest, latest: t.latest };
  }
  return result;
}

function runAnomaly(job: Extract<PredictionJob, { kind: 'anomaly' }>): AnomalyJobResult {
  const series = fromGrid(job.t0, job.stepMs, job.y);
  const r = detectors.get(job.detector).detect(series, { threshold: job.k, minAbsDeviation: job.minAbsDeviation });
  const anomalies: AnomalyPoint[] = [];
  for (let i = 0; i < r.anomalous.length; i++) {
    if (r.anomalous[i] === 1) anomalies.push({ ts: r.t0 + i * r.stepMs, value: series.y[i] as number, expected: r.expected[i] as number, score: r.score[i] as number });
  }
  return { kind: 'anomaly', detector: r.detector, spec: r.spec, t0: r.t0, expected: Array.from(r.expected, finiteOrNull), lower: Array.from(r.lower, finiteOrNull), upper: Array.from(r.upper, finiteOrNull), anomalies };
}

/**
 * Runs one job synchronously (in the fit worker, or inline in tests). Input errors of the models
 * come back as `{kind: 'error'}` with the model's stable code; anything else is thrown.
 */
export function runPredictionJob(job: PredictionJob): PredictionOutcome {
  try {
    return job.kind === 'forecast' ? runForecast(job) : runAnomaly(job);
  } catch (err) {
    if (err instanceof ForecastInputError) return { kind: 'error', code: err.code, message: err.message, details: { ...err.details } };
    throw err;
  }
}
