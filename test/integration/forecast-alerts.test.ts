/**
 * Forecast and anomaly alert rules end to end (issue 8): synthetic series are sent through the
 * real ingest path (HTTP on loopback, agent key), the engine evaluates as time moves (a manual
 * clock advanced in 10-minute steps, each step ingested and then evaluated), and the test checks
 * when alerts fired, what they carry, and that nothing fired elsewhere.
 *
 * - cpu_usage_percent: a daily wave 50 ± 30 with noise and one injected spike on day 4
 *   (14:00-14:40, +45). An anomaly rule (seasonal baseline, k = 5, min deviation 10, for 10m)
 *   must fire on the spike and nowhere else, although the daily wave itself swings by 60 points.
 * - disk_used_percent: fills at 0.75 %/h from 30 %, reaching 100 % after 93 h 20 min. A forecast
 *   rule (linear, 95 % band, threshold 100 within 24 h) must fire hours before the disk is full.
 *   The series stops 3 h before that (as if cleaned up), so the alert keeps its last forecast.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '../../src/server/core/clock.js';
import { createTestApp, mutationHeaders, type TestApp } from '../../src/server/testing/test-app.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const T0 = Date.UTC(2026, 0, 5);
const DAYS = 5;
const SPIKE_FROM = T0 + 3 * DAY + 14 * HOUR;
const SPIKE_TO = SPIKE_FROM + 40 * MIN;
const FULL_AT = T0 + (70 / 0.75) * HOUR;

/** Deterministic noise in [-1, 1) (mulberry32). */
function noise(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (((t ^ (t >>> 14)) >>> 0) / 4294967296) * 2 - 1;
  };
}

const cpuNoise = noise(8);
const diskNoise = noise(9);
const cpu = (ts: number) => 50 + 30 * Math.sin((2 * Math.PI * (ts - T0)) / DAY) + 2 * cpuNoise() + (ts >= SPIKE_FROM && ts < SPIKE_TO ? 45 : 0);
const disk = (ts: number) => Math.min(100, 30 + (0.75 * (ts - T0)) / HOUR + 0.1 * diskNoise());

