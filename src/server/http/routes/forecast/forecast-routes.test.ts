import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { AnomalyResponse, ForecastResponse } from '../../../../protocol/forecast.js';
import { createTestApp, mutationHeaders, type TestApp } from '../../../testing/test-app.js';

const STEP = 300_000;
const DAY = 86_400_000;

describe('forecast and anomaly routes', () => {
  let t: TestApp;
  let admin: Record<string, string>;
  let end: number;

  const post = (url: string, payload: unknown, headers = admin) => t.app.inject({ method: 'POST', url, headers, payload: payload as Record<string, unknown> });

  before(async () => {
    t = await createTestApp();
    admin = mutationHeaders(await t.login());
    end = Math.floor(t.clock.now() / STEP) * STEP;
    const start = end - 2 * DAY;
    const key = await t.agentKey('fc-host');
    // Two days of 5-minute samples: a filling disk (+1 % per hour from 40 %) and a daily CPU wave with one spike.
    const n = (end - start) / STEP;
    const disk = Array.from({ length: n }, (_, i) => [start + i * STEP, 40 + (i * STEP) / 3_600_000 + 0.05 * Math.sin(i)]);
    const cpu = Array.from({ length: n }, (_, i) => [start + i * STEP, 30 + 10 * Math.sin((2 * Math.PI * i * STEP) / DAY) + 0.5 * Math.sin(7 * i) + (i === n - 30 ? 60 : 0)]);
    const flat = Array.from({ length: 5 }, (_, i) => [start + i * STEP, 1 + i]);
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/ingest',
      headers: { authorization: `Bearer ${key}` },
      payload: {
        series: [
          { metric: 'disk_used_percent', labels: { mount: '/' }, points: disk },
          { metric: 'cpu_usage_percent', labels: { cpu: 'total' }, points: cpu },
          { metric: 'short_series', labels: {}, points: flat },
          ...Array.from({ length: 11 }, (_, i) => ({ metric: 'many_series', labels: { n: String(i) }, points: flat })),
        ],
      },
    });
    assert.equal(res.statusCode, 200, res.body);
  });
  after(async () => t.close());

  it('forecasts a filling disk with bands, a backtest table, the chosen model and the time to 100 %', async () => {
    const res = await post('/api/v1/forecast', { metric: 'disk_used_percent', host: 'fc-host', range: '2d', step: '5m', horizon: '48h', threshold: 100, to: String(end) });
    assert.equal(res.statusCode, 200, res.body);
    const body = res.json<ForecastResponse>();
    assert.equal(body.series.length, 1);
    const s = body.series[0]!;
    assert.equal(s.error, undefined);
    assert.equal(s.forecast?.mean.length, 48 * 12);
    for (let i = 0; i < 576; i += 50) {
      assert.ok(s.forecast!.lower95[i]! <= s.forecast!.lower80[i]! && s.forecast!.lower80[i]! <= s.forecast!.mean[i]! && s.forecast!.mean[i]! <= s.forecast!.upper80[i]! && s.forecast!.upper80[i]! <= s.forecast!.upper95[i]!);
    }
    assert.ok(s.backtest && s.backtest.length >= 5, 'one backtest row per candidate');
    assert.ok(s.backtest.every((r) => r.error !== undefined || (r.mae !== null && r.rmse !== null && r.smape !== null && r.coverage95 !== null)));
    assert.match(s.reason ?? '', /lowest backtest MAE/);
    // 40 % + 48 h × 1 %/h reaches ~88 % at the origin; 100 % about 12 h later.
    const ttt = s.timeToThreshold!;
    assert.ok(ttt.mean, 'the point forecast reaches 100 % within 48 h');
    const hours = ttt.mean.inMs / 3_600_000;
    assert.ok(hours > 9 && hours < 15, `crossing in ${hours} h`);
    assert.ok(ttt.earliest!.inMs <= ttt.mean.inMs);
  });

  it('runs a requested model and still reports the backtest table', async () => {
    const res = await post('/api/v1/forecast', { query: 'disk_used_percent{mount="/"}', range: '2d', to: String(end), horizon: '6h', model: 'linear', levels: [95] });
    assert.equal(res.statusCode, 200, res.body);
    const s = res.json<ForecastResponse>().series[0]!;
    assert.equal(s.model, 'linear');
    assert.match(s.reason ?? '', /linear was requested/);
    assert.ok((s.backtest ?? []).some((r) => r.model === 'linear'));
  });

  it('returns the expected band and flags the spike as anomalous', async () => {
    const res = await post('/api/v1/anomaly', { query: 'cpu_usage_percent{host="fc-host"}', range: '2d', to: String(end), step: '5m', detector: 'robust-z', k: 4, minAbsDeviation: 5 });
    assert.equal(res.statusCode, 200, res.body);
    const body = res.json<AnomalyResponse>();
    const s = body.series[0]!;
    assert.equal(s.detector, 'robust-z');
    assert.equal(s.expected?.length, s.timestamps.length);
    const spikeTs = s.timestamps[s.timestamps.length - 30]!;
    assert.ok(s.anomalies?.some((a) => a.ts === spikeTs && a.score > 4), JSON.stringify(s.anomalies));
    assert.ok(s.anomalies!.length <= 3, `few false positives: ${s.anomalies!.length}`);
  });

  it('answers bad input with 4xx and stable codes', async () => {
    const cases: [unknown, number, string][] = [
      [{}, 400, 'VIGIL_ERR_VALIDATION'],
      [{ query: 'cpu{', range: '1d' }, 400, 'VIGIL_ERR_SELECTOR_SYNTAX'],
      [{ metric: 'disk_used_percent', model: 'prophet' }, 400, 'VIGIL_ERR_FORECAST_UNKNOWN_MODEL'],
      [{ metric: 'disk_used_percent', horizon: '60d', range: '90d', step: '1h' }, 422, 'VIGIL_ERR_FORECAST_HORIZON'],
      [{ metric: 'disk_used_percent', horizon: '3d', range: '2d' }, 422, 'VIGIL_ERR_FORECAST_HORIZON'],
      [{ metric: 'disk_used_percent', range: '30d', step: '1m' }, 422, 'VIGIL_ERR_FORECAST_INPUT'],
      [{ metric: 'disk_used_percent', levels: [50] }, 400, 'VIGIL_ERR_VALIDATION'],
      [{ metric: 'disk_used_percent', bogus: 1 }, 400, 'VIGIL_ERR_VALIDATION'],
      [{ metric: 'no_such_metric' }, 422, 'VIGIL_ERR_FORECAST_NO_DATA'],
      [{ metric: 'many_series', range: '2d', to: 'now', horizon: '1h' }, 422, 'VIGIL_ERR_FORECAST_TOO_MANY_SERIES'],
    ];
    for (const [payload, status, code] of cases) {
      const res = await post('/api/v1/forecast', payload);
      assert.equal(res.statusCode, status, `${JSON.stringify(payload)} → ${res.body}`);
      assert.equal(res.json().error.code, code, JSON.stringify(payload));
    }
    const short = await post('/api/v1/forecast', { metric: 'short_series', range: '2d', to: String(end), step: '5m', horizon: '1h' });
    assert.equal(short.statusCode, 422, short.body);
    assert.equal(short.json().error.code, 'VIGIL_ERR_FORECAST_TOO_SHORT');
    assert.match(short.json().error.message, /needs at least \d+ finite points/);
    const badK = await post('/api/v1/anomaly', { metric: 'cpu_usage_percent', k: 0 });
    assert.equal(badK.json().error.code, 'VIGIL_ERR_FORECAST_OPTIONS');
    const badDetector = await post('/api/v1/anomaly', { metric: 'cpu_usage_percent', detector: 'magic' });
    assert.equal(badDetector.json().error.code, 'VIGIL_ERR_FORECAST_UNKNOWN_MODEL');
  });

  it('arbitrary bodies never produce a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({ query: fc.option(fc.string({ maxLength: 30 }), { nil: undefined }), metric: fc.option(fc.constantFrom('disk_used_percent', 'x y', ''), { nil: undefined }), range: fc.option(fc.string({ maxLength: 8 }), { nil: undefined }), step: fc.option(fc.string({ maxLength: 6 }), { nil: undefined }), horizon: fc.option(fc.constantFrom('1h', '0s', '-1h', 'abc', '400d'), { nil: undefined }), model: fc.option(fc.constantFrom('auto', 'sma', 'nope'), { nil: undefined }), threshold: fc.option(fc.oneof(fc.double(), fc.string()), { nil: undefined }) }, { requiredKeys: [] }),
        async (payload) => {
          const res = await post('/api/v1/forecast', payload);
          assert.ok(res.statusCode < 500, `${JSON.stringify(payload)} → ${res.statusCode} ${res.body}`);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('viewers may forecast, guests and anonymous callers may not', async () => {
    await t.services.deps.users.create('fc-viewer', 'viewer-long-passphrase', 'viewer');
    await t.services.deps.users.create('fc-guest', 'guest-long-passphrase', 'guest');
    const viewer = mutationHeaders(await t.login('fc-viewer', 'viewer-long-passphrase'));
    const guest = mutationHeaders(await t.login('fc-guest', 'guest-long-passphrase'));
    const payload = { metric: 'disk_used_percent', range: '2d', to: String(end), horizon: '1h', model: 'linear' };
    assert.equal((await post('/api/v1/forecast', payload, viewer)).statusCode, 200);
    assert.equal((await post('/api/v1/forecast', payload, guest)).statusCode, 403);
    assert.equal((await post('/api/v1/anomaly', payload, { 'x-requested-with': 'vigil' })).statusCode, 401);
  });
});
