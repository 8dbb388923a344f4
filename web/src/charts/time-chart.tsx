import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { formatAxisValue, formatValue, type Unit } from '../format/format-value.js';
import { axisIncrements } from './axis-increments.js';
import type { ChartData } from './chart-data.js';
import { readChartTheme } from './chart-theme.js';

/** Props of {@link TimeChart}. */
export interface TimeChartProps {
  data: ChartData;
  unit: Unit;
  /** Visible window, ms since epoch: the x axis always spans it, even where data is missing. */
  windowStart: number;
  windowEnd: number;
  /** Fixed y range; default from 0 (or the minimum if negative) to the maximum. */
  yRange?: [number, number];
  /** Plot height in CSS px (default 220). */
  height?: number;
  /** Accessible name, e.g. "CPU". */
  label: string;
  /**
   * Instants (ms since epoch) marked with a vertical line, e.g. the time of a security event on
   * the host's charts. Default none.
   */
  markers?: readonly number[];
}

const NO_MARKERS: readonly number[] = [];

const timeFormatter = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });

function seriesSignature(data: ChartData): string {
  return JSON.stringify(data.series.map((s) => [s.key, s.label]));
}

function aligned(data: ChartData): uPlot.AlignedData {
  return [data.timestamps, ...data.series.map((s) => s.values)] as uPlot.AlignedData;
}

/**
 * Points the legend at each line's latest value while the pointer is not over the chart, so the
 * legend doubles as a "current value" readout.
 */
function showLatestInLegend(u: uPlot): void {
  if (u.cursor.left !== undefined && u.cursor.left >= 0) return;
  const idxs = u.data.map((values) => {
    for (let i = values.length - 1; i >= 0; i--) if (values[i] !== null && values[i] !== undefined) return i;
    return null;
  });
  u.setLegend({ idxs }, false);
}

/** Draws a dashed vertical line at each marker inside the plot area (uPlot `draw` hook). */
function drawMarkers(u: uPlot, markers: readonly number[], color: string): void {
  if (markers.length === 0) return;
  const ctx = u.ctx;
  const { top, height, left, width } = u.bbox;
  ctx.save();
  ctx.strokeStyle = color;
  ctx.lineWidth = 2 * devicePixelRatio;
  ctx.setLineDash([6 * devicePixelRatio, 4 * devicePixelRatio]);
  for (const ts of markers) {
    const x = Math.round(u.valToPos(ts, 'x', true));
    if (x < left || x > left + width) continue;
    ctx.beginPath();
    ctx.moveTo(x, top);
    ctx.lineTo(x, top + height);
    ctx.stroke();
  }
  ctx.restore();
}

function lastValue(values: readonly (number | null)[]): number | null {
  for (let i = values.length - 1; i >= 0; i--) if (values[i] !== null && values[i] !== undefined) return values[i] as number;
  return null;
}

/**
 * A uPlot time-series chart that fills its container's width and follows window resizes. The
 * chart is rebuilt only when the set of lines changes; new data (e.g. a live point) goes through
 * `setData`, so appending does not flicker. The root element exposes `data-points` (x-axis
 * length) and `data-last-ts` so tests can watch the chart receive data.
 */
export function TimeChart(props: TimeChartProps) {
  const { data, unit, windowStart, windowEnd, yRange, height = 220, label, markers = NO_MARKERS } = props;
  const hostRef = useRef<HTMLDivElement>(null);
  const plotRef = useRef<uPlot | null>(null);
  const windowRef = useRef({ start: windowStart, end: windowEnd });
  windowRef.current = { start: windowStart, end: windowEnd };
  const dataRef = useRef(data);
  dataRef.current = data;
  const markersRef = useRef(markers);
  markersRef.current = markers;
  const signature = seriesSignature(data);
  const yKey = yRange ? yRange.join(',') : '';

  useEffect(() => {
    const host = hostRef.current;
    if (!host) return undefined;
    const theme = readChartTheme(host);
    const axisCommon = { stroke: theme.axis, grid: { stroke: theme.grid, width: 1 }, ticks: { stroke: theme.grid, width: 1 } };
    const opts: uPlot.Options = {
      width: Math.max(200, host.clientWidth),
      height,
      ms: 1,
      cursor: { drag: { x: false, y: false } },
      legend: { live: true },
      hooks: { setData: [showLatestInLegend], setCursor: [showLatestInLegend], draw: [(u) => drawMarkers(u, markersRef.current, theme.marker)] },
      scales: {
        x: { time: true, range: () => [windowRef.current.start, windowRef.current.end] },
        y: {
          range: yRange
            ? (_u, _min, max) => [yRange[0], Math.max(yRange[1], max ?? yRange[1])]
            : (_u, min, max) => {
                const lo = Math.min(0, min ?? 0);
                const hi = max ?? 1;
                return [lo, hi > lo ? hi + (hi - lo) * 0.08 : lo + 1];
              },
        },
      },
      axes: [
        { ...axisCommon, space: 70 },
        { ...axisCommon, size: 76, incrs: axisIncrements(unit), values: (_u, splits) => splits.map((v) => formatAxisValue(v, unit)) },
      ],
      series: [
        { value: (_u, v) => (v == null ? '–' : timeFormatter.format(v)) },
        ...dataRef.current.series.map((s, i) => ({
          label: s.label,
          stroke: theme.palette[i % theme.palette.length] as string,
          width: 1.5,
          points: { show: false },
          value: (_u: uPlot, v: number | null) => formatValue(v, unit),
        })),
      ],
    };
    const plot = new uPlot(opts, aligned(dataRef.current), host);
    plotRef.current = plot;
    const observer = new ResizeObserver(() => {
      const width = Math.max(200, host.clientWidth);
      if (width !== plot.width) plot.setSize({ width, height });
    });
    observer.observe(host);
    return () => {
      observer.disconnect();
      plot.destroy();
      plotRef.current = null;
    };
    // The plot is rebuilt only when its lines, unit, y range or height change.
  }, [signature, unit, yKey, height]);

  useEffect(() => {
    plotRef.current?.setData(aligned(data), true);
  }, [data]);

  useEffect(() => {
    plotRef.current?.setScale('x', { min: windowStart, max: windowEnd });
  }, [windowStart, windowEnd]);

  const markersKey = markers.join(',');
  useEffect(() => {
    plotRef.current?.redraw(false, false);
  }, [markersKey]);

  const summary = data.series
    .slice(0, 12)
    .map((s) => `${s.label} ${formatValue(lastValue(s.values), unit)}`)
    .join(', ');
  return (
    <figure class="time-chart" role="group" aria-label={label} data-points={data.timestamps.length} data-series={data.series.length} data-last-ts={data.timestamps[data.timestamps.length - 1] ?? ''} data-markers={markersKey || undefined}>
      <div ref={hostRef} class="time-chart-plot" aria-hidden="true" />
      <figcaption class="visually-hidden">
        {label}: latest {summary || 'no data'}
      </figcaption>
    </figure>
  );
}
