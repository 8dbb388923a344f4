import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { formatAxisValue, formatValue, type Unit } from '../format/format-value.js';
import { axisIncrements } from './axis-increments.js';
import type { ChartData } from './chart-data.js';
import { anomalyHoverText, nearestAnomaly, type ChartOverlay } from './chart-overlay.js';
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
  /** Anomaly overlay: expected band and flagged points drawn over the lines (null/absent: none). */
  overlay?: ChartOverlay | null;
  /**
   * Instants (ms since epoch) marked with a vertical line, e.g. the time of a security event on
   * the host's charts. Default none.
   */
  markers?: readonly number[];
}

const ANOMALY_COLOR = '#f94144';

/** Draws the overlay's band and anomalous points on the plot canvas (a uPlot `draw` hook). */
function drawOverlay(u: uPlot, o: ChartOverlay): void {
  const ctx = u.ctx;
  const { left, top, width, height } = u.bbox;
  ctx.save();
  ctx.beginPath();
  ctx.rect(left, top, width, height);
  ctx.clip();
  // The band, one polygon per run of judged points.
  ctx.fillStyle = 'rgba(249, 199, 79, 0.16)';
  let run: number[] = [];
  const flush = () => {
    if (run.length > 1) {
      ctx.beginPath();
      run.forEach((i, k) => {
        const x = u.valToPos(o.timestamps[i] as number, 'x', true);
        const y = u.valToPos(o.upper[i] as number, 'y', true);
        if (k === 0) ctx.moveTo(x, y);
        else ctx.lineTo(x, y);
      });
      for (let k = run.length - 1; k >= 0; k--) {
        const i = run[k] as number;
        ctx.lineTo(u.valToPos(o.timestamps[i] as number, 'x', true), u.valToPos(o.lower[i] as number, 'y', true));
      }
      ctx.closePath();
      ctx.fill();
    }
    run = [];
  };
  for (let i = 0; i < o.timestamps.length; i++) {
    if (o.upper[i] === null || o.lower[i] === null || o.upper[i] === undefined || o.lower[i] === undefined) flush();
    else run.push(i);
  }
  flush();
  ctx.fillStyle = ANOMALY_COLOR;
  const r = 4 * (window.devicePixelRatio || 1);
  for (const a of o.anomalies) {
    ctx.beginPath();
    ctx.arc(u.valToPos(a.ts, 'x', true), u.valToPos(a.value, 'y', true), r, 0, 2 * Math.PI);
    ctx.fill();
  }
  ctx.restore();
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

/** Writes the detector and score of the anomaly under the cursor (if any) into `el`. */
function showAnomalyHover(u: uPlot, o: ChartOverlay | null, el: HTMLElement | null, unit: Unit): void {
  if (!o || !el) return;
  const idx = u.cursor.idx;
  const ts = idx === null || idx === undefined ? null : (u.data[0][idx] as number | undefined);
  const step = o.timestamps.length > 1 ? (o.timestamps[1] as number) - (o.timestamps[0] as number) : 60_000;
  const a = ts === null || ts === undefined ? null : nearestAnomaly(o, ts, step);
  el.textContent = a ? anomalyHoverText(o, a, (v) => formatValue(v, unit)) : '';
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
  const { data, unit, windowStart, windowEnd, yRange, height = 220, label, overlay = null, markers = NO_MARKERS } = props;
  const hostRef = useRef<HTMLDivElement>(null);
  const hoverRef = useRef<HTMLParagraphElement>(null);
  const overlayRef = useRef<ChartOverlay | null>(overlay);
  overlayRef.current = overlay;
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
      hooks: {
        setData: [showLatestInLegend],
        setCursor: [showLatestInLegend, (u) => showAnomalyHover(u, overlayRef.current, hoverRef.current, unit)],
        draw: [
          (u) => {
            if (overlayRef.current) drawOverlay(u, overlayRef.current);
            drawMarkers(u, markersRef.current, theme.marker);
          },
        ],
      },
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

  useEffect(() => {
    plotRef.current?.redraw(false);
    if (!overlay && hoverRef.current) hoverRef.current.textContent = '';
  }, [overlay]);

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
      {overlay ? <p ref={hoverRef} class="anomaly-hover muted" aria-live="polite" data-anomaly-hover /> : null}
      <figcaption class="visually-hidden">
        {label}: latest {summary || 'no data'}
        {overlay ? `; ${overlay.anomalies.length} anomalous points (${overlay.detector})` : ''}
      </figcaption>
    </figure>
  );
}
