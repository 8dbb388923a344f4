import { useState } from 'preact/hooks';
import '../../styles/predictions.css';
import { FORECAST_HORIZONS, FORECAST_MODELS, type ForecastResponse, type SeriesForecast } from '../../../../src/protocol/forecast.js';
import { ForecastChart } from '../../charts/forecast-chart.js';
import { Panel } from '../../components/panel.js';
import { metricUnit } from '../../format/metric-unit.js';
import { useServices } from '../../hooks/app-services.js';
import { useResource } from '../../hooks/use-resource.js';
import type { PageProps } from '../page-props.js';
import { backtestTable, defaultRange, defaultThreshold, forecastChartData, forecastRequest, seriesLabel, timeToThresholdText, type PredictionForm } from './predictions-view.js';

const MODEL_LABELS: Record<string, string> = { auto: 'Auto (best backtest)', sma: 'Moving average', ewma: 'EWMA', linear: 'Linear trend', 'holt-winters': 'Holt-Winters', arima: 'ARIMA' };

function initialForm(search: URLSearchParams): PredictionForm {
  const metric = search.get('metric') ?? '';
  const horizon = search.get('horizon') ?? '24h';
  return {
    mode: search.get('query') ? 'query' : 'metric',
    host: search.get('host') ?? '',
    metric,
    query: search.get('query') ?? '',
    model: search.get('model') ?? 'auto',
    horizon,
    range: search.get('range') ?? defaultRange(horizon),
    threshold: search.get('threshold') ?? defaultThreshold(metric),
  };
}

