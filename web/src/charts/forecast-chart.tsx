import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { formatAxisValue, formatValue, type Unit } from '../format/format-value.js';
import type { ForecastChartData } from '../pages/predictions/predictions-view.js';
import { axisIncrements } from './axis-increments.js';
import { readChartTheme } from './chart-theme.js';

/** Props of {@link ForecastChart}. */
export interface ForecastChartProps {
  data: ForecastChartData;
  unit: Unit;
  /** Horizontal line drawn at this value (capacity threshold), or null. */
  threshold: number | null;
  /** Plot height in CSS px (default 280). */
  height?: number;
  label: string;
}

const timeFormatter = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });

/** Series order in the plot (index 0 is x). Bands refer to these indexes. */
const IDX = { history: 1, mean: 2, lower80: 3, upper80: 4, lower95: 5, upper95: 6 } as const;

function withAlpha(color: string, alpha: number): string {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(color);
  if (!m) return color;
  return `rgba(${parseInt(m[1] as string, 16)}, ${parseInt(m[2] as string, 16)}, ${parseInt(m[3] as string, 16)}, ${alpha})`;
}

function aligned(d: ForecastChartData, threshold: number | null): uPlot.AlignedData {
  const cols = [d.timestamps, d.history, d.mean, d.lower80, d.upper80, d.lower95, d.upper95];
  if (threshold !== null) cols.push(d.timestamps.map(() => threshold));
  return cols as uPlot.AlignedData;
}

/**
 * History, point forecast and the filled 80 % / 95 % prediction bands (uPlot bands between the
 * lower and upper lines), plus an optional threshold line. The root exposes `data-points`,
 * `data-forecast-points` and `data-bands` for tests.
 */
export function ForecastChart({ data, unit, threshold, height = 280, label }: ForecastChartProps) {
  const hostRef = useRef<HTMLDivElement>(null);
  const forecastPoints = data.mean.filter((v) => v !== null).length;

  useEffect(() => {
    const host = hostRef.current;
    if (!host) return undefined;
    const theme = readChartTheme(host);
    const history = theme.palette[0] as string;
    const forecast = theme.palette[1] as string;
    const axisCommon = { stroke: theme.axis, grid: { stroke: theme.grid, width: 1 }, ticks: { stroke: theme.grid, width: 1 } };
    const fmt = (_u: uPlot, v: number | null) => formatValue(v, unit);
    const bound = (name: string, alpha: number): uPlot.Series => ({ label: name, stroke: withAlpha(forecast, alpha), width: 1, points: { show: false }, value: fmt });
    const opts: uPlot.Options = {
      width: Math.max(240, host.clientWidth),
      height,
      ms: 1,
      cursor: { drag: { x: false, y: false } },
      legend: { live: true },
      scales: { x: { time: true }, y: { range: (_u, min, max) => { const lo = Math.min(0, min ?? 0); const hi = Math.max(max ?? 1, threshold ?? -Infinity); return [lo, hi > lo ? hi + (hi - lo) * 0.08 : lo + 1]; } } },
      axes: [
        { ...axisCommon, space: 80 },
        { ...axisCommon, size: 76, incrs: axisIncrements(unit), values: (_u, splits) => splits.map((v) => formatAxisValue(v, unit)) },
      ],
      series: [
        { value: (_u, v) => (v == null ? '–' : timeFormatter.format(v)) },
        { label: 'History', stroke: history, width: 1.5, points: { show: false }, value: fmt },
        { label: 'Forecast', stroke: forecast, width: 2, dash: [6, 4], points: { show: false }, value: fmt },
        bound('Lower 80 %', 0.5),
        bound('Upper 80 %', 0.5),
        bound('Lower 95 %', 0.3),
        bound('Upper 95 %', 0.3),
        ...(threshold !== null ? [{ label: 'Threshold', stroke: theme.palette[5] as string, width: 1, dash: [2, 4], points: { show: false }, value: fmt }] : []),
      ],
      bands: [
        { series: [IDX.upper95, IDX.lower95], fill: withAlpha(forecast, 0.12) },
        { series: [IDX.upper80, IDX.lower80], fill: withAlpha(forecast, 0.22) },
      ],
    };
    const plot = new uPlot(opts, aligned(data, threshold), host);
    const observer = new ResizeObserver(() => {
      const width = Math.max(240, host.clientWidth);
      if (width !== plot.width) plot.setSize({ width, height });
    });
    observer.observe(host);
    return () => {
      observer.disconnect();
      plot.destroy();
    };
  }, [data, unit, threshold, height]);

  return (
    <figure class="time-chart forecast-chart" role="group" aria-label={label} data-points={data.timestamps.length} data-forecast-points={forecastPoints} data-bands="2">
      <div ref={hostRef} class="time-chart-plot" aria-hidden="true" />
      <figcaption class="visually-hidden">{label}: history with forecast and 80 % / 95 % prediction bands</figcaption>
    </figure>
  );
}