describe('forecast and anomaly alerts over the real ingest path', () => {
  let t: TestApp;
  let base: string;
  let key: string;
  const ruleIds: Record<string, string> = {};

  before(async () => {
    t = await createTestApp({ alertingTickMs: 3_600_000 }, new ManualClock(T0));
    base = await t.listen();
    key = await t.agentKey('web-1');
    const headers = { ...mutationHeaders(await t.login()), 'content-type': 'application/json' };
    const rules = [
      { name: 'CpuAnomaly', type: 'anomaly', severity: 'warning', for: '10m', interval: '1m', spec: { selector: 'cpu_usage_percent{cpu="total"}', detector: 'seasonal', k: 5, minAbsDeviation: 10, step: '5m', history: '5d' } },
      { name: 'DiskFullSoon', type: 'forecast', severity: 'critical', interval: '5m', spec: { selector: 'disk_used_percent{mount="/"}', model: 'linear', threshold: 100, horizon: '24h', history: '24h', step: '5m' } },
    ];
    for (const rule of rules) {
      const res = await fetch(`${base}/api/v1/rules`, { method: 'POST', headers, body: JSON.stringify(rule) });
      const text = await res.text();
      assert.equal(res.status, 201, text);
      ruleIds[rule.name] = (JSON.parse(text) as { id: string }).id;
    }
    // Five days in 10-minute steps: ingest the step's 1-minute samples over HTTP, then evaluate.
    for (let from = T0; from < T0 + DAYS * DAY; from += 10 * MIN) {
      const ts = Array.from({ length: 10 }, (_, i) => from + i * MIN);
      t.clock.set(from + 10 * MIN - 1);
      const body = {
        series: [
          { metric: 'cpu_usage_percent', labels: { cpu: 'total' }, points: ts.map((x) => [x, cpu(x)]) },
          // The disk is "cleaned up" 3 h before it would be full: the alert's last forecast is the one before that.
          ...(from < FULL_AT - 3 * HOUR ? [{ metric: 'disk_used_percent', labels: { mount: '/' }, points: ts.map((x) => [x, disk(x)]) }] : []),
        ],
      };
      const res = await fetch(`${base}/api/v1/ingest`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
      if (res.status !== 200) assert.fail(`ingest ${res.status}: ${await res.text()}`);
      await res.arrayBuffer();
      await t.services.deps.incidents.runOnce();
    }
  });
  after(async () => t.close());

  async function alertsOf(name: string) {
    const all = await t.services.deps.incidents.alerts.listAlerts({});
    return Promise.all(all.filter((a) => a.ruleId === ruleIds[name]).map((a) => t.services.deps.incidents.alerts.getAlert(a.id)));
  }

  it('the anomaly rule fires on the spike and nowhere else, and explains the band and score', async (ctx) => {
    const alerts = await alertsOf('CpuAnomaly');
    assert.equal(alerts.length, 1, 'one alert instance');
    const a = alerts[0]!;
    const fired = a.transitions.filter((x) => x.to === 'firing');
    assert.equal(fired.length, 1, `fired once: ${JSON.stringify(a.transitions.map((x) => [new Date(x.ts).toISOString(), x.to]))}`);
    const firedAt = fired[0]!.ts;
    assert.ok(firedAt >= SPIKE_FROM + 10 * MIN && firedAt <= SPIKE_TO, `fired at ${new Date(firedAt).toISOString()}, spike ${new Date(SPIKE_FROM).toISOString()}`);
    const pendingAt = a.transitions.filter((x) => x.to === 'pending').map((x) => x.ts);
    assert.ok(pendingAt.every((p) => p >= SPIKE_FROM && p <= SPIKE_TO), 'never even pending outside the spike');
    assert.equal(a.state, 'resolved');
    const resolved = a.transitions.find((x) => x.to === 'resolved')!;
    assert.ok(resolved.ts >= SPIKE_TO && resolved.ts <= SPIKE_TO + 30 * MIN, `resolved at ${new Date(resolved.ts).toISOString()}`);
    assert.equal(a.annotations.detector, 'seasonal');
    assert.match(a.annotations.explanation ?? '', /is above the expected band .* anomaly score .* vs k = 5/);
    // The explanation is the one of the firing evaluation; detector fields follow later evaluations.
    const score = Number(/anomaly score (\S+) vs k/.exec(a.annotations.explanation ?? '')?.[1]);
    assert.ok(score >= 5, `score ${score}`);
    ctx.diagnostic(`anomaly alert fired ${Math.round((firedAt - SPIKE_FROM) / MIN)} min after the spike began, resolved ${Math.round((resolved.ts - SPIKE_TO) / MIN)} min after it ended, score ${score}`);
  });

  it('the forecast rule fires hours before the disk is full, with the predicted crossing', async (ctx) => {
    const alerts = await alertsOf('DiskFullSoon');
    assert.equal(alerts.length, 1);
    const a = alerts[0]!;
    const fired = a.transitions.find((x) => x.to === 'firing');
    assert.ok(fired, 'fired');
    const hoursAhead = (FULL_AT - fired.ts) / HOUR;
    assert.ok(hoursAhead >= 20 && hoursAhead <= 26, `fired ${hoursAhead.toFixed(1)} h before the disk was full`);
    assert.equal(a.labels.host, 'web-1');
    const predicted = Date.parse(a.annotations.predicted_crossing ?? '');
    assert.ok(Math.abs(predicted - FULL_AT) < 6 * HOUR, `predicted ${a.annotations.predicted_crossing}`);
    ctx.diagnostic(`forecast alert fired ${hoursAhead.toFixed(1)} h before the disk was full; last predicted crossing off by ${((predicted - FULL_AT) / MIN).toFixed(0)} min`);
    assert.match(a.annotations.explanation ?? '', /^linear trend .* forecast \(95 % band\) reaches 100 at .* expected value then/);
    assert.ok(a.annotations.band_lower !== undefined && a.annotations.band_upper !== undefined && a.annotations.expected_value !== undefined);
  });
});
