import type { AlertSeverity, RuleInput, RuleView } from '../../../src/protocol/alerting.js';

/** The rule editor's state: common fields plus spec fields kept as strings (what inputs hold). */
export interface RuleForm {
  name: string;
  description: string;
  type: string;
  severity: AlertSeverity;
  for: string;
  keepFiringFor: string;
  interval: string;
  runbookUrl: string;
  suggestedFixes: string;
  /** `k=v` per line. */
  labels: string;
  enabled: boolean;
  /** Spec fields of the built-in types. */
  selector: string;
  aggregation: string;
  window: string;
  op: string;
  warning: string;
  critical: string;
  recovery: string;
  after: string;
  by: string;
  mode: string;
  per: string;
  /** Forecast rules: model, capacity threshold, look-ahead, fitted history, grid step, band. */
  model: string;
  threshold: string;
  horizon: string;
  history: string;
  step: string;
  band: string;
  /** Anomaly rules: detector, score threshold k, minimum deviation, direction (step/history shared). */
  detector: string;
  k: string;
  minAbsDeviation: string;
  direction: string;
  /** Raw JSON spec for other (registered later) types. */
  specJson: string;
}

/** Types the form has fields for; others are edited as JSON. */
export const FORM_TYPES = ['threshold', 'absence', 'rate_of_change', 'forecast', 'anomaly'] as const;

/** A blank form (a threshold rule on CPU). */
export function emptyRuleForm(): RuleForm {
  return { name: '', description: '', type: 'threshold', severity: 'warning', for: '5m', keepFiringFor: '0s', interval: '30s', runbookUrl: '', suggestedFixes: '', labels: '', enabled: true, selector: 'cpu_usage_percent{cpu="total"}', aggregation: 'avg', window: '5m', op: '>', warning: '80', critical: '90', recovery: '', after: '5m', by: 'host', mode: 'percent', per: '1h', model: 'linear', threshold: '100', horizon: '24h', history: '1d', step: '5m', band: '95', detector: 'robust-z', k: '3.5', minAbsDeviation: '0', direction: 'both', specJson: '{}' };
}

const str = (v: unknown) => (v === undefined || v === null ? '' : String(v));

/** Fills the form from a stored rule. */
export function formFromRule(r: RuleView): RuleForm {
  const s = r.spec as Record<string, unknown>;
  return {
    ...emptyRuleForm(),
    name: r.name,
    description: r.description,
    type: r.type,
    severity: r.severity,
    for: r.for,
    keepFiringFor: r.keepFiringFor,
    interval: r.interval,
    runbookUrl: r.runbookUrl ?? '',
    suggestedFixes: r.suggestedFixes ?? '',
    labels: Object.entries(r.labels).map(([k, v]) => `${k}=${v}`).join('\n'),
    enabled: r.enabled,
    selector: str(s.selector),
    aggregation: str(s.aggregation || 'last'),
    window: str(s.window || '5m'),
    op: str(s.op || '>'),
    warning: str(s.warning),
    critical: str(s.critical),
    recovery: str(s.recovery),
    after: str(s.after || '5m'),
    by: Array.isArray(s.by) ? (s.by as string[]).join(', ') : 'host',
    mode: str(s.mode || 'percent'),
    per: str(s.per || '1h'),
    model: str(s.model || 'linear'),
    threshold: str(s.threshold ?? ''),
    horizon: str(s.horizon || '24h'),
    history: str(s.history || '1d'),
    step: str(s.step || '5m'),
    band: str(s.band || '95'),
    detector: str(s.detector || 'robust-z'),
    k: str(s.k ?? '3.5'),
    minAbsDeviation: str(s.minAbsDeviation ?? '0'),
    direction: str(s.direction || 'both'),
    specJson: JSON.stringify(s, null, 2),
  };
}

function num(v: string): number | undefined {
  const t = v.trim();
  return t === '' ? undefined : Number(t);
}

function thresholds(f: RuleForm): Record<string, unknown> {
  const out: Record<string, unknown> = { op: f.op };
  for (const k of ['warning', 'critical', 'recovery'] as const) {
    const n = num(f[k]);
    if (n !== undefined) out[k] = n;
  }
  return out;
}

/**
 * The rule to send to the API. Validation is the server's (its errors name the field); this only
 * shapes the input, except for a malformed JSON spec or label line, reported here.
 */
export function ruleInputFromForm(f: RuleForm): { rule: RuleInput } | { error: string } {
  let spec: Record<string, unknown>;
  if (f.type === 'threshold') spec = { selector: f.selector, aggregation: f.aggregation, ...(f.aggregation !== 'last' ? { window: f.window } : {}), ...thresholds(f) };
  else if (f.type === 'absence') spec = { selector: f.selector, after: f.after, by: f.by.split(',').map((x) => x.trim()).filter(Boolean) };
  else if (f.type === 'rate_of_change') spec = { selector: f.selector, window: f.window, mode: f.mode, per: f.per, ...thresholds(f) };
  else if (f.type === 'forecast') spec = { selector: f.selector, model: f.model, threshold: num(f.threshold), op: f.op === '<' || f.op === '<=' ? '<' : '>', band: f.band, horizon: f.horizon, history: f.history, step: f.step };
  else if (f.type === 'anomaly') spec = { selector: f.selector, detector: f.detector, k: num(f.k), minAbsDeviation: num(f.minAbsDeviation), direction: f.direction, step: f.step, history: f.history };
  else {
    try {
      const parsed: unknown = JSON.parse(f.specJson);
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return { error: 'spec must be a JSON object' };
      spec = parsed as Record<string, unknown>;
    } catch {
      return { error: 'spec is not valid JSON' };
    }
  }
  const labels: Record<string, string> = {};
  for (const line of f.labels.split('\n').map((l) => l.trim()).filter(Boolean)) {
    const i = line.indexOf('=');
    if (i <= 0) return { error: `label line "${line.slice(0, 40)}" must look like name=value` };
    labels[line.slice(0, i).trim()] = line.slice(i + 1).trim();
  }
  const rule: RuleInput = { name: f.name.trim(), type: f.type, spec, severity: f.severity, labels, for: f.for, keepFiringFor: f.keepFiringFor, interval: f.interval, enabled: f.enabled };
  if (f.description.trim()) rule.description = f.description;
  if (f.runbookUrl.trim()) rule.runbookUrl = f.runbookUrl.trim();
  if (f.suggestedFixes.trim()) rule.suggestedFixes = f.suggestedFixes;
  return { rule };
}
