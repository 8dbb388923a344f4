import type { RuleDryRunResult } from '../../../src/protocol/alerting.js';
import type { QueryResult } from '../../../src/protocol/query.js';
import { parseSelector, printSelector } from '../../../src/protocol/selector.js';
import { mergeSeries, type ChartData, type SeriesSource } from '../charts/chart-data.js';

/** Thresholds drawn as flat lines next to the metric. */
export interface Thresholds {
  warning: number | null;
  critical: number | null;
  recovery?: number | null;
}

/**
 * The selector of the series behind one alert: the rule's selector narrowed by the alert's labels
 * (minus `alertname`, `severity` and the rule's own labels, which the series does not carry).
 * Null when the rule's selector cannot be parsed.
 */
export function alertSeriesSelector(ruleSelector: string, alertLabels: Record<string, string>, ruleLabels: Record<string, string>): string | null {
  try {
    const s = parseSelector(ruleSelector);
    const extra = Object.entries(alertLabels)
      .filter(([k]) => k !== 'alertname' && k !== 'severity' && !(k in ruleLabels) && !s.matchers.some((m) => m.name === k && m.op === '='))
      .map(([name, value]) => ({ name, op: '=' as const, value }));
    return printSelector({ metric: s.metric, matchers: [...s.matchers, ...extra] });
  } catch {
    return null;
  }
}

function thresholdLines(timestamps: readonly number[], t: Thresholds): SeriesSource[] {
  const out: SeriesSource[] = [];
  for (const [name, v] of [['critical', t.critical], ['warning', t.warning], ['recovery', t.recovery ?? null]] as const) {
    if (v !== null && v !== undefined && timestamps.length > 0) out.push({ key: `threshold:${name}`, label: `${name} ${v}`, timestamps, values: timestamps.map(() => v) });
  }
  return out;
}

/** A range-query answer plus threshold lines, on one axis. */
export function queryChart(result: QueryResult, t: Thresholds): ChartData {
  const sources: SeriesSource[] = result.series.map((s, i) => ({ key: `s${i}`, label: Object.entries(s.labels).map(([k, v]) => `${k}=${v}`).join(', ') || s.metric, timestamps: result.timestamps, values: s.values }));
  return mergeSeries([...sources, ...thresholdLines(result.timestamps, t)]);
}

/**
 * Marks when the rule would have been firing: at each evaluation time where at least one alert
 * fires, the highest evaluated value (so the overlay sits on the curve), else null.
 */
export function firingOverlay(r: RuleDryRunResult): SeriesSource | null {
  const ts = r.series[0]?.timestamps ?? [];
  if (ts.length === 0 || r.events.length === 0) return null;
  const events = [...r.events].sort((a, b) => a.ts - b.ts);
  const firing = new Set<string>();
  let e = 0;
  const values = ts.map((t, i) => {
    for (; e < events.length && (events[e] as { ts: number }).ts <= t; e++) {
      const ev = events[e] as RuleDryRunResult['events'][number];
      const key = JSON.stringify(Object.entries(ev.labels).filter(([k]) => k !== 'severity').sort());
      if (ev.to === 'firing') firing.add(key);
      else firing.delete(key);
    }
    if (firing.size === 0) return null;
    const vs = r.series.map((s) => s.values[i]).filter((v): v is number => typeof v === 'number');
    return vs.length ? Math.max(...vs) : null;
  });
  return values.some((v) => v !== null) ? { key: 'fired', label: 'would fire', timestamps: ts, values } : null;
}

/** A dry run's evaluated values, its thresholds, and the moments it would have fired. */
export function dryRunChart(r: RuleDryRunResult): ChartData {
  const sources: SeriesSource[] = r.series.map((s, i) => ({ key: `s${i}`, label: Object.entries(s.labels).map(([k, v]) => `${k}=${v}`).join(', ') || 'value', timestamps: s.timestamps, values: s.values }));
  const ts = r.series[0]?.timestamps ?? [];
  const fired = firingOverlay(r);
  return mergeSeries([...sources, ...thresholdLines(ts, r.thresholds), ...(fired ? [fired] : [])]);
}

/** "Would have fired 7 times in the last 7 days" style summary. */
export function firesSummary(r: RuleDryRunResult): string {
  const days = Math.round((r.end - r.start) / 86_400_000);
  const span = days >= 1 ? `${days} day${days === 1 ? '' : 's'}` : `${Math.round((r.end - r.start) / 3_600_000)} hours`;
  return `Would have fired ${r.fires} time${r.fires === 1 ? '' : 's'} in the last ${span}${r.truncated ? ' (event list truncated)' : ''}.`;
}
