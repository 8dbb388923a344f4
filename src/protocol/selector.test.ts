import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { compileMatcher, parseSelector, printSelector, ParseError, type Selector } from './selector.js';

describe('parseSelector', () => {
  it('parses a metric with every matcher operator', () => {
    const s = parseSelector('cpu_usage_percent{host="web-1", cpu!="total",mode=~"user|system", dev !~ "loop.*"}');
    assert.deepEqual(s, {
      metric: 'cpu_usage_percent',
      matchers: [
        { name: 'host', op: '=', value: 'web-1' },
        { name: 'cpu', op: '!=', value: 'total' },
        { name: 'mode', op: '=~', value: 'user|system' },
        { name: 'dev', op: '!~', value: 'loop.*' },
      ],
    });
  });

  it('accepts matchers without a metric and JSON escapes in values', () => {
    assert.deepEqual(parseSelector('{path="C:\\\\temp\\"x\\""}'), { metric: null, matchers: [{ name: 'path', op: '=', value: 'C:\\temp"x"' }] });
  });

  for (const bad of ['', '{}', 'cpu{', 'cpu{host}', 'cpu{host=web}', 'cpu{host="x"', '9metric', 'cpu{a="b"}x', 'cpu{a=~"(a+)+"}', 'cpu{a=~"(x)\\\\1"}', 'cpu{a=~"["}']) {
    it(`rejects ${JSON.stringify(bad)} with a ParseError`, () => {
      assert.throws(() => parseSelector(bad), ParseError);
    });
  }

  it('anchors regex matchers', () => {
    const m = compileMatcher({ name: 'x', op: '=~', value: 'web' });
    assert.equal(m('web'), true);
    assert.equal(m('web-1'), false);
  });
});

const labelName = fc.stringMatching(/^[a-zA-Z_][a-zA-Z0-9_]{0,10}$/);
const metricName = fc.stringMatching(/^[a-zA-Z_:][a-zA-Z0-9_:]{0,15}$/);
const selectorArb: fc.Arbitrary<Selector> = fc
  .record({
    metric: fc.option(metricName, { nil: null }),
    matchers: fc.array(fc.record({ name: labelName, op: fc.constantFrom('=' as const, '!=' as const), value: fc.string({ maxLength: 20 }) }, { noNullPrototype: true }), { maxLength: 5 }),
  }, { noNullPrototype: true })
  .filter((s) => s.metric !== null || s.matchers.length > 0);

describe('selector properties', () => {
  it('round-trips: parse(print(s)) equals s', () => {
    fc.assert(fc.property(selectorArb, (s) => assert.deepEqual(parseSelector(printSelector(s)), s)), { numRuns: 1000 });
  });

  it('arbitrary text yields a Selector or a ParseError, nothing else', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (text) => {
        try {
          parseSelector(text);
        } catch (err) {
          assert.ok(err instanceof ParseError, `unexpected ${String(err)}`);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
