import type { Selector } from '../../../protocol/selector.js';
import { seriesKey, type Labels } from '../../core/labels.js';
import type { ActiveLevel, HistoryReader } from '../rule-type-registry.js';
import { SeriesGrid } from '../series-grid.js';

/** Most series one forecast/anomaly rule tracks; samples of further series are ignored (bounded CPU and memory). */
export const MAX_GRID_SERIES_PER_RULE = 1000;

/** One tracked series: labels, its grid, and a rule-specific cache (e.g. the last model fit). */
export interface GridEntry<C> {
  labels: Labels;
  grid: SeriesGrid;
  cache: C | null;
}

/**
 * Per-series grids of a forecast or anomaly rule: fed by `observe` (every committed sample) and
 * by `backfill` (stored history after a restart), forgotten after `forgetMs` without samples
 * unless an alert is active.
 */
export class GridSeriesState<C> {
  readonly series = new Map<string, GridEntry<C>>();
  /** Samples dropped because the rule already tracks {@link MAX_GRID_SERIES_PER_RULE} series. */
  dropped = 0;

  constructor(
    private readonly stepMs: number,
    private readonly capacity: number,
  ) {}

  /** Adds a sample to the series' grid (creating it when there is room). */
  push(key: string, labels: Labels, ts: number, value: number): void {
    let e = this.series.get(key);
    if (!e) {
      if (this.series.size >= MAX_GRID_SERIES_PER_RULE) {
        this.dropped++;
        return;
      }
      this.series.set(key, (e = { labels, grid: new SeriesGrid(this.stepMs, this.capacity), cache: null }));
    }
    e.grid.push(ts, value);
  }

  /** Loads `historyMs` of stored samples before `at` into the grids. */
  async backfill(history: HistoryReader, selector: Selector, at: number, historyMs: number): Promise<void> {
    for (const s of await history.readRaw(selector, at - historyMs, at + 1)) {
      const key = seriesKey(s.metric, s.labels);
      for (let i = 0; i < s.ts.length; i++) this.push(key, s.labels, s.ts[i] as number, s.values[i] as number);
    }
  }

  /** Forgets the series when silent since before `at − forgetMs` with no active alert; false when it was forgotten. */
  keepOrForget(key: string, e: GridEntry<C>, at: number, forgetMs: number, active: ActiveLevel): boolean {
    if (e.grid.newestTs < at - forgetMs && active(key) === null) {
      this.series.delete(key);
      return false;
    }
    return true;
  }
}
