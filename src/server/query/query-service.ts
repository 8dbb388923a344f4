import { AGGREGATIONS, type Aggregation, type QueryResult, type QuerySeries, type SeriesInfo } from '../../protocol/query.js';
import { ParseError } from '../../protocol/duration.js';
import { isLabelName, parseSelector, type Selector } from '../../protocol/selector.js';
import type { Clock } from '../core/clock.js';
import { VigilError } from '../core/errors.js';
import type { BucketStats, SampleStore } from '../storage/sample-store.js';
import type { SeriesIndex } from '../storage/series-index.js';
import { combine, pooledQuantileBuckets, reduceBucket } from './aggregate.js';
import { parseStep, parseTime } from './parse-time.js';

/** Raw query parameters as they arrive (strings from the URL). */
export interface RangeQueryParams {
  query?: string;
  start?: string;
  end?: string;
  step?: string;
  agg?: string;
  by?: string;
}

/** Query limits (config). */
export interface QueryLimits {
  /** Longest `end - start`, ms (default 400 days). */
  maxRangeMs: number;
  /** Most series a selector may match (default 2,000). */
  maxSeries: number;
  /** Most buckets per series (default 11,000, as Prometheus). */
  maxPoints: number;
}

/** Default query limits. */
export const DEFAULT_QUERY_LIMITS: QueryLimits = { maxRangeMs: 400 * 86_400_000, maxSeries: 2000, maxPoints: 11_000 };

const NICE_STEPS_MS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400].map((s) => s * 1000);
/** Buckets aimed at when no step is given. */
const TARGET_BUCKETS = 300;

interface Parsed {
  selector: Selector;
  start: number;
  end: number;
  step: number;
  agg: Aggregation;
  by: string[] | null;
}

/** Range queries with aggregation and grouping over the {@link SampleStore}. */
export class QueryService {
  constructor(
    private readonly series: SeriesIndex,
    private readonly samples: SampleStore,
    private readonly clock: Clock,
    private readonly limits: QueryLimits = DEFAULT_QUERY_LIMITS,
  ) {}

  /** Validates the parameters and runs the query. */
  async range(params: RangeQueryParams): Promise<QueryResult> {
    const q = this.parse(params);
    const { series, truncated } = await this.series.select(q.selector, this.limits.maxSeries);
    if (truncated) {
      throw new VigilError('VIGIL_ERR_QUERY_TOO_MANY_SERIES', `the selector matches more than ${this.limits.maxSeries} series; add label matchers to narrow it`, { limit: this.limits.maxSeries });
    }
    const first = Math.floor(q.start / q.step) * q.step;
    const n = Math.max(0, Math.ceil((q.end - first) / q.step));
    const timestamps = Array.from({ length: n }, (_, i) => first + i * q.step);
    const ids = series.map((s) => s.id);
    const read = await this.samples.readBuckets(ids, first, q.end, q.step);
    let scanned = read.samplesScanned;
    const groups = groupSeries(series, q.by);
    const out: QuerySeries[] = [];
    for (const g of groups) {
      let values: (number | null)[];
      if (q.agg === 'p95') {
        const raw = await this.samples.readRaw(g.members.map((m) => m.id), first, q.end);
        scanned += [...raw.values()].reduce((a, s) => a + s.ts.length, 0);
        values = pooledQuantileBuckets([...raw.values()], first, q.step, n, 0.95);
      } else {
        values = combineGroup(g.members.map((m) => read.buckets.get(m.id) ?? []), n, q.agg);
      }
      out.push({ metric: g.metric, labels: g.labels, values });
    }
    return { start: q.start, end: q.end, step: q.step, tier: read.tier, timestamps, series: out, stats: { seriesMatched: series.length, samplesScanned: scanned } };
  }

