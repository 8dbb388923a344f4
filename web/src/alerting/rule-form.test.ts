import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { RuleView } from '../../../src/protocol/alerting.js';
import { emptyRuleForm, formFromRule, ruleInputFromForm } from './rule-form.js';

describe('rule form', () => {
  it('builds a threshold rule and reads it back', () => {
    const out = ruleInputFromForm({ ...emptyRuleForm(), name: ' HighCPU ', labels: 'team=ops\nscope = host', recovery: '70' });
    assert.ok('rule' in out);
    assert.deepEqual(out.rule, { name: 'HighCPU', type: 'threshold', spec: { selector: 'cpu_usage_percent{cpu="total"}', aggregation: 'avg', window: '5m', op: '>', warning: 80, critical: 90, recovery: 70 }, severity: 'warning', labels: { team: 'ops', scope: 'host' }, for: '5m', keepFiringFor: '0s', interval: '30s', enabled: true });
    const view: RuleView = { ...out.rule, id: 'x', description: '', runbookUrl: null, suggestedFixes: null, createdAt: 0, updatedAt: 0, createdBy: 'u', version: 1, severity: 'warning', labels: out.rule.labels ?? {}, for: '5m', keepFiringFor: '0s', interval: '30s', enabled: true };
    assert.deepEqual(ruleInputFromForm(formFromRule(view)), out);
  });

  it('absence and unknown types; bad label lines and JSON are reported', () => {
    const a = ruleInputFromForm({ ...emptyRuleForm(), name: 'Down', type: 'absence', selector: 'uptime_seconds', after: '3m', by: 'host, service' });
    assert.ok('rule' in a && JSON.stringify(a.rule.spec) === JSON.stringify({ selector: 'uptime_seconds', after: '3m', by: ['host', 'service'] }));
    const f = ruleInputFromForm({ ...emptyRuleForm(), name: 'F', type: 'custom', specJson: '{"selector":"x","horizon":"6h"}' });
    assert.ok('rule' in f && f.rule.spec.horizon === '6h');
    assert.deepEqual(ruleInputFromForm({ ...emptyRuleForm(), type: 'custom', specJson: '[' }), { error: 'spec is not valid JSON' });
    assert.ok('error' in ruleInputFromForm({ ...emptyRuleForm(), labels: 'no-equals' }));
  });

  it('forecast and anomaly rules have their own fields and read back', () => {
    const fc = ruleInputFromForm({ ...emptyRuleForm(), name: 'DiskFull', type: 'forecast', selector: 'disk_used_percent{mount="/"}', threshold: '95', horizon: '12h', interval: '1m' });
    assert.ok('rule' in fc);
    assert.deepEqual(fc.rule.spec, { selector: 'disk_used_percent{mount="/"}', model: 'linear', threshold: 95, op: '>', band: '95', horizon: '12h', history: '1d', step: '5m' });
    const an = ruleInputFromForm({ ...emptyRuleForm(), name: 'CpuOdd', type: 'anomaly', detector: 'seasonal', k: '5', minAbsDeviation: '10', step: '5m', history: '8d' });
    assert.ok('rule' in an);
    assert.deepEqual(an.rule.spec, { selector: 'cpu_usage_percent{cpu="total"}', detector: 'seasonal', k: 5, minAbsDeviation: 10, direction: 'both', step: '5m', history: '8d' });
    const view: RuleView = { ...an.rule, id: 'y', description: '', runbookUrl: null, suggestedFixes: null, createdAt: 0, updatedAt: 0, createdBy: 'u', version: 1, severity: 'warning', labels: {}, for: '5m', keepFiringFor: '0s', interval: '30s', enabled: true };
    assert.deepEqual(ruleInputFromForm(formFromRule(view)), an);
  });
});
