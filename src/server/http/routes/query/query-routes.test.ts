import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, type TestApp } from '../../../testing/test-app.js';

describe('query routes', () => {
  let t: TestApp;
  let cookie: string;
  let t0: number;
  const get = (url: string) => t.app.inject({ method: 'GET', url, headers: { cookie } });

  before(async () => {
    t = await createTestApp({ queryMaxSeries: 5 });
    cookie = await t.login();
    t0 = Math.floor(t.clock.now() / 60_000) * 60_000 - 10 * 60_000;
    for (const host of ['a', 'b']) {
      const key = await t.agentKey(host);
      const series = ['0', '1'].map((cpu) => ({ metric: 'cpu_usage_percent', labels: { cpu }, points: Array.from({ length: 60 }, (_, i) => [t0 + i * 10_000, (host === 'a' ? 10 : 20) + Number(cpu) + (i % 6)]) }));
      const res = await t.app.inject({ method: 'POST', url: '/api/v1/ingest', headers: { authorization: `Bearer ${key}` }, payload: { series } });
      assert.equal(res.statusCode, 200, res.body);
    }
  });
  after(async () => t.close());

  it('returns aligned buckets per series', async () => {
    const res = await get(`/api/v1/query?query=${encodeURIComponent('cpu_usage_percent{host="a",cpu="0"}')}&start=${t0}&end=${t0 + 120_000}&step=1m`);
    assert.equal(res.statusCode, 200, res.body);
    const body = res.json();
    assert.deepEqual(body.timestamps, [t0, t0 + 60_000]);
    assert.equal(body.series.length, 1);
    assert.deepEqual(body.series[0].values, [12.5, 12.5]);
    assert.equal(body.tier, 'raw');
  });

  it('aggregates by a label with avg, max, sum and p95', async () => {
    const q = (agg: string) => get(`/api/v1/query?query=cpu_usage_percent&start=${t0}&end=${t0 + 60_000}&step=1m&agg=${agg}&by=host`);
    const avg = (await q('avg')).json();
    assert.deepEqual(avg.series.map((s: { labels: object; values: number[] }) => [s.labels, s.values]), [
      [{ host: 'a' }, [13]],
      [{ host: 'b' }, [23]],
    ]);
    assert.deepEqual((await q('max')).json().series.map((s: { values: number[] }) => s.values[0]), [16, 26]);
    assert.deepEqual((await q('sum')).json().series.map((s: { values: number[] }) => s.values[0]), [26, 46]);
    const p95 = (await q('p95')).json().series[0].values[0];
    assert.ok(p95 > 15 && p95 <= 16, `p95 ${p95}`);
    const all = (await get(`/api/v1/query?query=cpu_usage_percent&start=${t0}&end=${t0 + 60_000}&step=1m&agg=avg&by=`)).json();
    assert.equal(all.series.length, 1);
    assert.equal(all.series[0].values[0], 18);
  });

  it('explains what is wrong with 400 and 422 answers', async () => {
    const cases: [string, number, string][] = [
      ['/api/v1/query', 400, 'VIGIL_ERR_VALIDATION'],
      ['/api/v1/query?query=cpu{', 400, 'VIGIL_ERR_SELECTOR_SYNTAX'],
      ['/api/v1/query?query=cpu&start=yesterday', 400, 'VIGIL_ERR_VALIDATION'],
      ['/api/v1/query?query=cpu&start=now&end=now-1h', 400, 'VIGIL_ERR_VALIDATION'],
      ['/api/v1/query?query=cpu&agg=median', 400, 'VIGIL_ERR_VALIDATION'],
      ['/api/v1/query?query=cpu&by=1bad', 400, 'VIGIL_ERR_VALIDATION'],
      ['/api/v1/query?query=cpu&unknown=1', 400, 'VIGIL_ERR_VALIDATION'],
      ['/api/v1/query?query=cpu&start=now-1000d', 422, 'VIGIL_ERR_QUERY_RANGE_TOO_LARGE'],
      ['/api/v1/query?query=cpu&start=now-365d&step=1s', 422, 'VIGIL_ERR_QUERY_TOO_MANY_POINTS'],
      ['/api/v1/query?query={cpu=~".*"}', 200, ''],
    ];
    for (const [url, status, code] of cases) {
      const res = await get(url);
      assert.equal(res.statusCode, status, `${url}: ${res.body}`);
      if (code) assert.equal(res.json().error.code, code, url);
    }
    await t.agentKey('c');
    const many = await t.app.inject({
      method: 'POST',
      url: '/api/v1/ingest',
      headers: { authorization: `Bearer ${await t.agentKey('d')}` },
      payload: { series: Array.from({ length: 6 }, (_, i) => ({ metric: 'many', labels: { i: String(i) }, points: [[t.clock.now(), 1]] })) },
    });
    assert.equal(many.statusCode, 200);
    const tooMany = await get('/api/v1/query?query=many');
    assert.equal(tooMany.statusCode, 422);
    assert.equal(tooMany.json().error.code, 'VIGIL_ERR_QUERY_TOO_MANY_SERIES');
  });

  it('lists series, metrics, labels and values', async () => {
    assert.ok((await get('/api/v1/metrics')).json().metrics.includes('cpu_usage_percent'));
    assert.deepEqual((await get('/api/v1/labels?match=cpu_usage_percent')).json().labels, ['cpu', 'host']);
    assert.deepEqual((await get('/api/v1/labels/cpu/values?match=cpu_usage_percent')).json().values, ['0', '1']);
    const series = (await get('/api/v1/series?match=cpu_usage_percent{host="b"}')).json();
    assert.equal(series.series.length, 2);
    assert.equal((await get('/api/v1/series')).statusCode, 400);
  });

  it('lists agents with status and headline numbers', async () => {
    const agents = (await get('/api/v1/agents')).json().agents;
    const a = agents.find((x: { name: string }) => x.name === 'a');
    assert.equal(a.status, 'online');
    assert.equal(typeof a.createdAt, 'number');
    const detail = await get(`/api/v1/agents/${a.id}`);
    assert.equal(detail.statusCode, 200);
    assert.equal(detail.json().processes, null);
    assert.equal((await get('/api/v1/agents/not-a-uuid')).statusCode, 400);
    assert.equal((await get('/api/v1/agents/00000000-0000-4000-8000-000000000000')).statusCode, 404);
  });
});
