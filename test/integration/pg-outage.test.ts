import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPgTestSchema, type PgTestSchema } from '../../src/server/storage/testing/pg-test-schema.js';
import { needPostgres } from '../support/requirements.js';
import { TcpProxy } from '../support/tcp-proxy.js';
import { eventually, ProcessApi, startVigilServer, type VigilProcess } from '../support/vigil-process.js';

const skip = await needPostgres();

async function ingest(url: string, key: string, points: [number, number][]): Promise<Response> {
  return fetch(`${url}/api/v1/ingest`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ protocol: 1, series: [{ metric: 'outage_probe', labels: { n: '1' }, points }] }),
  });
}

describe('server on PostgreSQL while the database goes away and comes back', { skip }, () => {
  let schema: PgTestSchema;
  let proxy: TcpProxy;
  let server: VigilProcess;
  let dir: string;
  before(async () => {
    schema = await createPgTestSchema();
    proxy = await TcpProxy.start({ host: '127.0.0.1', port: 5432 });
    dir = mkdtempSync(join(tmpdir(), 'vigil-pg-outage-'));
    server = await startVigilServer(dir, {
      VIGIL_DATABASE_URL: `postgres://postgres@127.0.0.1:${proxy.port}/test`,
      VIGIL_DATABASE_SCHEMA: schema.schema,
      VIGIL_DATABASE_CONNECT_TIMEOUT: '1s',
    });
  });
  after(async () => {
    await server?.stop();
    await proxy?.close();
    await schema?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('/ready turns 503 and ingest answers 503 + Retry-After; afterwards nothing acknowledged is lost or duplicated', async () => {
    const api = await ProcessApi.login(server.url);
    const key = (await api.call<{ key: string }>('POST', '/api/v1/agents', { name: 'outage-agent' })).key;
    const t0 = Math.floor(Date.now() / 1000) * 1000 - 60_000;
    const acked: number[] = [];
    for (let i = 0; i < 20; i++) {
      const res = await ingest(server.url, key, [[t0 + i * 1000, i]]);
      assert.equal(res.status, 200, await res.text());
      acked.push(t0 + i * 1000);
    }
    assert.equal((await fetch(`${server.url}/ready`)).status, 200);

    proxy.block();
    const ready = await fetch(`${server.url}/ready`);
    assert.equal(ready.status, 503);
    assert.equal(ready.headers.get('retry-after'), '5');
    let refused = 0;
    for (let i = 20; i < 30; i++) {
      const res = await ingest(server.url, key, [[t0 + i * 1000, i]]);
      const body = await res.text();
      assert.equal(res.status, 503, body);
      assert.ok(Number(res.headers.get('retry-after')) > 0, 'Retry-After present');
      assert.match(body, /VIGIL_ERR_STORAGE_UNAVAILABLE/);
      assert.doesNotMatch(body, /postgres:\/\/|at .*\.ts:\d+/, 'no URL or stack trace in the answer');
      refused++;
    }
    assert.equal(refused, 10);

    proxy.unblock();
    await eventually(async () => (await fetch(`${server.url}/ready`)).status === 200, 15_000, '/ready back to 200');
    // The agent retries what was refused (same points), plus one batch that was acknowledged before (a duplicate).
    for (let i = 19; i < 30; i++) {
      const res = await ingest(server.url, key, [[t0 + i * 1000, i]]);
      assert.equal(res.status, 200, await res.text());
      if (i >= 20) acked.push(t0 + i * 1000);
    }
    const q = new URLSearchParams({ query: 'outage_probe', start: String(t0), end: String(t0 + 30_000), step: '1s', agg: 'count' });
    const result = await api.call<{ timestamps: number[]; series: { values: (number | null)[] }[] }>('GET', `/api/v1/query?${q.toString()}`);
    const got = result.timestamps.filter((_t, i) => result.series[0]!.values[i] !== null);
    assert.deepEqual(got, acked, 'a sample at every acknowledged timestamp');
    assert.ok(result.series[0]!.values.every((v) => v === null || v === 1), 'no timestamp stored twice');
  });
});
