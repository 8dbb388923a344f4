/** Label set of one sample of a self-metric. */
export type MetricLabels = Record<string, string>;

type Sample = { labels: MetricLabels; value: number };

interface Family {
  name: string;
  help: string;
  type: 'counter' | 'gauge' | 'histogram';
  collect(): Promise<Sample[]> | Sample[];
}

/** Escapes a label value for the Prometheus text format. */
function escapeLabel(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

function labelText(labels: MetricLabels): string {
  const parts = Object.entries(labels).map(([k, v]) => `${k}="${escapeLabel(v)}"`);
  return parts.length ? `{${parts.join(',')}}` : '';
}

function formatValue(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  return String(v);
}

/** A counter with optional labels. */
export class Counter {
  private readonly values = new Map<string, Sample>();
  /** Adds `n` (default 1) to the series with `labels`. */
  inc(labels: MetricLabels = {}, n = 1): void {
    const key = JSON.stringify(labels);
    const s = this.values.get(key);
    if (s) s.value += n;
    else this.values.set(key, { labels, value: n });
  }
  /** Current samples. */
  samples(): Sample[] {
    return [...this.values.values()];
  }
}

/** A histogram with fixed upper bounds (seconds for latencies). */
export class Histogram {
  private readonly series = new Map<string, { labels: MetricLabels; counts: number[]; sum: number; count: number }>();
  constructor(readonly bounds: readonly number[]) {}
  /** Records one observation. */
  observe(value: number, labels: MetricLabels = {}): void {
    const key = JSON.stringify(labels);
    let s = this.series.get(key);
    if (!s) this.series.set(key, (s = { labels, counts: new Array<number>(this.bounds.length).fill(0), sum: 0, count: 0 }));
    for (let i = 0; i < this.bounds.length; i++) {
      if (value <= (this.bounds[i] as number)) s.counts[i] = (s.counts[i] as number) + 1;
    }
    s.sum += value;
    s.count++;
  }
  /** Text-format lines for family `name`. */
  lines(name: string): string[] {
    const out: string[] = [];
    for (const s of this.series.values()) {
      this.bounds.forEach((b, i) => out.push(`${name}_bucket${labelText({ ...s.labels, le: String(b) })} ${s.counts[i]}`));
      out.push(`${name}_bucket${labelText({ ...s.labels, le: '+Inf' })} ${s.count}`);
      out.push(`${name}_sum${labelText(s.labels)} ${s.sum}`);
      out.push(`${name}_count${labelText(s.labels)} ${s.count}`);
    }
    return out;
  }
}

/**
 * The server's own metrics in Prometheus text format (`/metrics`). Gauges are collected on
 * scrape through callbacks, so modules expose state without a push step.
 */
export class MetricsRegistry {
  private readonly families: Family[] = [];
  private readonly histograms: { name: string; help: string; h: Histogram }[] = [];

  /** Registers a counter `name` (should end in `_total`). */
  counter(name: string, help: string): Counter {
    const c = new Counter();
    this.families.push({ name, help, type: 'counter', collect: () => c.samples() });
    return c;
  }

  /** Registers a counter whose value is read from `read` on each scrape. */
  counterFn(name: string, help: string, read: () => number | Sample[]): void {
    this.families.push({ name, help, type: 'counter', collect: () => asSamples(read()) });
  }

  /** Registers a gauge read on each scrape. */
  gauge(name: string, help: string, read: () => number | Sample[] | Promise<number | Sample[]>): void {
    this.families.push({ name, help, type: 'gauge', collect: async () => asSamples(await read()) });
  }

  /** Registers a histogram with the given upper bounds. */
  histogram(name: string, help: string, bounds: readonly number[]): Histogram {
    const h = new Histogram(bounds);
    this.histograms.push({ name, help, h });
    return h;
  }

  /** Renders every family; a failing gauge is skipped, never fails the scrape. */
  async render(): Promise<string> {
    const lines: string[] = [];
    for (const f of this.families) {
      let samples: Sample[];
      try {
        samples = await f.collect();
      } catch {
        continue;
      }
      lines.push(`# HELP ${f.name} ${f.help}`, `# TYPE ${f.name} ${f.type}`);
      for (const s of samples) lines.push(`${f.name}${labelText(s.labels)} ${formatValue(s.value)}`);
    }
    for (const { name, help, h } of this.histograms) lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} histogram`, ...h.lines(name));
    return `${lines.join('\n')}\n`;
  }
}

function asSamples(v: number | Sample[]): Sample[] {
  return typeof v === 'number' ? [{ labels: {}, value: v }] : v;
}
