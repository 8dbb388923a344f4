import type { AlertSeverity, AlertState, RuleDryRunResult } from '../../protocol/alerting.js';
import { seriesKey, type Labels } from '../core/labels.js';
import { DEFAULT_FLAP, DEFAULT_NO_DATA_RESOLVE_MS, type AlertInstance } from './alert-lifecycle.js';
import type { CompiledRule } from './alert-rule.js';
import { RuleRuntime } from './rule-runtime.js';

/** One input series of a simulation. */
export interface SimSeries {
  metric: string;
  labels: Labels;
  ts: number[];
  values: number[];
}

/** Limits of one simulation. */
export interface SimOptions {
  start: number;
  end: number;
  /** Periodic evaluation step, ms (the rule's interval by default). */
  stepMs?: number;
  /** Chart series kept (default 20). */
  maxChartSeries?: number;
  /** Events kept (default 1,000). */
  maxEvents?: number;
}

/** Everything that happened to one alert in a simulation, for `vigil rules test`. */
export interface SimAlertSnapshot {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  state: AlertState;
  severity: AlertSeverity;
  value: number | null;
}

/** Result plus the alert states at chosen instants. */
export interface SimResult extends RuleDryRunResult {
  /** Alert states after evaluating at each requested checkpoint (ms → alerts). */
  snapshots: Map<number, SimAlertSnapshot[]>;
}

/**
 * Replays history through a rule exactly as the engine would: samples in time order through the
 * per-sample path, periodic evaluation every step, the same lifecycle. Samples before `start`
 * (up to the evaluator's history window) warm the state up without producing events.
 */
export async function simulateRule(rule: CompiledRule, series: readonly SimSeries[], opts: SimOptions, checkpoints: readonly number[] = []): Promise<SimResult> {
  const step = opts.stepMs ?? rule.record.intervalMs;
  const maxChart = opts.maxChartSeries ?? 20;
  const maxEvents = opts.maxEvents ?? 1000;
  const evaluator = rule.type.createEvaluator(rule.spec, { severity: rule.record.severity, startedAt: opts.start });
  const rt = new RuleRuntime(rule, evaluator, { forMs: rule.record.forMs, keepFiringForMs: rule.record.keepFiringForMs, noDataResolveMs: DEFAULT_NO_DATA_RESOLVE_MS, flap: DEFAULT_FLAP });
  const points: { ts: number; s: number; i: number }[] = [];
  series.forEach((s, si) => s.ts.forEach((ts, i) => points.push({ ts, s: si, i })));
  points.sort((a, b) => a.ts - b.ts || a.s - b.s);
  const keys = series.map((s) => seriesKey(s.metric, s.labels));

  const evalTimes: number[] = [];
  for (let t = Math.ceil(opts.start / step) * step; t <= opts.end; t += step) evalTimes.push(t);
  const evalSet = new Set(evalTimes);
  const chart = new Map<string, { labels: Labels; values: Map<number, number | null> }>();
  let recording = false;
  rt.onObservation = (obs, at) => {
    if (!recording || !evalSet.has(at)) return;
    let c = chart.get(obs.key);
    if (!c) {
      if (chart.size >= maxChart) return;
      chart.set(obs.key, (c = { labels: obs.labels, values: new Map() }));
    }
    c.values.set(at, obs.value);
  };
  const events: RuleDryRunResult['events'] = [];
  let fires = 0;
  let truncated = false;
  const onChange = (a: AlertInstance, transitions: { ts: number; kind: string; to: AlertState }[]) => {
    if (!recording) return;
    for (const t of transitions) {
      if (t.kind !== 'state') continue;
      if (t.to === 'firing') fires++;
      if (events.length < maxEvents) events.push({ ts: t.ts, labels: a.labels, to: t.to, severity: a.severity, value: a.value });
      else truncated = true;
    }
  };
  const snapshots = new Map<number, SimAlertSnapshot[]>();
  const pending = [...checkpoints].sort((a, b) => a - b);
  let p = 0;
  const feedUntil = (t: number) => {
    for (; p < points.length && (points[p] as { ts: number }).ts <= t; p++) {
      const { ts, s, i } = points[p] as { ts: number; s: number; i: number };
      const src = series[s] as SimSeries;
      rt.observe(keys[s] as string, src.labels, ts, src.values[i] as number, ts, onChange);
    }
  };
  // Warm-up: history before the start feeds the windows without counting as events.
  feedUntil(opts.start - 1);
  recording = true;
  for (const t of evalTimes) {
    feedUntil(t);
    await rt.evaluate(t, onChange);
    while (pending.length > 0 && (pending[0] as number) <= t) {
      snapshots.set(pending.shift() as number, [...rt.instances.values()].filter((a) => a.state === 'firing' || a.state === 'pending').map((a) => ({ labels: a.labels, annotations: a.annotations, state: a.state, severity: a.severity, value: a.value })));
    }
  }
  return {
    start: opts.start,
    end: opts.end,
    step,
    fires,
    events,
    series: [...chart.values()].map((c) => ({ labels: c.labels, timestamps: evalTimes, values: evalTimes.map((t) => c.values.get(t) ?? null) })),
    thresholds: rule.info.thresholds,
    truncated,
    snapshots,
  };
}
