import type { Selector } from '../../protocol/selector.js';
import type { SampleStore } from '../storage/sample-store.js';
import type { SeriesIndex } from '../storage/series-index.js';
import type { HistoryReader } from './rule-type-registry.js';

/** Most series one rule may read from history at once (backfill, dry run). */
export const HISTORY_MAX_SERIES = 10_000;

/** {@link HistoryReader} over the series index and sample store. */
export class StorageHistoryReader implements HistoryReader {
  constructor(
    private readonly series: SeriesIndex,
    private readonly samples: SampleStore,
    private readonly maxSeries = HISTORY_MAX_SERIES,
  ) {}

  async readRaw(selector: Selector, start: number, end: number) {
    const { series } = await this.series.select(selector, this.maxSeries);
    const raw = await this.samples.readRaw(series.map((s) => s.id), start, end);
    return series.map((s) => ({ metric: s.metric, labels: s.labels, ...(raw.get(s.id) ?? { ts: [], values: [] }) }));
  }

  async latest(selector: Selector) {
    const { series } = await this.series.select(selector, this.maxSeries);
    const latest = await this.samples.latest(series.map((s) => s.id));
    const out: { metric: string; labels: Record<string, string>; ts: number; value: number }[] = [];
    for (const s of series) {
      const l = latest.get(s.id);
      if (l) out.push({ metric: s.metric, labels: s.labels, ts: l.ts, value: l.value });
    }
    return out;
  }
}
