/** One line of a chart; `values[i]` belongs to `timestamps[i]` of its {@link ChartData}. */
export interface ChartSeries {
  /** Stable identity (used to match live points and to keep colours when data refreshes). */
  key: string;
  /** Legend text. Agent-supplied label values end up here: render it as text only. */
  label: string;
  values: (number | null)[];
}

/** Series aligned on one ascending time axis (ms since epoch), the shape uPlot draws. */
export interface ChartData {
  timestamps: number[];
  series: ChartSeries[];
}

/** A series with its own time axis, e.g. one series of one range-query answer. */
export interface SeriesSource {
  key: string;
  label: string;
  timestamps: readonly number[];
  values: readonly (number | null)[];
}

/** An empty chart. */
export const EMPTY_CHART: ChartData = { timestamps: [], series: [] };

/**
 * Puts series from several query answers on one time axis (the sorted union of their
 * timestamps), filling null where a series has no value. Series with the same key are merged,
 * the later one winning where both have a value. Buckets before the first and after the last
 * value of any series are dropped (see {@link trimEmptyEdges}).
 */
export function mergeSeries(sources: readonly SeriesSource[]): ChartData {
  const all = new Set<number>();
  for (const s of sources) for (const t of s.timestamps) all.add(t);
  const timestamps = [...all].sort((a, b) => a - b);
  const index = new Map(timestamps.map((t, i) => [t, i]));
  const byKey = new Map<string, ChartSeries>();
  for (const s of sources) {
    let target = byKey.get(s.key);
    if (!target) {
      target = { key: s.key, label: s.label, values: new Array<number | null>(timestamps.length).fill(null) };
      byKey.set(s.key, target);
    }
    for (let i = 0; i < s.timestamps.length; i++) {
      const v = s.values[i];
      if (v !== null && v !== undefined && Number.isFinite(v)) target.values[index.get(s.timestamps[i] as number) as number] = v;
    }
  }
  return trimEmptyEdges({ timestamps, series: [...byKey.values()] });
}

/**
 * Drops leading and trailing buckets in which every series is null. The query API returns every
 * bucket of the window; the empty ones at the edges carry nothing (the x axis spans the window
 * anyway), while empty buckets *between* values are kept because they draw the gaps.
 */
export function trimEmptyEdges(data: ChartData): ChartData {
  const hasValue = (i: number) => data.series.some((s) => s.values[i] !== null && s.values[i] !== undefined);
  let from = 0;
  while (from < data.timestamps.length && !hasValue(from)) from++;
  let to = data.timestamps.length;
  while (to > from && !hasValue(to - 1)) to--;
  if (from === 0 && to === data.timestamps.length) return data;
  return { timestamps: data.timestamps.slice(from, to), series: data.series.map((s) => ({ ...s, values: s.values.slice(from, to) })) };
}

/** Number of points a chart holds (its x axis length). */
export function pointCount(data: ChartData): number {
  return data.timestamps.length;
}
