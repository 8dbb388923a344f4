import type { QueryParams } from '../../api/api-client.js';
import { AGGREGATIONS, type Aggregation, type QuerySeries } from '../../../../src/protocol/query.js';
import { isLabelName, isMetricName, parseSelector, printSelector, type Matcher, type MatchOp } from '../../../../src/protocol/selector.js';
import { ParseError } from '../../../../src/protocol/duration.js';
import { DEFAULT_TIME_RANGE, timeRangeById, type QueryWindow, type TimeRangePreset } from '../../time/time-range.js';

/** Operators offered for label filters. */
export const FILTER_OPS: readonly MatchOp[] = ['=', '!=', '=~', '!~'];

/** One label-filter row as edited (possibly incomplete). */
export interface FilterRow {
  name: string;
  op: MatchOp;
  value: string;
}

/** What the explorer charts. `by` empty means "every series on its own". */
export interface ExploreState {
  metric: string;
  filters: FilterRow[];
  agg: Aggregation;
  by: string;
  range: TimeRangePreset;
}

/** The explorer's starting state. */
export const EMPTY_EXPLORE: ExploreState = { metric: '', filters: [], agg: 'avg', by: '', range: DEFAULT_TIME_RANGE };

/** Result of checking the edited state: the selector text to send, or why it cannot be sent. */
export type SelectorCheck = { ok: true; selector: string } | { ok: false; message: string };

/**
 * Builds the selector from the edited state and validates it with the same parser the server
 * uses, so syntax errors (bad regex, invalid names) are shown before any request. Rows without a
 * label name are ignored (still being edited).
 */
export function checkSelector(state: Pick<ExploreState, 'metric' | 'filters'>): SelectorCheck {
  const metric = state.metric.trim();
  if (metric === '') return { ok: false, message: 'Pick a metric.' };
  if (!isMetricName(metric)) return { ok: false, message: `"${metric}" is not a valid metric name.` };
  const matchers: Matcher[] = [];
  for (const row of state.filters) {
    const name = row.name.trim();
    if (name === '') continue;
    if (!isLabelName(name)) return { ok: false, message: `"${name}" is not a valid label name.` };
    matchers.push({ name, op: row.op, value: row.value });
  }
  const text = printSelector({ metric, matchers });
  try {
    parseSelector(text);
  } catch (err) {
    return { ok: false, message: err instanceof ParseError ? err.message.replace(/ at position \d+$/, '') : 'invalid selector' };
  }
  return { ok: true, selector: text };
}

/** Reads the explorer state from the URL (`?q=<selector>&agg=&by=&range=`). */
export function parseExploreSearch(search: URLSearchParams): { state: ExploreState; error: string | null } {
  const aggParam = search.get('agg');
  const agg = (AGGREGATIONS as readonly string[]).includes(aggParam ?? '') ? (aggParam as Aggregation) : 'avg';
  const byParam = search.get('by') ?? '';
  const by = isLabelName(byParam) ? byParam : '';
  const range = timeRangeById(search.get('range'));
  const q = search.get('q');
  if (!q) return { state: { ...EMPTY_EXPLORE, agg, by, range }, error: null };
  try {
    const sel = parseSelector(q);
    return { state: { metric: sel.metric ?? '', filters: sel.matchers.map((m) => ({ ...m })), agg, by, range }, error: null };
  } catch (err) {
    return { state: { ...EMPTY_EXPLORE, agg, by, range }, error: `The query in the link is invalid: ${err instanceof Error ? err.message : String(err)}` };
  }
}

/** The URL parameters for a state (null removes a parameter). */
export function exploreSearchChanges(state: ExploreState): Record<string, string | null> {
  const check = checkSelector(state);
  return {
    q: check.ok ? check.selector : null,
    agg: state.agg === 'avg' ? null : state.agg,
    by: state.by || null,
    range: state.range.id === DEFAULT_TIME_RANGE.id ? null : state.range.id,
  };
}

/** Parameters of `GET /api/v1/query` for a valid selector. */
export function exploreQueryParams(selector: string, agg: Aggregation, by: string, window: QueryWindow): QueryParams {
  return { query: selector, start: window.start, end: window.end, step: window.step, agg, by: by || undefined };
}

/** Legend text of a series: its labels as `name="value"` pairs, or the metric when it has none. */
export function seriesLabel(s: Pick<QuerySeries, 'metric' | 'labels'>): string {
  const entries = Object.entries(s.labels).sort(([a], [b]) => a.localeCompare(b));
  if (entries.length === 0) return s.metric;
  return entries.map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(', ');
}

/** Stable identity of a series: its sorted label set. */
export function seriesKey(s: Pick<QuerySeries, 'labels'>): string {
  return JSON.stringify(Object.entries(s.labels).sort(([a], [b]) => a.localeCompare(b)));
}
