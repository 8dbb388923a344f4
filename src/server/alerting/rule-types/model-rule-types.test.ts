import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { builtinRuleTypes } from './builtin-rule-types.js';
import { parseRuleInput } from '../alert-rule.js';
import type { Observation } from '../rule-type-registry.js';

const registry = builtinRuleTypes();
const none = () => null;
const MIN = 60_000;
const HOUR = 3_600_000;

describe('forecast rule', () => {
  const t = registry.get('forecast');

  it('validates specs with field names and keeps the interval at one minute or more', () => {
    assert.throws(() => t.parseSpec({ selector: 'disk_used_percent' }), /spec.threshold/);
    assert.throws(() => t.parseSpec({ selector: 'disk_used_percent', threshold: 100, model: 'prophet' }), /spec.model must be one of/);
    assert.throws(() => t.parseSpec({ selector: 'disk_used_percent', threshold: 100, horizon: '30d' }), /spec.horizon/);
    assert.throws(() => t.parseSpec({ selector: 'disk_used_percent', threshold: 100, history: '14d', step: '1m' }), /spec.history covers 20160 steps/);
    assert.throws(() => t.parseSpec({ selector: 'disk_used_percent', threshold: 100, band: '99' }), /spec.band/);
    const spec = t.parseSpec({ selector: 'disk_used_percent{mount="/"}', threshold: 100 });
    assert.deepEqual(t.printSpec(spec), { selector: 'disk_used_percent{mount="/"}', model: 'linear', threshold: 100, op: '>', band: '95', horizon: '1d', history: '1d', step: '5m' });
    const rule = { name: 'DiskFull', type: 'forecast', spec: { selector: 'disk_used_percent', threshold: 100 } };
    assert.equal(parseRuleInput(rule, registry).intervalMs, MIN, 'the default interval is raised to the minimum');
    assert.throws(() => parseRuleInput({ ...rule, interval: '30s' }, registry), /interval must be at least 1m for forecast rules/);
  });

  it('fires when the 95 % band reaches the threshold within the horizon, with the crossing in the annotations', async () => {
    const spec = t.parseSpec({ selector: 'disk_used_percent', threshold: 100, horizon: '12h', history: '12h', step: '5m' });
    const ev = t.createEvaluator(spec, { severity: 'critical', startedAt: 0 });
    // 1 % per hour from 70 %: 100 % is 30 h after the start; at 12 h of history it is 18 h away.
    for (let ts = 0; ts <= 12 * HOUR; ts += MIN) ev.observe('s', { host: 'a' }, ts, 70 + ts / HOUR + 0.2 * Math.sin(ts / MIN), none);
    const early = ((await ev.evaluate(12 * HOUR + MIN, none)) as Observation[])[0]!;
    assert.equal(early.level, null, 'crossing 18 h away is beyond the 12 h horizon');
    assert.match(early.annotations?.forecast_model ?? '', /^linear trend/);
    for (let ts = 12 * HOUR + MIN; ts <= 20 * HOUR; ts += MIN) ev.observe('s', { host: 'a' }, ts, 70 + ts / HOUR + 0.2 * Math.sin(ts / MIN), none);
    const late = ((await ev.evaluate(20 * HOUR + MIN, none)) as Observation[])[0]!;
    assert.equal(late.level, 'critical');
    assert.ok(Math.abs((late.value as number) - 90) < 1);
    const crossing = Date.parse(late.annotations!.predicted_crossing!);
    const hoursAhead = (crossing - 20 * HOUR) / HOUR;
    assert.ok(hoursAhead > 8 && hoursAhead <= 10.1, `crossing ${hoursAhead} h ahead`);
    assert.match(late.annotations!.explanation!, /reaches 100 at .* expected value then/);
    assert.ok(Number(late.annotations!.band_upper) >= 100 - 1e-6);
  });

  it('reports no data for a stale or too short series and judges a flat one as normal', async () => {
    const ev = t.createEvaluator(t.parseSpec({ selector: 'x', threshold: 10, history: '1h', step: '1m' }), { severity: 'warning', startedAt: 0 });
    ev.observe('gone', {}, 0, 1, none);
    ev.observe('short', {}, HOUR, 1, none);
    for (let ts = 0; ts <= HOUR; ts += MIN) ev.observe('flat', {}, ts, 5, none);
    const res = (await ev.evaluate(HOUR + MIN, none)) as Observation[];
    assert.deepEqual(res.map((o) => [o.key, o.level]), [['short', 'nodata'], ['flat', null]], 'a series silent for the whole history is forgotten');
  });
});

describe('anomaly rule', () => {
  const t = registry.get('anomaly');

  it('validates specs', () => {
    assert.throws(() => t.parseSpec({ selector: 'cpu', k: 0 }), /spec.k/);
    assert.throws(() => t.parseSpec({ selector: 'cpu', detector: 'magic' }), /spec.detector/);
    assert.throws(() => t.parseSpec({ selector: 'cpu', minAbsDeviation: -1 }), /spec.minAbsDeviation/);
    assert.deepEqual(t.printSpec(t.parseSpec({ selector: 'cpu', detector: 'seasonal' })), { selector: 'cpu', detector: 'seasonal', k: 3.5, minAbsDeviation: 0, direction: 'both', step: '5m', history: '1w1d' });
  });

  it('fires on a spike, explains it, and not on noise below the minimum deviation', async () => {
    const spec = t.parseSpec({ selector: 'cpu', detector: 'robust-z', k: 4, minAbsDeviation: 5, step: '1m', history: '2h' });
    const ev = t.createEvaluator(spec, { severity: 'warning', startedAt: 0 });
    const value = (ts: number) => 40 + Math.sin(ts / MIN) * 1.5;
    let quietFires = 0;
    for (let ts = 0; ts < 2 * HOUR; ts += MIN) {
      ev.observe('s', { host: 'a' }, ts, value(ts), none);
      if (ts >= 20 * MIN && ((await ev.evaluate(ts + 1, none)) as Observation[])[0]?.level !== null) quietFires++;
    }
    assert.equal(quietFires, 0);
    ev.observe('s', { host: 'a' }, 2 * HOUR, 90, none);
    const spike = ((await ev.evaluate(2 * HOUR + 1, none)) as Observation[])[0]!;
    assert.equal(spike.level, 'warning');
    assert.equal(spike.value, 90);
    assert.ok(Number(spike.annotations!.anomaly_score) >= 4);
    assert.match(spike.annotations!.explanation!, /90 is above the expected band .* anomaly score/);
    ev.observe('s', { host: 'a' }, 2 * HOUR + MIN, value(2 * HOUR + MIN), none);
    assert.equal(((await ev.evaluate(2 * HOUR + MIN + 1, none)) as Observation[])[0]!.level, null, 'back to normal');
  });

  it('only counts the configured direction', async () => {
    const ev = t.createEvaluator(t.parseSpec({ selector: 'cpu', k: 4, direction: 'above', step: '1m', history: '1h' }), { severity: 'info', startedAt: 0 });
    for (let ts = 0; ts < HOUR; ts += MIN) ev.observe('s', {}, ts, 50 + (ts % (2 * MIN) === 0 ? 0.5 : -0.5), none);
    ev.observe('s', {}, HOUR, 0, none);
    const dip = ((await ev.evaluate(HOUR + 1, none)) as Observation[])[0]!;
    assert.ok(Number(dip.annotations!.anomaly_score) < -4);
    assert.equal(dip.level, null);
  });
});
