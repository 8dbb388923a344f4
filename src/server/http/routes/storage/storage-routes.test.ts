import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { StorageUsage } from '../../../../protocol/storage.js';
import { createTestApp, mutationHeaders, type TestApp } from '../../../testing/test-app.js';

describe('GET /api/v1/storage', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp();
  });
  after(async () => t.close());

  it('reports every tier with retention, the volume and a forecast; counters are on /metrics', async () => {
    const cookie = await t.login();
    const key = await t.agentKey('usage-host');
    const now = t.clock.now();
    const series = Array.from({ length: 20 }, (_, i) => ({ metric: 'usage_test', labels: { n: String(i) }, points: Array.from({ length: 30 }, (_, k) => [now - 3_600_000 + k * 60_000, k]) }));
    const ing = await t.app.inject({ method: 'POST', url: '/api/v1/ingest', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, payload: { series } });
    assert.equal(ing.statusCode, 200, ing.body);
    await t.storage.samples.maintain(now + 3 * 3_600_000);
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/storage', headers: { cookie } });
    assert.equal(res.statusCode, 200, res.body);
    const u = res.json() as StorageUsage;
    assert.equal(u.backend, 'sqlite');
    assert.deepEqual(u.tiers.map((x) => [x.tier, x.retentionMs]), [
      ['raw', 15 * 86_400_000],
      ['1m', 90 * 86_400_000],
      ['1h', 730 * 86_400_000],
    ]);
    assert.ok(u.tiers[0]!.bytes > 0);
    assert.equal(u.samples, 600);
    assert.ok(u.bytesPerSample !== null && u.bytesPerSample > 0);
    assert.ok(u.disk && u.disk.totalBytes > 0 && u.disk.freeBytes > 0);
    assert.equal(typeof u.forecast.measured, 'boolean');
    assert.equal(u.counters['corrupt_chunks'], 0);
    const metrics = await t.app.inject({ method: 'GET', url: '/metrics', headers: { cookie } });
    assert.match(metrics.body, /vigil_storage_damaged_skipped\{kind="chunks"\} 0/);
    assert.match(metrics.body, /vigil_storage_engine\{figure="chunks_compacted"\} \d+/);
  });

  it('is for admins only', async () => {
    const cookie = await t.login();
    const create = await t.app.inject({ method: 'POST', url: '/api/v1/users', headers: mutationHeaders(cookie), payload: { username: 'viewer-storage', password: 'viewer-password-123', role: 'viewer' } });
    if (create.statusCode === 404) {
      // No user-management route on this build: check with no credentials instead.
      assert.equal((await t.app.inject({ method: 'GET', url: '/api/v1/storage' })).statusCode, 401);
      return;
    }
    const viewer = await t.login('viewer-storage', 'viewer-password-123');
    assert.equal((await t.app.inject({ method: 'GET', url: '/api/v1/storage', headers: { cookie: viewer } })).statusCode, 403);
  });
});
