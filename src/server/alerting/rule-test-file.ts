import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { parseDuration, ParseError } from '../../protocol/duration.js';
import { parseSelector } from '../../protocol/selector.js';
import { VigilError } from '../core/errors.js';
import { compileRule, type CompiledRule } from './alert-rule.js';
import type { RuleTypeRegistry } from './rule-type-registry.js';
import { parseRulesYaml } from './rules-yaml.js';
import { expandSeriesValues } from './series-notation.js';
import { simulateRule, type SimAlertSnapshot, type SimSeries } from './rule-simulator.js';

/** One failed expectation, printed by `vigil rules test`. */
export interface RuleTestFailure {
  test: string;
  message: string;
}

/** Result of one test file. */
export interface RuleTestReport {
  file: string;
  tests: number;
  failures: RuleTestFailure[];
}

interface ExpectedAlert {
  exp_labels?: Record<string, string>;
  exp_annotations?: Record<string, string>;
}

interface AlertCase {
  eval_time: string;
  alertname: string;
  exp_alerts?: ExpectedAlert[];
}

interface TestCase {
  name?: string;
  interval?: string;
  input_series?: { series: string; values: string }[];
  alert_rule_test?: AlertCase[];
}

function ms(text: unknown, what: string): number {
  try {
    return parseDuration(String(text));
  } catch (err) {
    throw new Error(`${what}: ${err instanceof ParseError ? err.message : 'invalid duration'}`);
  }
}

function inputSeries(tc: TestCase, interval: number): SimSeries[] {
  return (tc.input_series ?? []).map((s, i) => {
    let sel;
    try {
      sel = parseSelector(s.series);
    } catch (err) {
      throw new Error(`input_series[${i}].series: ${(err as Error).message}`);
    }
    if (sel.metric === null || sel.matchers.some((m) => m.op !== '=')) throw new Error(`input_series[${i}].series must be a metric with label="value" pairs`);
    let values;
    try {
      values = expandSeriesValues(String(s.values));
    } catch (err) {
      throw new Error(`input_series[${i}].values: ${(err as Error).message}`);
    }
    const out: SimSeries = { metric: sel.metric, labels: Object.fromEntries(sel.matchers.map((m) => [m.name, m.value])), ts: [], values: [] };
    values.forEach((v, k) => {
      if (v === null) return;
      out.ts.push(k * interval);
      out.values.push(v);
    });
    return out;
  });
}

function describe(a: { labels: Record<string, string> }): string {
  return JSON.stringify(a.labels);
}

function compare(got: SimAlertSnapshot[], want: ExpectedAlert[]): string | null {
  const firing = got.filter((a) => a.state === 'firing');
  const unmatched = [...firing];
  for (const w of want) {
    const i = unmatched.findIndex((a) => {
      const { alertname: _n, ...labels } = a.labels;
      const wantLabels = w.exp_labels ?? {};
      const same = Object.keys(labels).length === Object.keys(wantLabels).length && Object.entries(wantLabels).every(([k, v]) => labels[k] === String(v));
      const ann = Object.entries(w.exp_annotations ?? {}).every(([k, v]) => a.annotations[k] === String(v));
      return same && ann;
    });
    if (i < 0) return `expected an alert with labels ${JSON.stringify(w.exp_labels ?? {})}${w.exp_annotations ? ` and annotations ${JSON.stringify(w.exp_annotations)}` : ''}; firing: ${firing.map(describe).join(', ') || 'none'}`;
    unmatched.splice(i, 1);
  }
  return unmatched.length ? `unexpected firing alerts: ${unmatched.map(describe).join(', ')}` : null;
}

/**
 * Runs a `vigil rules test` file (promtool-style): rules from `rule_files` (relative to the test
 * file) or inline `rules`, then for each test the input series in series notation and the
 * expected firing alerts at each `eval_time`.
 */
export async function runRuleTestFile(path: string, registry: RuleTypeRegistry): Promise<RuleTestReport> {
  const report: RuleTestReport = { file: path, tests: 0, failures: [] };
  const doc = parseYaml(readFileSync(path, 'utf8'), { maxAliasCount: 100 }) as { rule_files?: string[]; rules?: unknown[]; evaluation_interval?: string; tests?: TestCase[] } | null;
  if (!doc || typeof doc !== 'object') throw new Error('the test file must be a YAML mapping');
  const texts = (doc.rule_files ?? []).map((f) => readFileSync(resolve(dirname(path), f), 'utf8'));
  if (doc.rules) texts.push(JSON.stringify({ rules: doc.rules }));
  const rules: CompiledRule[] = [];
  for (const text of texts) {
    try {
      parseRulesYaml(text, registry).forEach((f, i) => rules.push(compileRule({ ...f, id: `rule-${rules.length + i}`, createdAt: 0, updatedAt: 0, createdBy: 'test', version: 1 }, registry)));
    } catch (err) {
      throw new Error(err instanceof VigilError ? err.message : String(err));
    }
  }
  const evalInterval = doc.evaluation_interval ? ms(doc.evaluation_interval, 'evaluation_interval') : null;
  for (const [n, tc] of (doc.tests ?? []).entries()) {
    const name = tc.name ?? `tests[${n}]`;
    report.tests++;
    try {
      const interval = ms(tc.interval ?? '1m', `${name}: interval`);
      const series = inputSeries(tc, interval);
      const cases = tc.alert_rule_test ?? [];
      const times = cases.map((c) => ms(c.eval_time, `${name}: eval_time`));
      const end = Math.max(0, ...times);
      for (const rule of rules) {
        const related = cases.map((c, i) => ({ c, t: times[i] as number })).filter((x) => x.c.alertname === rule.record.name);
        if (related.length === 0) continue;
        const sim = await simulateRule(rule, series, { start: 0, end, stepMs: evalInterval ?? Math.min(interval, rule.record.intervalMs) }, related.map((x) => x.t));
        for (const { c, t } of related) {
          const problem = compare(sim.snapshots.get(t) ?? [], c.exp_alerts ?? []);
          if (problem) report.failures.push({ test: name, message: `alertname ${c.alertname} at ${c.eval_time}: ${problem}` });
        }
      }
      for (const c of cases) if (!rules.some((r) => r.record.name === c.alertname)) report.failures.push({ test: name, message: `no rule named "${c.alertname}"` });
    } catch (err) {
      report.failures.push({ test: name, message: (err as Error).message });
    }
  }
  return report;
}
