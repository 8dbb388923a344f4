/** Aggregations accepted by the query API (`agg` parameter). */
export const AGGREGATIONS = ['avg', 'min', 'max', 'sum', 'p95', 'last', 'count'] as const;
/** An aggregation function name. */
export type Aggregation = (typeof AGGREGATIONS)[number];

/** Storage tier that answered a query. `raw` is the only tier until rollups exist. */
export type QueryTier = 'raw' | '1m' | '1h';

/**
 * Answer of `GET /api/v1/query`. Points are aligned on `timestamps` (start of each step bucket,
 * ms); `values[i]` belongs to `timestamps[i]` and is null where the series had no sample.
 */
export interface QueryResult {
  start: number;
  end: number;
  /** Bucket width in ms. */
  step: number;
  tier: QueryTier;
  timestamps: number[];
  series: QuerySeries[];
  stats: { seriesMatched: number; samplesScanned: number };
}

/** One output series (after grouping, only the `by` labels remain). */
export interface QuerySeries {
  metric: string;
  labels: Record<string, string>;
  values: (number | null)[];
}

/** One stored series as listed by `GET /api/v1/series`. */
export interface SeriesInfo {
  id: number;
  metric: string;
  labels: Record<string, string>;
}
