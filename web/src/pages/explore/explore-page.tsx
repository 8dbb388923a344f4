import { useEffect, useRef, useState } from 'preact/hooks';
import { AGGREGATIONS, type Aggregation, type QueryResult } from '../../../../src/protocol/query.js';
import { mergeSeries, type ChartData } from '../../charts/chart-data.js';
import { TimeChart } from '../../charts/time-chart.js';
import { Panel } from '../../components/panel.js';
import { TimeRangePicker } from '../../components/time-range-picker.js';
import { metricUnit } from '../../format/metric-unit.js';
import { useServices } from '../../hooks/app-services.js';
import { useDebounced } from '../../hooks/use-debounced.js';
import { useResource, type Resource } from '../../hooks/use-resource.js';
import { withSearch } from '../../routing/with-search.js';
import { chooseStep, queryWindow, type QueryWindow } from '../../time/time-range.js';
import type { PageProps } from '../page-props.js';
import { checkSelector, exploreQueryParams, exploreSearchChanges, parseExploreSearch, seriesKey, seriesLabel, type ExploreState, type FilterRow, type SelectorCheck } from './explore-query.js';
import { FilterRowEditor } from './filter-row-editor.js';
import { SelectorBar } from './selector-bar.js';

/** Typing pauses this long (ms) before the URL and the chart follow the form. */
export const EXPLORE_DEBOUNCE_MS = 400;

interface Charted {
  window: QueryWindow;
  data: ChartData;
  result: QueryResult;
}

interface ExploreFormProps {
  draft: ExploreState;
  update: (changes: Partial<ExploreState>) => void;
  metrics: Resource<string[]>;
  labelNames: string[];
  check: SelectorCheck;
}

/** The query form: metric, aggregation, group-by label and label filters. */
function ExploreForm({ draft, update, metrics, labelNames, check }: ExploreFormProps) {
  const metric = draft.metric.trim();
  const setFilter = (i: number, row: FilterRow) => update({ filters: draft.filters.map((r, j) => (j === i ? row : r)) });
  return (
    <form class="panel explore-form" onSubmit={(e) => e.preventDefault()} aria-label="Query">
      <div class="form-grid">
        <label class="field">
          <span class="field-label">Metric</span>
          <input class="input" name="metric" list="metric-options" value={draft.metric} placeholder={metrics.status === 'loading' ? 'loading metrics…' : 'e.g. cpu_usage_percent'} onInput={(e) => update({ metric: e.currentTarget.value })} spellcheck={false} autocomplete="off" />
          <datalist id="metric-options">
            {(metrics.data ?? []).map((m) => (
              <option key={m} value={m} />
            ))}
          </datalist>
        </label>
        <label class="field">
          <span class="field-label">Aggregation</span>
          <select class="input" name="agg" value={draft.agg} onChange={(e) => update({ agg: e.currentTarget.value as Aggregation })}>
            {AGGREGATIONS.map((a) => (
              <option key={a} value={a}>
                {a}
              </option>
            ))}
          </select>
        </label>
        <label class="field">
          <span class="field-label">Group by</span>
          <select class="input" name="by" value={draft.by} onChange={(e) => update({ by: e.currentTarget.value })}>
            <option value="">(each series)</option>
            {[...new Set([...labelNames, ...(draft.by ? [draft.by] : [])])].map((l) => (
              <option key={l} value={l}>
                {l}
              </option>
            ))}
          </select>
        </label>
      </div>
      <fieldset class="filters">
        <legend class="field-label">Label filters</legend>
        {draft.filters.map((row, i) => (
          <FilterRowEditor key={i} index={i} row={row} metric={metric} labelNames={labelNames} onChange={(r) => setFilter(i, r)} onRemove={() => update({ filters: draft.filters.filter((_, j) => j !== i) })} />
        ))}
        <button type="button" class="button button-ghost" onClick={() => update({ filters: [...draft.filters, { name: '', op: '=', value: '' }] })}>
          + Add filter
        </button>
      </fieldset>
      {metrics.status === 'error' && metrics.error ? <p class="field-error">Metric names could not be loaded: {metrics.error.message}</p> : null}
      {!check.ok && draft.metric !== '' ? (
        <p class="field-error" role="alert">
          {check.message}
        </p>
      ) : null}
    </form>
  );
}

