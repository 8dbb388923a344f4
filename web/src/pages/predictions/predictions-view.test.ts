import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { SeriesForecast } from '../../../../src/protocol/forecast.js';
import { backtestTable, defaultThreshold, forecastChartData, forecastRequest, timeToThresholdText, type PredictionForm } from './predictions-view.js';

const form: PredictionForm = { mode: 'metric', host: 'web-1', metric: 'disk_used_percent', query: '', model: 'auto', horizon: '24h', range: '7d', threshold: '100' };

const series: SeriesForecast = {
  metric: 'disk_used_percent',
  labels: { host: 'web-1' },
  history: { timestamps: [-10, 0, 10, 20, 30], values: [null, 1, null, 3, null] },
  model: 'linear',
  forecast: { timestamps: [40, 50], mean: [4, 5], lower80: [3.5, 4], upper80: [4.5, 6], lower95: [3, 3.5], upper95: [5, 6.5] },
  backtest: [
    { model: 'linear', mae: 0.5, rmse: 0.7, smape: 2.25, coverage80: 0.8, coverage95: 0.95, points: 30 },
    { model: 'holt-winters', mae: null, rmse: null, smape: null, coverage80: null, coverage95: null, points: 0, error: 'holt-winters needs at least 2882 finite points' },
  ],
  timeToThreshold: { threshold: 100, direction: 'above', alreadyCrossed: false, mean: { ts: 3_600_000 * 9, inMs: 3_600_000 * 9 }, earliest: { ts: 3_600_000 * 7, inMs: 3_600_000 * 7 }, latest: null },
};

describe('predictions view', () => {
  it('builds the API body from the form and names what is missing', () => {
    assert.deepEqual(forecastRequest(form), { body: { model: 'auto', horizon: '24h', range: '7d', metric: 'disk_used_percent', host: 'web-1', threshold: 100 } });
    assert.deepEqual(forecastRequest({ ...form, mode: 'query', query: ' up{job="x"} ' }), { body: { model: 'auto', horizon: '24h', range: '7d', query: 'up{job="x"}', threshold: 100 } });
    assert.match((forecastRequest({ ...form, metric: '' }) as { error: string }).error, /metric/);
    assert.match((forecastRequest({ ...form, threshold: 'lots' }) as { error: string }).error, /number/);
    assert.equal(defaultThreshold('disk_used_percent'), '100');
    assert.equal(defaultThreshold('filesystem_used_bytes'), '');
  });

  it('joins history and forecast so the forecast continues from the last observed point', () => {
    const d = forecastChartData(series);
    assert.deepEqual(d.timestamps, [0, 10, 20, 40, 50]);
    assert.deepEqual(d.history, [1, null, 3, null, null]);
    assert.deepEqual(d.mean, [null, null, 3, 4, 5]);
    assert.deepEqual(d.upper95, [null, null, 3, 5, 6.5]);
  });

  it('formats the comparison table and the time-to-threshold sentence', () => {
    const rows = backtestTable(series.backtest!, 'linear');
    assert.equal(rows[0]!.chosen, true);
    assert.equal(rows[0]!.coverage95, '95 %');
    assert.equal(rows[1]!.mae, '–');
    assert.match(rows[1]!.note, /needs at least/);
    assert.match(timeToThresholdText(series, '24h') ?? '', /^Expected to reach 100 in 9 h .*earliest plausible in 7 h/);
    assert.match(timeToThresholdText({ ...series, timeToThreshold: { ...series.timeToThreshold!, mean: null, earliest: null } }, '24h') ?? '', /Not expected to reach 100 within 24h/);
    assert.equal(timeToThresholdText({ ...series, timeToThreshold: undefined }, '24h'), null);
  });
});
