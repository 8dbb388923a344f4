import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ParseError } from '../../protocol/duration.js';
import { expandSeriesValues } from './series-notation.js';
import { parseRulesYaml, rulesToYaml } from './rules-yaml.js';
import { builtinRuleTypes } from './rule-types/builtin-rule-types.js';

describe('series notation (vigil rules test)', () => {
  it('expands promtool notation', () => {
    assert.deepEqual(expandSeriesValues('1 2 3'), [1, 2, 3]);
    assert.deepEqual(expandSeriesValues('0+10x3'), [0, 10, 20, 30]);
    assert.deepEqual(expandSeriesValues('100-1x2 _ stale _x1 5x1'), [100, 99, 98, null, null, null, null, 5, 5]);
    assert.deepEqual(expandSeriesValues('-2.5+0.5x2 1e3'), [-2.5, -2, -1.5, 1000]);
  });

  it('property: arbitrary text gives values or a ParseError, and a+bxn has n+1 values', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), (s) => {
        try {
          expandSeriesValues(s);
        } catch (err) {
          assert.ok(err instanceof ParseError, String(err));
        }
      }),
      { numRuns: 2000 },
    );
    fc.assert(
      fc.property(fc.integer({ min: -1000, max: 1000 }), fc.integer({ min: 0, max: 100 }), fc.integer({ min: 0, max: 500 }), (a, b, n) => {
        const v = expandSeriesValues(`${a}+${b}x${n}`);
        assert.equal(v.length, n + 1);
        assert.equal(v[n], a + n * b);
      }),
    );
    assert.throws(() => expandSeriesValues('1x100000000'), ParseError);
  });
});

describe('rules as code', () => {
  it('property: YAML export parses back to the same rules', () => {
    const registry = builtinRuleTypes();
    const name = fc.stringMatching(/^[A-Za-z][A-Za-z0-9 _:-]{0,30}$/).map((s) => s.trim()).filter((s) => s.length > 0);
    const rule = fc.record({
      name,
      description: fc.string({ maxLength: 40 }),
      critical: fc.integer({ min: 50, max: 100 }),
      forS: fc.integer({ min: 0, max: 3600 }),
      labels: fc.dictionary(fc.stringMatching(/^[a-z][a-z0-9_]{0,10}$/).filter((k) => k !== 'severity' && k !== 'alertname'), fc.string({ maxLength: 20 }), { maxKeys: 3 }),
    });
    fc.assert(
      fc.property(fc.uniqueArray(rule, { selector: (r) => r.name, maxLength: 5 }), (rules) => {
        const fields = rules.map((r) => parseRulesYaml(`rules:\n  - ${JSON.stringify({ name: r.name, description: r.description, type: 'threshold', spec: { selector: 'cpu{cpu="total"}', critical: r.critical }, for: `${r.forS}s`, labels: r.labels })}`, registry)[0]!);
        const records = fields.map((f, i) => ({ ...f, id: String(i), createdAt: 0, updatedAt: 0, createdBy: 'x', version: 1 }));
        const back = parseRulesYaml(rulesToYaml(records), registry);
        assert.deepEqual(back.sort((a, b) => a.name.localeCompare(b.name)), fields.sort((a, b) => a.name.localeCompare(b.name)));
      }),
      { numRuns: 100 },
    );
  });
});
