import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { acknowledge, applyObservation, DEFAULT_FLAP, newAlert, refreshFlapping, type LifecycleSettings } from './alert-lifecycle.js';
import type { Observation } from './rule-type-registry.js';

const s = (over: Partial<LifecycleSettings> = {}): LifecycleSettings => ({ forMs: 0, keepFiringForMs: 0, noDataResolveMs: 3_600_000, flap: DEFAULT_FLAP, ...over });
const obs = (level: Observation['level'], value: number | null = 95): Observation => ({ key: 'k', labels: { host: 'a' }, level, value, threshold: 90 });
const fresh = () => newAlert('rule-1', obs('critical'), { alertname: 'HighCPU', host: 'a', severity: 'info' }, 0);

describe('alert lifecycle', () => {
  it('pending until `for` elapsed, then firing; pending clears to inactive', () => {
    const a = fresh();
    assert.deepEqual(applyObservation(a, obs('warning'), s({ forMs: 60_000 }), 1000).map((t) => t.to), ['pending']);
    assert.deepEqual(applyObservation(a, obs('warning'), s({ forMs: 60_000 }), 30_000), []);
    const t = applyObservation(a, obs('critical'), s({ forMs: 60_000 }), 61_000);
    assert.equal(t[0]?.to, 'firing');
    assert.match(t[0]?.reason ?? '', /held for 1m/);
    assert.equal(a.severity, 'critical');
    assert.equal(a.firingSince, 61_000);
    const b = fresh();
    applyObservation(b, obs('warning'), s({ forMs: 60_000 }), 0);
    assert.deepEqual(applyObservation(b, obs(null, 10), s({ forMs: 60_000 }), 10_000).map((x) => x.to), ['inactive']);
  });

  it('keep_firing_for delays the resolve; severity changes are recorded', () => {
    const a = fresh();
    applyObservation(a, obs('warning'), s({ keepFiringForMs: 120_000 }), 0);
    assert.equal(applyObservation(a, obs('critical'), s({ keepFiringForMs: 120_000 }), 10_000)[0]?.kind, 'severity');
    assert.deepEqual(applyObservation(a, obs(null, 10), s({ keepFiringForMs: 120_000 }), 60_000), []);
    assert.equal(a.state, 'firing');
    const t = applyObservation(a, obs(null, 10), s({ keepFiringForMs: 120_000 }), 131_000);
    assert.equal(t[0]?.to, 'resolved');
    assert.equal(a.resolvedAt, 131_000);
  });

  it('no data keeps the state until the no-data timeout, then resolves with that reason', () => {
    const a = fresh();
    applyObservation(a, obs('critical'), s(), 0);
    assert.deepEqual(applyObservation(a, obs('nodata', null), s({ noDataResolveMs: 600_000 }), 300_000), []);
    assert.equal(a.state, 'firing');
    const t = applyObservation(a, obs('nodata', null), s({ noDataResolveMs: 600_000 }), 600_000);
    assert.equal(t[0]?.to, 'resolved');
    assert.match(t[0]?.reason ?? '', /no data/);
  });

  it('acknowledgement needs an active alert and is cleared by the resolve', () => {
    const a = fresh();
    assert.equal(acknowledge(a, 'user:bob', 'x', null, 0), null);
    applyObservation(a, obs('critical'), s(), 0);
    assert.equal(acknowledge(a, 'user:bob', 'looking', 5000, 1)?.kind, 'ack');
    assert.equal(a.ack?.by, 'user:bob');
    applyObservation(a, obs(null, 1), s(), 2);
    assert.equal(a.ack, null);
  });

  it('detects flapping and becomes stable again as changes age out', () => {
    const a = fresh();
    const kinds: string[] = [];
    for (let i = 0; i < 6; i++) kinds.push(...applyObservation(a, obs(i % 2 === 0 ? 'critical' : null), s(), i * 60_000).map((t) => t.kind));
    assert.ok(kinds.includes('flapping'));
    assert.equal(a.flapping, true);
    assert.deepEqual(refreshFlapping(a, DEFAULT_FLAP, 30 * 60_000), [], 'still within the window');
    assert.equal(refreshFlapping(a, DEFAULT_FLAP, 2 * 3_600_000)[0]?.kind, 'stable');
    assert.equal(a.flapping, false);
  });
});
