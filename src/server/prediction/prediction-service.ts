import type { ErrorCode } from '../../protocol/error-codes.js';
import { ERROR_CODES } from '../../protocol/error-codes.js';
import { FORECAST_LIMITS, type AnomalyResponse, type ForecastResponse, type SeriesAnomaly, type SeriesForecast } from '../../protocol/forecast.js';
import type { QueryResult, QuerySeries } from '../../protocol/query.js';
import type { Clock } from '../core/clock.js';
import { VigilError } from '../core/errors.js';
import { parseSelector } from '../../protocol/selector.js';
import type { QueryService } from '../query/query-service.js';
import type { SeriesIndex } from '../storage/series-index.js';
import type { FitPool } from './fit-pool.js';
import type { PredictionJob, PredictionOutcome } from './prediction-job.js';
import { detectorRegistryName, parseAnomalyRequest, parseForecastRequest, type HistoryWindow } from './prediction-request.js';

/** A series cut to its observed part: values on the grid from `t0`, NaN for gaps. */
interface Trimmed {
  t0: number;
  y: Float64Array;
}

/** The observed part of one query series (leading and trailing gaps dropped), or null when empty. */
function trim(timestamps: number[], values: (number | null)[]): Trimmed | null {
  let a = 0;
  let b = values.length - 1;
  while (a <= b && values[a] === null) a++;
  while (b >= a && values[b] === null) b--;
  if (a > b) return null;
  const y = new Float64Array(b - a + 1);
  for (let i = a; i <= b; i++) y[i - a] = values[i] ?? Number.NaN;
  return { t0: timestamps[a] as number, y };
}

type Failure = { code: string; message: string };

function failureOf(o: PredictionOutcome): Failure | null {
  return o.kind === 'error' ? { code: o.code, message: o.message } : null;
}

function noSamples(): Failure {
  return { code: 'VIGIL_ERR_FORECAST_TOO_SHORT', message: 'the series has no sample in the range' };
}

/** When every series failed, the request fails with the first series' error (422/400). */
function throwIfAllFailed(errors: (Failure | undefined)[]): void {
  if (errors.length === 0 || errors.some((e) => e === undefined)) return;
  const first = errors[0] as Failure;
  const code = (first.code in ERROR_CODES ? first.code : 'VIGIL_ERR_FORECAST_INPUT') as ErrorCode;
  throw new VigilError(code, first.message);
}

/**
 * `POST /api/v1/forecast` and `POST /api/v1/anomaly`: validates the request, reads the history
 * through the {@link QueryService} (same selector syntax and limits as the query API), and runs
 * the model fits on the {@link FitPool} worker so the event loop stays free.
 */
export class PredictionService {
  constructor(
    private readonly query: QueryService,
    private readonly series: SeriesIndex,
    private readonly pool: FitPool,
    private readonly clock: Clock,
  ) {}

  private async history(w: HistoryWindow): Promise<QueryResult> {
    // Count the matching series before reading any sample: a broad selector is refused cheaply.
    const matched = await this.series.select(parseSelector(w.query), FORECAST_LIMITS.maxSeries);
    if (matched.truncated) {
      throw new VigilError('VIGIL_ERR_FORECAST_TOO_MANY_SERIES', `the query matches more than ${FORECAST_LIMITS.maxSeries} series; one request forecasts at most ${FORECAST_LIMITS.maxSeries}: add label matchers`, { limit: FORECAST_LIMITS.maxSeries });
    }
    const result = await this.query.range({ query: w.query, start: String(w.from), end: String(w.to), step: `${w.step}`, agg: 'avg' });
    if (result.series.length === 0) throw new VigilError('VIGIL_ERR_FORECAST_NO_DATA', `no series matches ${w.query.slice(0, 200)} in the range`);
    if (result.series.length > FORECAST_LIMITS.maxSeries) {
      throw new VigilError('VIGIL_ERR_FORECAST_TOO_MANY_SERIES', `the query matches ${result.series.length} series; one request forecasts at most ${FORECAST_LIMITS.maxSeries}: add label matchers`, { series: result.series.length, limit: FORECAST_LIMITS.maxSeries });
    }
    return result;
  }

  /** Forecast with bands, backtest table, chosen model and time to threshold, per matched series. */
  async forecast(raw: unknown): Promise<ForecastResponse> {
    const p = parseForecastRequest(raw, this.clock.now());
    const h = await this.history(p);
    const out: SeriesForecast[] = [];
    for (const s of h.series) {
      const base: SeriesForecast = { metric: s.metric, labels: s.labels, history: { timestamps: h.timestamps, values: s.values } };
      const t = trim(h.timestamps, s.values);
      if (!t) {
        out.push({ ...base, error: noSamples() });
        continue;
      }
      const job: PredictionJob = { kind: 'forecast', t0: t.t0, stepMs: h.step, y: t.y, model: p.model, horizonSteps: p.horizonSteps, threshold: p.threshold, direction: p.direction };
      const o = await this.pool.run(job);
      const failure = failureOf(o);
      if (failure) out.push({ ...base, error: failure });
      else if (o.kind === 'forecast') {
        const { kind: _kind, ...rest } = o;
        out.push({ ...base, ...rest });
      }
    }
    throwIfAllFailed(out.map((s) => s.error));
    return { from: p.from, to: p.to, step: h.step, horizonMs: p.horizonMs, model: p.model, levels: p.levels, series: out };
  }

  /** Expected band and anomalous points per matched series. */
  async anomaly(raw: unknown): Promise<AnomalyResponse> {
    const p = parseAnomalyRequest(raw, this.clock.now());
    const h = await this.history(p);
    const out: SeriesAnomaly[] = [];
    for (const s of h.series) {
      out.push(await this.anomalyOf(s, h, p.detector, p.k, p.minAbsDeviation));
    }
    throwIfAllFailed(out.map((s) => s.error));
    return { from: p.from, to: p.to, step: h.step, detector: p.detector, k: p.k, series: out };
  }

  private async anomalyOf(s: QuerySeries, h: QueryResult, detector: Parameters<typeof detectorRegistryName>[0], k: number, minAbsDeviation: number): Promise<SeriesAnomaly> {
    const base: SeriesAnomaly = { metric: s.metric, labels: s.labels, timestamps: h.timestamps, values: s.values };
    const t = trim(h.timestamps, s.values);
    if (!t) return { ...base, error: noSamples() };
    const o = await this.pool.run({ kind: 'anomaly', t0: t.t0, stepMs: h.step, y: t.y, detector: detectorRegistryName(detector), k, minAbsDeviation });
    const failure = failureOf(o);
    if (failure) return { ...base, error: failure };
    if (o.kind !== 'anomaly') return base;
    // Re-align the band from the trimmed grid onto the query's timestamps.
    const offset = Math.round((o.t0 - (h.timestamps[0] ?? o.t0)) / h.step);
    const align = (xs: (number | null)[]) => h.timestamps.map((_, i) => xs[i - offset] ?? null);
    return { ...base, detector: o.detector, spec: o.spec, expected: align(o.expected), lower: align(o.lower), upper: align(o.upper), anomalies: o.anomalies };
  }
}
