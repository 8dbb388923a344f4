import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { parseSelector } from '../../../../protocol/selector.js';
import { createTestApp, type TestApp } from '../../../testing/test-app.js';

describe('POST /api/v1/ingest', () => {
  let t: TestApp;
  let key: string;
  let now: number;
  const post = (payload: unknown, headers: Record<string, string> = {}) =>
    t.app.inject({ method: 'POST', url: '/api/v1/ingest', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', ...headers }, payload: typeof payload === 'string' || Buffer.isBuffer(payload) ? payload : JSON.stringify(payload) });

  before(async () => {
    t = await createTestApp({ ingestBodyMaxBytes: 256 * 1024, maxSeriesPerAgent: 50 });
    key = await t.agentKey('web-1');
    now = t.clock.now();
  });
  after(async () => t.close());

  it('stores a batch, stamps host from the key, and acknowledges with counts', async () => {
    const res = await post({ series: [{ metric: 'load1', points: [[now, 0.5], [now - 10_000, 0.4]] }] });
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.json(), { accepted: 2, duplicates: 0, rejected: 0, errors: [] });
    const { series } = await t.storage.series.select(parseSelector('load1'), 10);
    assert.deepEqual(series[0]?.labels, { host: 'web-1' });
    const agent = await t.storage.agents.getByName('web-1');
    assert.equal(agent?.lastSeen, now);
  });

  it('treats exact duplicates as stored and different values at the same ts as item errors', async () => {
    const res = await post({ series: [{ metric: 'load1', points: [[now, 0.5], [now - 10_000, 9]] }] });
    assert.equal(res.statusCode, 422);
    const body = res.json();
    assert.equal(body.accepted, 1);
    assert.equal(body.duplicates, 1);
    assert.equal(body.errors[0].code, 'VIGIL_ERR_DUPLICATE_TIMESTAMP');
    assert.equal(body.errors[0].point, 1);
  });

  it('replays the first answer for a repeated Idempotency-Key', async () => {
    const batch = { series: [{ metric: 'idem', points: [[now, 1]] }] };
    const first = await post(batch, { 'idempotency-key': 'web-1-42' });
    const second = await post({ series: [{ metric: 'idem', points: [[now, 2]] }] }, { 'idempotency-key': 'web-1-42' });
    assert.equal(first.statusCode, 200);
    assert.equal(second.statusCode, 200);
    assert.equal(second.json().replayed, true);
    const raw = await t.storage.samples.readRaw((await t.storage.series.select(parseSelector('idem'), 1)).series.map((s) => s.id), 0, now + 1);
    assert.deepEqual([...raw.values()][0]?.values, [1]);
  });

  it('accepts gzip bodies', async () => {
    const res = await post(gzipSync(JSON.stringify({ series: [{ metric: 'gz', points: [[now, 1]] }] })), { 'content-encoding': 'gzip' });
    assert.equal(res.statusCode, 200);
    assert.equal(res.json().accepted, 1);
  });

  const bad: [string, () => ReturnType<typeof post>, number, string][] = [
    ['malformed JSON', () => post('{"series": [', {}), 400, 'VIGIL_ERR_INVALID_JSON'],
    ['empty body', () => post('', {}), 400, 'VIGIL_ERR_INVALID_JSON'],
    ['wrong top-level type', () => post('[1,2]'), 400, 'VIGIL_ERR_VALIDATION'],
    ['wrong content type', () => post('series=1', { 'content-type': 'application/x-www-form-urlencoded' }), 415, 'VIGIL_ERR_UNSUPPORTED_MEDIA_TYPE'],
    ['unknown content encoding', () => post('{}', { 'content-encoding': 'br' }), 415, 'VIGIL_ERR_UNSUPPORTED_MEDIA_TYPE'],
    ['corrupt gzip', () => post(Buffer.from('not gzip at all'), { 'content-encoding': 'gzip' }), 400, 'VIGIL_ERR_INVALID_JSON'],
    ['gzip bomb', () => post(gzipSync(Buffer.alloc(50 * 1024 * 1024, 0x20)), { 'content-encoding': 'gzip' }), 413, 'VIGIL_ERR_PAYLOAD_TOO_LARGE'],
    ['oversized body', () => post(JSON.stringify({ series: [{ metric: 'm', labels: { a: 'x'.repeat(300 * 1024) }, points: [] }] })), 413, 'VIGIL_ERR_PAYLOAD_TOO_LARGE'],
    ['nesting depth 10000', () => post(`{"series":[${'['.repeat(10_000)}${']'.repeat(10_000)}]}`), 422, 'VIGIL_ERR_INGEST_REJECTED'],
    ['invalid UTF-8', () => post(Buffer.concat([Buffer.from('{"series":[{"metric":"m","labels":{"a":"'), Buffer.from([0xff, 0xfe]), Buffer.from(`"},"points":[[${Date.now()},1]]}]}`)])), 400, 'VIGIL_ERR_INVALID_JSON'],
    ['a __proto__ key', () => post('{"series":[],"__proto__":{"polluted":1}}'), 400, 'VIGIL_ERR_INVALID_JSON'],
    ['10,000 labels', () => post({ series: [{ metric: 'm', labels: Object.fromEntries(Array.from({ length: 10_000 }, (_, i) => [`l${i}`, 'v'])), points: [[now, 1]] }] }), 422, 'VIGIL_ERR_INGEST_REJECTED'],
    ['NaN as a string, Infinity via 1e309', () => post(`{"series":[{"metric":"m","points":[[${now},"NaN"],[${now - 1},1e309]]}]}`), 422, 'VIGIL_ERR_INGEST_REJECTED'],
    ['timestamps a year ahead and a year back', () => post({ series: [{ metric: 'm', points: [[now + 365 * 86_400_000, 1], [now - 365 * 86_400_000, 1]] }] }), 422, 'VIGIL_ERR_INGEST_REJECTED'],
    ['bad Idempotency-Key', () => post({ series: [] }, { 'idempotency-key': 'has space\u00e9' }), 400, 'VIGIL_ERR_BAD_REQUEST'],
  ];
  for (const [name, send, status, code] of bad) {
    it(`answers ${status} ${code} for ${name}, never 5xx`, async () => {
      const res = await send();
      assert.equal(res.statusCode, status, res.body.slice(0, 300));
      const body = res.json();
      assert.equal(body.error.code, code);
      assert.ok(!/at .*\.(ts|js):\d+/.test(res.body), 'no stack trace in the answer');
    });
  }

  it('keeps valid items of a batch that has invalid ones', async () => {
    const res = await post({ series: [{ metric: 'keep_me', points: [[now, 1]] }, { metric: 'bad metric', points: [[now, 1]] }, { metric: 'keep_me_too', labels: { x: 'y' }, points: [[now, 2], [now + 10 * 86_400_000, 3]] }] });
    assert.equal(res.statusCode, 422);
    const body = res.json();
    assert.equal(body.accepted, 2);
    assert.equal(body.rejected, 2);
    assert.equal(body.error.code, 'VIGIL_ERR_INGEST_PARTIAL');
    assert.equal((await t.storage.series.select(parseSelector('{__name__=""}'.replace('__name__=""', 'x="y"')), 10)).series.length, 1);
  });

  it('enforces the per-agent series limit per item', async () => {
    const series = Array.from({ length: 60 }, (_, i) => ({ metric: 'card', labels: { n: String(i) }, points: [[now, i]] }));
    const res = await post({ series });
    assert.equal(res.statusCode, 422);
    const body = res.json();
    assert.ok(body.errors.some((e: { code: string }) => e.code === 'VIGIL_ERR_SERIES_LIMIT'));
    assert.ok((await t.storage.series.countForAgent((await t.storage.agents.getByName('web-1'))!.id)) <= 50);
  });

  it('rejects a revoked key immediately', async () => {
    const k = await t.services.deps.agents.enroll('web-2', 'test');
    await t.services.deps.keys.revoke(k.key.record.id);
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/ingest', headers: { authorization: `Bearer ${k.key.secret}`, 'content-type': 'application/json' }, payload: '{"series":[]}' });
    assert.equal(res.statusCode, 401);
  });
});
