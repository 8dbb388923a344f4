import { useEffect, useRef, useState } from 'preact/hooks';
import type { LiveSeries } from '../../../../src/protocol/live.js';
import type { AnomalyResponse } from '../../../../src/protocol/forecast.js';
import type { QueryResult } from '../../../../src/protocol/query.js';
import { mergeSeries, type ChartData } from '../../charts/chart-data.js';
import { overlayFromAnomaly, type ChartOverlay } from '../../charts/chart-overlay.js';
import { LiveSeriesBuffer } from '../../charts/live-series-buffer.js';
import { TimeChart } from '../../charts/time-chart.js';
import { Panel } from '../../components/panel.js';
import { useServices } from '../../hooks/app-services.js';
import { useNow } from '../../hooks/use-now.js';
import { useResource } from '../../hooks/use-resource.js';
import type { Feed } from '../../live/feed.js';
import { chooseStep, queryWindow, type QueryWindow, type TimeRangePreset } from '../../time/time-range.js';
import { anomalyRequest, chartQueryParams, livePointsFor, resultToSources, type HostChart } from './host-charts.js';

/** Props of {@link HostChartPanel}. */
export interface HostChartPanelProps {
  chart: HostChart;
  /** Value of the `host` label (the agent's name). */
  host: string;
  /** Agent collection interval in ms (null: 10 s). */
  intervalMs: number | null;
  range: TimeRangePreset;
  /** Append pushed samples and keep the window sliding. */
  live: boolean;
  /** The host page's live samples, fanned out to its charts. */
  feed: Feed<LiveSeries[]>;
  /** Fires when the user asks to refresh every chart (outside live mode). */
  refresh: Feed<void>;
  /** Show the anomaly overlay (expected band and flagged points of the chart's first query). */
  anomalies?: boolean;
}

interface Loaded {
  window: QueryWindow;
  data: ChartData;
}

function LiveWindowChart(props: { chart: HostChart; data: ChartData; rangeMs: number; overlay: ChartOverlay | null }) {
  const now = useNow();
  return <TimeChart data={props.data} unit={props.chart.unit} yRange={props.chart.yRange} windowStart={now - props.rangeMs} windowEnd={now} label={props.chart.title} overlay={props.overlay} />;
}

/** The overlay resource: `idle` until it was computed for the overlay switched on (so a value left from the "off" state is never shown as a result). */
type OverlayLoad = { kind: 'idle' } | { kind: 'done'; overlay: ChartOverlay | null };

/**
 * Loads the anomaly overlay of a chart (its first query, over the loaded window) while `on`;
 * the status line carries `data-state` and `data-anomalies` for tests and screen readers.
 */
function useAnomalyOverlay(chart: HostChart, host: string, window: QueryWindow | undefined, on: boolean) {
  const { api } = useServices();
  return useResource<OverlayLoad>(
    async (signal) => (on && window ? { kind: 'done', overlay: overlayFromAnomaly(await api.post<AnomalyResponse>('/api/v1/anomaly', anomalyRequest(chart, host, window), signal)) } : { kind: 'idle' }),
    [chart, host, window?.start, window?.end, window?.step, on],
    { resync: false },
  );
}

/** The last computed overlay (kept on the chart while a newer one loads), or null. */
function overlayResult(overlay: ReturnType<typeof useAnomalyOverlay>): ChartOverlay | null {
  return overlay.data?.kind === 'done' ? overlay.data.overlay : null;
}

function OverlayStatus({ overlay }: { overlay: ReturnType<typeof useAnomalyOverlay> }) {
  const done = overlay.status === 'ready' && overlay.data?.kind === 'done';
  const state = overlay.status === 'error' ? 'error' : done ? 'ready' : 'loading';
  const result = done ? overlayResult(overlay) : null;
  const count = result?.anomalies.length ?? 0;
  const text = state === 'loading' ? 'Scoring anomalies…' : state === 'error' ? `Anomalies unavailable: ${overlay.error?.message ?? 'error'}` : result ? `${count} anomalous point${count === 1 ? '' : 's'} (${result.detector}); hover a red point for its score.` : 'Not enough history to score anomalies.';
  return (
    <p class="anomaly-overlay-status muted small" data-anomaly-overlay data-state={state} data-anomalies={count}>
      {text}
    </p>
  );
}

/**
 * One chart of the host page: loads its queries for the chosen range, then (in live mode) folds
 * in samples from the page's feed without refetching, dropping buckets that leave the window.
 */
export function HostChartPanel({ chart, host, intervalMs, range, live, feed, refresh, anomalies = false }: HostChartPanelProps) {
  const { api, serverClock } = useServices();
  const step = chooseStep(range.ms, intervalMs ?? 10_000);
  const resource = useResource<Loaded>(
    async (signal) => {
      const window = queryWindow(serverClock.serverNow(), range.ms, step);
      const answers = await Promise.all(chart.queries.map((q) => api.get<QueryResult>('/api/v1/query', chartQueryParams(q, host, window), signal)));
      return { window, data: mergeSeries(answers.flatMap((a, i) => resultToSources(chart.queries[i]!, a))) };
    },
    // Turning live mode on refetches: the window now ends at "now", not at the last load.
    [chart, host, range.ms, step, live],
  );
  const { reload } = resource;
  useEffect(() => refresh.subscribe(reload), [refresh, reload]);
  const bufferRef = useRef<LiveSeriesBuffer | null>(null);
  const [liveData, setLiveData] = useState<ChartData | null>(null);

  useEffect(() => {
    bufferRef.current = resource.data ? new LiveSeriesBuffer(resource.data.data, resource.data.window.step) : null;
    setLiveData(null);
  }, [resource.data]);

  useEffect(() => {
    if (!live) return undefined;
    return feed.subscribe((series) => {
      const buffer = bufferRef.current;
      if (!buffer) return;
      const points = livePointsFor(chart, series);
      if (points.length > 0 && buffer.append(points, serverClock.serverNow() - range.ms)) setLiveData(buffer.current);
    });
  }, [live, feed, chart, range.ms, serverClock]);

  const overlay = useAnomalyOverlay(chart, host, resource.data?.window, anomalies);
  const overlayData = anomalies ? overlayResult(overlay) : null;
  const shown = liveData ?? resource.data?.data;
  return (
    <Panel id={`chart-${chart.id}`} title={chart.title} resource={resource} isEmpty={() => !shown || shown.timestamps.length === 0} class="chart-panel">
      {(loaded) => (
        <>
          {live ? (
            <LiveWindowChart chart={chart} data={shown ?? loaded.data} rangeMs={range.ms} overlay={overlayData} />
          ) : (
            <TimeChart data={shown ?? loaded.data} unit={chart.unit} yRange={chart.yRange} windowStart={loaded.window.start} windowEnd={loaded.window.end} label={chart.title} overlay={overlayData} />
          )}
          {anomalies ? <OverlayStatus overlay={overlay} /> : null}
        </>
      )}
    </Panel>
  );
}