/**
 * `/explore`: pick a metric, add label filters, choose aggregation, group-by label and time
 * range; the chart, the selector text (copyable) and query errors follow. The query lives in the
 * URL, so a chart can be shared as a link.
 */
export function ExplorePage({ search, pathname }: PageProps) {
  const { api, location, serverClock } = useServices();
  const searchText = search.toString();
  const fromUrl = parseExploreSearch(search);
  const [draft, setDraft] = useState<ExploreState>(fromUrl.state);
  const pushedRef = useRef(searchText);

  // Back/forward or a pasted link: take the URL's state. Our own URL updates are skipped so a
  // half-typed filter row (not yet in the URL) is not wiped.
  useEffect(() => {
    if (searchText !== pushedRef.current) {
      pushedRef.current = searchText;
      setDraft(parseExploreSearch(new URLSearchParams(searchText)).state);
    }
  }, [searchText]);

  const settled = useDebounced(draft, EXPLORE_DEBOUNCE_MS);
  useEffect(() => {
    const target = withSearch(pathname, searchText, exploreSearchChanges(settled));
    const targetSearch = target.includes('?') ? target.slice(target.indexOf('?') + 1) : '';
    if (targetSearch !== searchText) {
      pushedRef.current = targetSearch;
      location.navigate(target, { replace: true });
    }
  }, [settled]);

  const metrics = useResource((signal) => api.get<{ metrics: string[] }>('/api/v1/metrics', undefined, signal).then((r) => r.metrics), [], { resync: false });
  const metric = draft.metric.trim();
  const labels = useResource(
    (signal) => (metric ? api.get<{ labels: string[] }>('/api/v1/labels', { match: metric }, signal).then((r) => r.labels.filter((l) => l !== '__name__')) : Promise.resolve([] as string[])),
    [metric],
    { resync: false },
  );

  const q = search.get('q');
  const { agg, by, range } = fromUrl.state;
  const query = useResource<Charted | null>(
    async (signal) => {
      if (!q) return null;
      const window = queryWindow(serverClock.serverNow(), range.ms, chooseStep(range.ms));
      const result = await api.get<QueryResult>('/api/v1/query', exploreQueryParams(q, agg, by, window), signal);
      const data = mergeSeries(result.series.map((s) => ({ key: seriesKey(s), label: seriesLabel(s), timestamps: result.timestamps, values: s.values })));
      return { window, data, result };
    },
    [q, agg, by, range.id],
  );

  const check = checkSelector(draft);
  const update = (changes: Partial<ExploreState>) => setDraft((d) => ({ ...d, ...changes }));
  const labelNames = labels.data ?? [];

  return (
    <div class="page page-explore">
      <div class="page-head">
        <h1>Metrics explorer</h1>
        <TimeRangePicker value={draft.range} onChange={(r) => update({ range: r })} />
      </div>
      {fromUrl.error ? (
        <p class="callout callout-warn" role="alert">
          {fromUrl.error}
        </p>
      ) : null}
      <ExploreForm draft={draft} update={update} metrics={metrics} labelNames={labelNames} check={check} />
      <SelectorBar selector={check.ok ? check.selector : null} agg={draft.agg} by={draft.by} />
      <Panel
        id="explore-chart"
        title={q ? `${q}` : 'Chart'}
        resource={query}
        isEmpty={(c) => c === null || c.data.timestamps.length === 0}
        empty={q ? 'No series match this selector in the chosen time range.' : 'Pick a metric to draw a chart.'}
      >
        {(c) =>
          c ? (
            <>
              <TimeChart data={c.data} unit={metricUnit(c.result.series[0]?.metric ?? metric)} windowStart={c.window.start} windowEnd={c.window.end} height={320} label={`Chart of ${q}`} />
              <p class="panel-note">
                {c.result.series.length} series · {c.result.stats.seriesMatched} matched · {c.result.stats.samplesScanned} samples scanned · step {Math.round(c.result.step / 1000)} s · tier {c.result.tier}
              </p>
            </>
          ) : null
        }
      </Panel>
    </div>
  );
}
