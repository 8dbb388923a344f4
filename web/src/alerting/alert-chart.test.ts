import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { alertSeriesSelector, dryRunChart, firesSummary, firingOverlay, queryChart } from './alert-chart.js';

describe('alert charts', () => {
  it('narrows the rule selector to the alert series', () => {
    assert.equal(alertSeriesSelector('cpu_usage_percent{cpu="total"}', { alertname: 'HighCPU', severity: 'critical', host: 'web-1', cpu: 'total', team: 'ops' }, { team: 'ops' }), 'cpu_usage_percent{cpu="total",host="web-1"}');
    assert.equal(alertSeriesSelector('cpu{', {}, {}), null);
  });

  it('adds threshold lines and summarizes dry runs', () => {
    const c = queryChart({ start: 0, end: 20, step: 10, tier: 'raw', timestamps: [0, 10], series: [{ metric: 'cpu', labels: { host: 'a' }, values: [1, 95] }], stats: { seriesMatched: 1, samplesScanned: 2 } }, { warning: 80, critical: 90 });
    assert.deepEqual(c.series.map((s) => s.label), ['host=a', 'critical 90', 'warning 80']);
    const r = { start: 0, end: 7 * 86_400_000, step: 60_000, fires: 7, events: [], series: [{ labels: { host: 'a' }, timestamps: [0, 60_000], values: [1, 2] }], thresholds: { warning: null, critical: 90, recovery: null }, truncated: false };
    assert.equal(firesSummary(r), 'Would have fired 7 times in the last 7 days.');
    assert.equal(dryRunChart(r).series.length, 2);
    const fired = { ...r, series: [{ labels: { host: 'a' }, timestamps: [0, 10, 20, 30], values: [1, 95, 96, 2] }], events: [{ ts: 10, labels: { host: 'a', severity: 'critical' }, to: 'firing' as const, severity: 'critical' as const, value: 95 }, { ts: 30, labels: { host: 'a', severity: 'critical' }, to: 'resolved' as const, severity: 'critical' as const, value: 2 }] };
    assert.deepEqual(firingOverlay(fired)?.values, [null, 95, 96, null], 'the overlay marks the firing span');
  });
});
