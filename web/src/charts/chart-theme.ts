/** Colours of a chart, read from CSS custom properties so the stylesheet owns the theme. */
export interface ChartTheme {
  axis: string;
  grid: string;
  palette: string[];
  /** Colour of event markers (vertical lines). */
  marker: string;
}

const FALLBACK: ChartTheme = {
  axis: '#8b98a9',
  grid: 'rgba(139, 152, 169, 0.15)',
  marker: '#f94144',
  palette: ['#4cc9f0', '#f9c74f', '#90be6d', '#f8961e', '#c77dff', '#f94144', '#43aa8b', '#577590', '#ff87ab', '#b5e48c'],
};

/**
 * Reads `--chart-axis`, `--chart-grid`, `--chart-marker` and `--chart-1` … `--chart-10` from `el`'s computed style
 * (uPlot draws on a canvas, where CSS variables do not apply), falling back to the dark theme.
 */
export function readChartTheme(el: Element): ChartTheme {
  const style = getComputedStyle(el);
  const get = (name: string, fallback: string) => style.getPropertyValue(name).trim() || fallback;
  return {
    axis: get('--chart-axis', FALLBACK.axis),
    grid: get('--chart-grid', FALLBACK.grid),
    marker: get('--chart-marker', FALLBACK.marker),
    palette: FALLBACK.palette.map((c, i) => get(`--chart-${i + 1}`, c)),
  };
}
