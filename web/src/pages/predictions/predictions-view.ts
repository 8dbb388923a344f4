import type { BacktestRow, CrossingView, ForecastRequest, SeriesForecast } from '../../../../src/protocol/forecast.js';
import { formatSpan, roundForDisplay } from '../../format/format-value.js';

/** What the user picked on the predictions page. */
export interface PredictionForm {
  /** `metric` mode: host + metric; `query` mode: a free selector. */
  mode: 'metric' | 'query';
  host: string;
  metric: string;
  query: string;
  model: string;
  horizon: string;
  /** History range (duration text), e.g. `7d`. */
  range: string;
  /** Threshold input text ('' = none). */
  threshold: string;
}

/** History looked at for each horizon by default: long enough for seasonal models and backtests. */
export function defaultRange(horizon: string): string {
  return { '6h': '2d', '12h': '3d', '24h': '7d', '48h': '7d', '7d': '21d' }[horizon] ?? '7d';
}

/**
 * Default capacity threshold for a metric: 100 for percentages (`*_percent`, "disk full"),
 * none otherwise (the user types the filesystem size or a limit).
 */
export function defaultThreshold(metric: string): string {
  return /_percent$/.test(metric) ? '100' : '';
}

/** The API body for a form, or an error message naming what is missing. */
export function forecastRequest(f: PredictionForm): { body: ForecastRequest } | { error: string } {
  const body: ForecastRequest = { model: f.model as ForecastRequest['model'], horizon: f.horizon, range: f.range };
  if (f.mode === 'query') {
    if (f.query.trim() === '') return { error: 'Enter a series selector, e.g. disk_used_percent{host="web-1"}.' };
    body.query = f.query.trim();
  } else {
    if (f.metric === '') return { error: 'Choose a metric.' };
    body.metric = f.metric;
    if (f.host !== '') body.host = f.host;
  }
  if (f.threshold.trim() !== '') {
    const t = Number(f.threshold);
    if (!Number.isFinite(t)) return { error: 'The threshold must be a number.' };
    body.threshold = t;
  }
  return { body };
}

/** Chart columns of one forecast: history, then the forecast with its bands (null elsewhere). */
export interface ForecastChartData {
  timestamps: number[];
  history: (number | null)[];
  mean: (number | null)[];
  lower80: (number | null)[];
  upper80: (number | null)[];
  lower95: (number | null)[];
  upper95: (number | null)[];
}

/**
 * Joins history and forecast on one time axis. The forecast lines start at the last observed
 * point so the chart shows them continuing the history without a gap; empty buckets before the
 * first sample are dropped.
 */
export function forecastChartData(s: SeriesForecast): ForecastChartData {
  const h = s.history;
  const f = s.forecast;
  let last = -1;
  for (let i = h.values.length - 1; i >= 0; i--) {
    if (h.values[i] !== null) {
      last = i;
      break;
    }
  }
  // Leading buckets without samples (a range longer than the series) are left out of the axis.
  const first = last >= 0 ? h.values.findIndex((v) => v !== null) : 0;
  const hist = last >= 0 ? h.timestamps.slice(first, last + 1) : [];
  const values = last >= 0 ? h.values.slice(first, last + 1) : [];
  const n = hist.length;
  const m = f ? f.timestamps.length : 0;
  const pad = (count: number): (number | null)[] => new Array<number | null>(count).fill(null);
  const lastValue = n > 0 ? (values[n - 1] as number) : null;
  const tail = (xs: number[] | undefined): (number | null)[] => [...pad(Math.max(0, n - 1)), ...(n > 0 ? [lastValue] : []), ...(xs ?? [])];
  return {
    timestamps: [...hist, ...(f?.timestamps ?? [])],
    history: [...values, ...pad(m)],
    mean: tail(f?.mean),
    lower80: tail(f?.lower80),
    upper80: tail(f?.upper80),
    lower95: tail(f?.lower95),
    upper95: tail(f?.upper95),
  };
}

/** One displayed row of the model comparison table. */
export interface BacktestTableRow {
  model: string;
  chosen: boolean;
  mae: string;
  rmse: string;
  smape: string;
  coverage80: string;
  coverage95: string;
  note: string;
}

function num(v: number | null): string {
  return v === null ? '–' : roundForDisplay(v);
}

function pct(v: number | null): string {
  return v === null ? '–' : `${Math.round(v * 100)} %`;
}

/** The comparison table, best first as the server ranked it, with the chosen model marked. */
export function backtestTable(rows: readonly BacktestRow[], chosen: string | undefined): BacktestTableRow[] {
  return rows.map((r) => ({
    model: r.model,
    chosen: r.model === chosen,
    mae: num(r.mae),
    rmse: num(r.rmse),
    smape: r.smape === null ? '–' : `${roundForDisplay(r.smape)} %`,
    coverage80: pct(r.coverage80),
    coverage95: pct(r.coverage95),
    note: r.error ?? `${r.points} points scored`,
  }));
}

function when(c: CrossingView): string {
  return `in ${formatSpan(c.inMs)} (${new Date(c.ts).toLocaleString()})`;
}

/** "Time to threshold" sentence for a forecast, or null without a threshold. */
export function timeToThresholdText(s: SeriesForecast, horizon: string): string | null {
  const t = s.timeToThreshold;
  if (!t) return null;
  const side = t.direction === 'above' ? 'reaches' : 'falls to';
  if (t.alreadyCrossed) return `Already at or beyond ${roundForDisplay(t.threshold)}.`;
  if (t.mean) return `Expected to ${side === 'reaches' ? 'reach' : 'fall to'} ${roundForDisplay(t.threshold)} ${when(t.mean)}${t.earliest ? `; earliest plausible ${when(t.earliest)}` : ''}${t.latest ? `; latest ${when(t.latest)}` : ''}.`;
  if (t.earliest) return `The point forecast stays clear of ${roundForDisplay(t.threshold)} for ${horizon}, but the 95 % band ${side} it ${when(t.earliest)}.`;
  return `Not expected to reach ${roundForDisplay(t.threshold)} within ${horizon} (not even the 95 % band).`;
}

/** Label of a series: its labels as `k=v` pairs, or the metric. */
export function seriesLabel(s: { metric: string; labels: Record<string, string> }): string {
  const pairs = Object.entries(s.labels).map(([k, v]) => `${k}=${v}`);
  return pairs.length > 0 ? `${s.metric} {${pairs.join(', ')}}` : s.metric;
}
