import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { builtinRuleTypes } from './builtin-rule-types.js';
import type { Observation } from '../rule-type-registry.js';

const registry = builtinRuleTypes();
const none = () => null;

describe('threshold rule', () => {
  const t = registry.get('threshold');

  it('validates specs with field names', () => {
    assert.throws(() => t.parseSpec({ selector: 'cpu' }), /critical/);
    assert.throws(() => t.parseSpec({ selector: 'cpu{', critical: 1 }), /spec.selector/);
    assert.throws(() => t.parseSpec({ selector: 'cpu', critical: 80, warning: 90 }), /at least spec.warning/);
    assert.throws(() => t.parseSpec({ selector: 'cpu', critical: 90, recovery: 95 }), /safe side/);
    assert.throws(() => t.parseSpec({ selector: 'cpu', critical: 90, extra: 1 }), /unknown field extra/);
    assert.throws(() => t.parseSpec({ selector: 'cpu', critical: 90, window: '0s' }), /window/);
    const spec = t.parseSpec({ selector: 'cpu{cpu="total"}', aggregation: 'avg', window: '5m', warning: 80, critical: 90 });
    assert.deepEqual(t.printSpec(spec), { selector: 'cpu{cpu="total"}', aggregation: 'avg', window: '5m', op: '>', warning: 80, critical: 90 });
  });

  it('decides on each sample with levels and hysteresis', () => {
    const ev = t.createEvaluator(t.parseSpec({ selector: 'cpu', warning: 80, critical: 90, recovery: 70 }), { severity: 'warning', startedAt: 0 });
    let ts = 0;
    const at = (v: number, active: 'warning' | 'critical' | null) => (ev.observe('k', { host: 'a' }, (ts += 1000), v, () => active) as Observation).level;
    assert.equal(at(85, null), 'warning');
    assert.equal(at(95, null), 'critical');
    assert.equal(at(75, null), null, 'normal when nothing is active');
    assert.equal(at(75, 'critical'), 'warning', 'stays active above recovery');
    assert.equal(at(69, 'warning'), null, 'recovers below 70');
  });

  it('aggregates over the window and reports no data when stale', async () => {
    const ev = t.createEvaluator(t.parseSpec({ selector: 'cpu', aggregation: 'avg', window: '1m', critical: 50 }), { severity: 'warning', startedAt: 0 });
    ev.observe('k', {}, 0, 100, none);
    const o = ev.observe('k', {}, 30_000, 0, none) as Observation;
    assert.equal(o.value, 50);
    assert.equal(o.level, null);
    const later = (await ev.evaluate(30_000 + 5 * 60_000 + 1, none)) as Observation[];
    assert.equal(later[0]?.level, 'nodata');
  });
});

describe('absence rule', () => {
  const t = registry.get('absence');

  it('fires per source that stays silent and resolves when it reports again', async () => {
    const ev = t.createEvaluator(t.parseSpec({ selector: 'uptime_seconds', after: '5m' }), { severity: 'critical', startedAt: 0 });
    ev.observe('s1', { host: 'a' }, 1000, 1, none);
    ev.observe('s2', { host: 'b' }, 1000, 1, none);
    ev.observe('s2', { host: 'b' }, 250_000, 1, none);
    const res = (await ev.evaluate(302_000, none)) as Observation[];
    assert.deepEqual(res.map((o) => [o.labels.host, o.level]), [['a', 'critical'], ['b', null]]);
    const back = ev.observe('s1', { host: 'a' }, 303_000, 1, () => 'critical');
    assert.equal(back?.level, null);
  });

  it('counts silence only from engine start, and expects named sources with no series at all', async () => {
    const ev = t.createEvaluator(t.parseSpec({ selector: 'uptime_seconds{host="db-1"}', after: '1m' }), { severity: 'critical', startedAt: 1_000_000 });
    assert.equal(((await ev.evaluate(1_030_000, none)) as Observation[])[0]?.level, null);
    const later = (await ev.evaluate(1_061_000, none)) as Observation[];
    assert.deepEqual([later[0]?.labels, later[0]?.level], [{ host: 'db-1' }, 'critical']);
  });
});

describe('rate-of-change rule', () => {
  const t = registry.get('rate_of_change');

  it('fires when usage grows faster than the limit per hour', async () => {
    const ev = t.createEvaluator(t.parseSpec({ selector: 'filesystem_used_bytes', window: '1h', mode: 'percent', per: '1h', warning: 5 }), { severity: 'warning', startedAt: 0 });
    for (let i = 0; i <= 60; i++) ev.observe('k', { mount: '/' }, i * 60_000, 1000 * (1 + 0.1 * (i / 60)), none);
    const [o] = (await ev.evaluate(60 * 60_000, none)) as Observation[];
    assert.equal(o?.level, 'warning');
    assert.ok(o?.value !== null && Math.abs((o?.value as number) - 100 / 10.5) < 0.5, `about 9.5 %/h, got ${o?.value}`);
  });

  it('reports no data with too few samples', async () => {
    const ev = t.createEvaluator(t.parseSpec({ selector: 'x', warning: 5 }), { severity: 'warning', startedAt: 0 });
    ev.observe('k', {}, 0, 1, none);
    assert.equal(((await ev.evaluate(1000, none)) as Observation[])[0]?.level, 'nodata');
  });
});