  private parse(p: RangeQueryParams): Parsed {
    if (!p.query) throw new VigilError('VIGIL_ERR_VALIDATION', 'query is required, e.g. query=cpu_usage_percent{host="web-1"}');
    let selector: Selector;
    try {
      selector = parseSelector(p.query);
    } catch (err) {
      throw new VigilError('VIGIL_ERR_SELECTOR_SYNTAX', err instanceof ParseError ? err.message : 'invalid selector');
    }
    const now = this.clock.now();
    const end = parseParam('end', p.end, () => parseTime(p.end as string, now), now);
    const start = parseParam('start', p.start, () => parseTime(p.start as string, now), end - 3_600_000);
    if (start >= end) throw new VigilError('VIGIL_ERR_VALIDATION', 'start must be before end');
    if (end - start > this.limits.maxRangeMs) {
      throw new VigilError('VIGIL_ERR_QUERY_RANGE_TOO_LARGE', `the range is longer than the limit of ${Math.round(this.limits.maxRangeMs / 86_400_000)} days`, { maxRangeMs: this.limits.maxRangeMs });
    }
    const step = parseParam('step', p.step, () => parseStep(p.step as string), defaultStep(end - start));
    if (step < 1000) throw new VigilError('VIGIL_ERR_VALIDATION', 'step must be at least 1s');
    const points = Math.ceil((end - Math.floor(start / step) * step) / step);
    if (points > this.limits.maxPoints) {
      throw new VigilError('VIGIL_ERR_QUERY_TOO_MANY_POINTS', `the query would return ${points} points per series; the limit is ${this.limits.maxPoints}: raise step or shorten the range`, { points, limit: this.limits.maxPoints });
    }
    const agg = (p.agg ?? 'avg') as Aggregation;
    if (!AGGREGATIONS.includes(agg)) throw new VigilError('VIGIL_ERR_VALIDATION', `agg must be one of ${AGGREGATIONS.join(', ')}`, { allowed: AGGREGATIONS });
    return { selector, start, end, step, agg, by: parseBy(p.by) };
  }
}

function parseParam(name: string, raw: string | undefined, parse: () => number, fallback: number): number {
  if (raw === undefined || raw === '') return fallback;
  try {
    return parse();
  } catch (err) {
    throw new VigilError('VIGIL_ERR_VALIDATION', `${name}: ${err instanceof Error ? err.message : 'invalid'}`);
  }
}

function parseBy(raw: string | undefined): string[] | null {
  if (raw === undefined) return null;
  const names = raw.split(',').map((s) => s.trim()).filter((s) => s !== '');
  const bad = names.find((n) => !isLabelName(n));
  if (bad !== undefined) throw new VigilError('VIGIL_ERR_VALIDATION', `by: "${bad.slice(0, 50)}" is not a label name`);
  return names;
}

/** The smallest "nice" step giving at most ~300 buckets over `rangeMs`. */
export function defaultStep(rangeMs: number): number {
  const want = rangeMs / TARGET_BUCKETS;
  return NICE_STEPS_MS.find((s) => s >= want) ?? Math.ceil(want / 86_400_000) * 86_400_000;
}

interface Group {
  metric: string;
  labels: Record<string, string>;
  members: SeriesInfo[];
}

function groupSeries(series: SeriesInfo[], by: string[] | null): Group[] {
  if (by === null) return series.map((s) => ({ metric: s.metric, labels: s.labels, members: [s] }));
  const groups = new Map<string, Group>();
  for (const s of series) {
    const labels: Record<string, string> = {};
    for (const n of by) if (s.labels[n] !== undefined) labels[n] = s.labels[n] as string;
    const key = JSON.stringify(labels);
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { metric: s.metric, labels, members: [] }));
    else if (g.metric !== s.metric) g.metric = '';
    g.members.push(s);
  }
  return [...groups.values()];
}

function combineGroup(members: (BucketStats | null)[][], n: number, agg: Aggregation): (number | null)[] {
  const out: (number | null)[] = new Array<number | null>(n).fill(null);
  const vals: number[] = [];
  for (let i = 0; i < n; i++) {
    vals.length = 0;
    for (const m of members) {
      const v = reduceBucket(m[i] ?? null, agg);
      if (v !== null) vals.push(v);
    }
    out[i] = members.length === 1 ? (vals[0] ?? null) : combine(vals, agg);
  }
  return out;
}