function BacktestTable({ s }: { s: SeriesForecast }) {
  const rows = backtestTable(s.backtest ?? [], s.model);
  if (rows.length === 0) return <p class="muted">No backtest: {s.reason}</p>;
  return (
    <div class="table-scroll">
      <table class="data-table backtest-table" aria-label="Model comparison (rolling-origin backtest)">
        <thead>
          <tr>
            <th scope="col">Model</th>
            <th scope="col" class="cell-num">MAE</th>
            <th scope="col" class="cell-num">RMSE</th>
            <th scope="col" class="cell-num">sMAPE</th>
            <th scope="col" class="cell-num">80 % coverage</th>
            <th scope="col" class="cell-num">95 % coverage</th>
            <th scope="col">Note</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.model} data-model={r.model} data-chosen={r.chosen ? 'true' : undefined} class={r.chosen ? 'row-selected' : undefined}>
              <th scope="row">
                {MODEL_LABELS[r.model] ?? r.model}
                {r.chosen ? <span class="badge"> chosen</span> : null}
              </th>
              <td class="cell-num">{r.mae}</td>
              <td class="cell-num">{r.rmse}</td>
              <td class="cell-num">{r.smape}</td>
              <td class="cell-num">{r.coverage80}</td>
              <td class="cell-num">{r.coverage95}</td>
              <td class="muted small">{r.note}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function SeriesResult({ s, horizon, threshold }: { s: SeriesForecast; horizon: string; threshold: number | null }) {
  const label = seriesLabel(s);
  if (s.error) {
    return (
      <section class="prediction-series" data-series-error={s.error.code}>
        <h3>{label}</h3>
        <p class="callout callout-warn">{s.error.message}</p>
      </section>
    );
  }
  const ttt = timeToThresholdText(s, horizon);
  return (
    <section class="prediction-series" data-model={s.model}>
      <h3>{label}</h3>
      <p class="muted" data-reason>
        {s.spec}: {s.reason}
      </p>
      {ttt ? (
        <p class="prediction-ttt" data-ttt>
          <strong>Time to threshold:</strong> {ttt}
        </p>
      ) : null}
      <ForecastChart data={forecastChartData(s)} unit={metricUnit(s.metric)} threshold={threshold} label={`Forecast of ${label}`} />
      <h4>Model comparison</h4>
      <BacktestTable s={s} />
    </section>
  );
}

interface PredictionFormViewProps {
  draft: PredictionForm;
  update: (changes: Partial<PredictionForm>) => void;
  onSubmit: (e: Event) => void;
  hosts: string[];
  metrics: string[];
  formError: string | null;
}

/** The form: source (host + metric, or a selector), model, horizon, history and threshold. */
function PredictionFormView({ draft, update, onSubmit, hosts, metrics, formError }: PredictionFormViewProps) {
  return (
    <form class="panel predictions-form" onSubmit={onSubmit} aria-label="Forecast">
      <div class="form-grid">
        <label class="field">
          <span class="field-label">Source</span>
          <select class="input" name="mode" value={draft.mode} onChange={(e) => update({ mode: e.currentTarget.value as PredictionForm['mode'] })}>
            <option value="metric">Host and metric</option>
            <option value="query">Query (selector)</option>
          </select>
        </label>
        {draft.mode === 'metric' ? (
          <>
            <label class="field">
              <span class="field-label">Host</span>
              <select class="input" name="host" value={draft.host} onChange={(e) => update({ host: e.currentTarget.value })}>
                <option value="">Any host</option>
                {hosts.map((h) => (
                  <option key={h} value={h}>
                    {h}
                  </option>
                ))}
              </select>
            </label>
            <label class="field">
              <span class="field-label">Metric</span>
              <input class="input" name="metric" list="prediction-metrics" value={draft.metric} placeholder="e.g. disk_used_percent" spellcheck={false} autocomplete="off" onInput={(e) => update({ metric: e.currentTarget.value, threshold: draft.threshold === defaultThreshold(draft.metric) ? defaultThreshold(e.currentTarget.value) : draft.threshold })} />
              <datalist id="prediction-metrics">
                {metrics.map((m) => (
                  <option key={m} value={m} />
                ))}
              </datalist>
            </label>
          </>
        ) : (
          <label class="field field-grow">
            <span class="field-label">Selector</span>
            <input class="input input-code" name="query" value={draft.query} placeholder='disk_used_percent{host="web-1",mount="/"}' spellcheck={false} onInput={(e) => update({ query: e.currentTarget.value })} />
          </label>
        )}
        <label class="field">
          <span class="field-label">Model</span>
          <select class="input" name="model" value={draft.model} onChange={(e) => update({ model: e.currentTarget.value })}>
            {FORECAST_MODELS.map((m) => (
              <option key={m} value={m}>
                {MODEL_LABELS[m] ?? m}
              </option>
            ))}
          </select>
        </label>
        <label class="field">
          <span class="field-label">Horizon</span>
          <select class="input" name="horizon" value={draft.horizon} onChange={(e) => update({ horizon: e.currentTarget.value, range: defaultRange(e.currentTarget.value) })}>
            {FORECAST_HORIZONS.map((h) => (
              <option key={h} value={h}>
                {h}
              </option>
            ))}
          </select>
        </label>
        <label class="field">
          <span class="field-label">History</span>
          <select class="input" name="range" value={draft.range} onChange={(e) => update({ range: e.currentTarget.value })}>
            {['1d', '2d', '3d', '7d', '14d', '21d', '30d'].map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
        </label>
        <label class="field">
          <span class="field-label">Threshold</span>
          <input class="input" name="threshold" inputMode="decimal" value={draft.threshold} placeholder="e.g. 100 or the filesystem size" onInput={(e) => update({ threshold: e.currentTarget.value })} />
        </label>
        <div class="field field-actions">
          <button type="submit" class="button button-primary">
            Forecast
          </button>
        </div>
      </div>
      {formError ? (
        <p class="form-error" role="alert">
          {formError}
        </p>
      ) : null}
    </form>
  );
}

/** `/predictions`: forecast a metric with bands, compare models by backtest, time to a threshold. */
export function PredictionsPage({ search }: PageProps) {
  const { api } = useServices();
  const [draft, setDraft] = useState<PredictionForm>(() => initialForm(search));
  const [submitted, setSubmitted] = useState<{ form: PredictionForm; n: number } | null>(() => (draft.metric || draft.query ? { form: draft, n: 0 } : null));
  const [formError, setFormError] = useState<string | null>(null);
  const metrics = useResource((signal) => api.get<{ metrics: string[] }>('/api/v1/metrics', undefined, signal), []);
  const hosts = useResource((signal) => api.get<{ values: string[] }>('/api/v1/labels/host/values', undefined, signal), []);
  const result = useResource<ForecastResponse | null>(
    async (signal) => {
      if (!submitted) return null;
      const req = forecastRequest(submitted.form);
      if ('error' in req) return null;
      return api.post<ForecastResponse>('/api/v1/forecast', req.body, signal);
    },
    [submitted],
    { resync: false },
  );
  const update = (changes: Partial<PredictionForm>) => setDraft((d) => ({ ...d, ...changes }));
  const submit = (e: Event) => {
    e.preventDefault();
    const req = forecastRequest(draft);
    if ('error' in req) {
      setFormError(req.error);
      return;
    }
    setFormError(null);
    setSubmitted((s) => ({ form: draft, n: (s?.n ?? 0) + 1 }));
  };
  const threshold = submitted && submitted.form.threshold.trim() !== '' ? Number(submitted.form.threshold) : null;
  return (
    <div class="page page-predictions">
      <div class="page-head">
        <h1>Predictions</h1>
        <p class="page-summary">Forecasts with 80 % / 95 % bands, a backtest of every model on this series, and when a threshold will be reached.</p>
      </div>
      <PredictionFormView draft={draft} update={update} onSubmit={submit} hosts={hosts.data?.values ?? []} metrics={metrics.data?.metrics ?? []} formError={formError} />
      {submitted ? (
        <Panel id="forecast-result" title="Forecast" resource={result} isEmpty={(d) => d === null || d.series.length === 0} empty="No series matched.">
          {(data) => (data ? data.series.map((s) => <SeriesResult key={seriesLabel(s)} s={s} horizon={submitted.form.horizon} threshold={threshold} />) : null)}
        </Panel>
      ) : (
        <p class="muted">Choose a metric (for capacity, e.g. disk_used_percent with threshold 100) and press Forecast.</p>
      )}
    </div>
  );
}
