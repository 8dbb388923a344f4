import type { QueryParams } from '../../api/api-client.js';
import type { Aggregation, QueryResult } from '../../../../src/protocol/query.js';
import type { AnomalyRequest } from '../../../../src/protocol/forecast.js';
import type { LiveSeries } from '../../../../src/protocol/live.js';
import { compileMatcher, printSelector, type Matcher } from '../../../../src/protocol/selector.js';
import type { SeriesSource } from '../../charts/chart-data.js';
import type { LivePoint } from '../../charts/live-series-buffer.js';
import type { Unit } from '../../format/format-value.js';
import type { QueryWindow } from '../../time/time-range.js';

/** One range query feeding a host chart (the `host` matcher is added per page). */
export interface ChartQuery {
  metric: string;
  /** Extra matchers, e.g. `cpu="total"`. */
  matchers?: Matcher[];
  /** Group-by labels: each distinct value set is one line. */
  by?: string[];
  /** Legend text of a line from its group labels. */
  label: (labels: Record<string, string>) => string;
}

/** A chart of the host page. */
export interface HostChart {
  id: string;
  title: string;
  unit: Unit;
  /** Fixed y range, e.g. 0..100 for percentages; otherwise from 0 to the data maximum. */
  yRange?: [number, number];
  queries: ChartQuery[];
}

const eq = (name: string, value: string): Matcher => ({ name, op: '=', value });

/**
 * Charts of the host page, in display order. Metric names are those of `docs/metrics.md`.
 * Every query groups by the label that tells its lines apart, so that live samples (which carry
 * all labels) map to the same line as the queried data.
 */
export const HOST_CHARTS: readonly HostChart[] = [
  {
    id: 'cpu',
    title: 'CPU',
    unit: 'percent',
    yRange: [0, 100],
    queries: [
      { metric: 'cpu_usage_percent', matchers: [eq('cpu', 'total')], by: ['cpu'], label: () => 'total' },
      { metric: 'cpu_mode_percent', matchers: [eq('cpu', 'total'), { name: 'mode', op: '=~', value: 'user|system|iowait|steal' }], by: ['mode'], label: (l) => l.mode ?? '?' },
    ],
  },
  {
    id: 'cpu-cores',
    title: 'CPU per core',
    unit: 'percent',
    yRange: [0, 100],
    queries: [{ metric: 'cpu_usage_percent', matchers: [{ name: 'cpu', op: '!=', value: 'total' }], by: ['cpu'], label: (l) => `core ${l.cpu ?? '?'}` }],
  },
  {
    id: 'memory',
    title: 'Memory',
    unit: 'bytes',
    queries: [
      { metric: 'memory_used_bytes', label: () => 'used' },
      { metric: 'memory_cached_bytes', label: () => 'cached' },
      { metric: 'memory_buffers_bytes', label: () => 'buffers' },
      { metric: 'swap_used_bytes', label: () => 'swap used' },
      { metric: 'memory_total_bytes', label: () => 'total' },
    ],
  },
  {
    id: 'disk-usage',
    title: 'Disk usage',
    unit: 'percent',
    yRange: [0, 100],
    queries: [{ metric: 'filesystem_usage_percent', by: ['mount'], label: (l) => l.mount ?? '?' }],
  },
  {
    id: 'disk-io',
    title: 'Disk I/O',
    unit: 'bytesPerSecond',
    queries: [
      { metric: 'disk_read_bytes_per_second', by: ['device'], label: (l) => `${l.device ?? '?'} read` },
      { metric: 'disk_write_bytes_per_second', by: ['device'], label: (l) => `${l.device ?? '?'} write` },
    ],
  },
  {
    id: 'network',
    title: 'Network',
    unit: 'bytesPerSecond',
    queries: [
      { metric: 'network_receive_bytes_per_second', by: ['interface'], label: (l) => `${l.interface ?? '?'} rx` },
      { metric: 'network_transmit_bytes_per_second', by: ['interface'], label: (l) => `${l.interface ?? '?'} tx` },
    ],
  },
  {
    id: 'load',
    title: 'Load average',
    unit: 'none',
    queries: [
      { metric: 'load1', label: () => '1 min' },
      { metric: 'load5', label: () => '5 min' },
      { metric: 'load15', label: () => '15 min' },
    ],
  },
];

/** Aggregation used by host charts: the mean of each bucket. */
export const HOST_CHART_AGG: Aggregation = 'avg';

/** Query-string parameters of `GET /api/v1/query` for one chart query of host `host`. */
export function chartQueryParams(q: ChartQuery, host: string, window: QueryWindow): QueryParams {
  const query = printSelector({ metric: q.metric, matchers: [eq('host', host), ...(q.matchers ?? [])] });
  return { query, start: window.start, end: window.end, step: window.step, agg: HOST_CHART_AGG, by: q.by?.length ? q.by.join(',') : undefined };
}

/** Overlay detector of the host charts: rolling robust z-score, k = 4 (fewer false alarms than 3.5 on busy hosts). */
export const OVERLAY_DETECTOR = { detector: 'robust-z', k: 4 } as const;

/**
 * Body of the anomaly request for a chart's overlay: its first query (with the host), over the
 * chart's window and step (at least 1 min, the forecast API's smallest default grid).
 */
export function anomalyRequest(chart: HostChart, host: string, window: QueryWindow): AnomalyRequest {
  const q = chart.queries[0] as ChartQuery;
  const query = printSelector({ metric: q.metric, matchers: [eq('host', host), ...(q.matchers ?? [])] });
  return { query, from: window.start, to: window.end, step: `${Math.max(60, Math.round(window.step / 1000))}s`, ...OVERLAY_DETECTOR };
}

/** Identity of a chart line: metric plus the values of its group-by labels. */
export function lineKey(q: ChartQuery, labels: Record<string, string>): string {
  return JSON.stringify([q.metric, ...(q.by ?? []).map((name) => labels[name] ?? '')]);
}

/** Turns a query answer into chart lines. */
export function resultToSources(q: ChartQuery, result: QueryResult): SeriesSource[] {
  return result.series.map((s) => ({ key: lineKey(q, s.labels), label: q.label(s.labels), timestamps: result.timestamps, values: s.values }));
}

/**
 * Picks, from a live `samples` message, the points that belong to the chart's lines (metric and
 * matchers match; the host was already filtered by the subscription).
 */
export function livePointsFor(chart: HostChart, series: readonly LiveSeries[]): LivePoint[] {
  const out: LivePoint[] = [];
  for (const q of chart.queries) {
    const tests = (q.matchers ?? []).map((m) => ({ name: m.name, test: compileMatcher(m) }));
    for (const s of series) {
      if (s.metric !== q.metric) continue;
      if (!tests.every((t) => t.test(s.labels[t.name] ?? ''))) continue;
      const key = lineKey(q, s.labels);
      const label = q.label(s.labels);
      for (const [ts, value] of s.points) out.push({ key, label, ts, value });
    }
  }
  return out;
}
