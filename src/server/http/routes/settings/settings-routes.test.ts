import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { OutboundError } from '../../../outbound/outbound-http.js';
import { createTestApp, mutationHeaders, type TestApp } from '../../../testing/test-app.js';

describe('outbound allowlist API', () => {
  let t: TestApp;
  let admin: string;
  let target: http.Server;
  let port: number;
  before(async () => {
    t = await createTestApp();
    admin = await t.login();
    target = http.createServer((_req, res) => res.end('ok'));
    await new Promise<void>((r) => target.listen(0, '127.0.0.1', r));
    port = (target.address() as AddressInfo).port;
  });
  after(async () => {
    target.close();
    await t.close();
  });

  const put = (cookie: string, payload: object) => t.app.inject({ method: 'PUT', url: '/api/v1/settings/outbound-allowlist', headers: mutationHeaders(cookie), payload });

  it('starts empty, so internal targets are blocked; an admin allowlists one and it works at once', async () => {
    assert.deepEqual((await t.app.inject({ method: 'GET', url: '/api/v1/settings/outbound-allowlist', headers: { cookie: admin } })).json(), { cidrs: [], hosts: [], warnings: [] });
    await assert.rejects(t.services.deps.outbound.request({ url: `http://127.0.0.1:${port}/` }), (e: unknown) => e instanceof OutboundError && e.kind === 'blocked');
    const res = await put(admin, { cidrs: ['127.0.0.1/32', ' 127.0.0.1/32'], hosts: ['Monitor.Internal'] });
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.json(), { cidrs: ['127.0.0.1/32'], hosts: ['monitor.internal'], warnings: [] });
    assert.equal((await t.services.deps.outbound.request({ url: `http://127.0.0.1:${port}/` })).status, 200);
    const entry = (await t.storage.audit.list({ action: 'setting.change', limit: 1 }))[0]!;
    assert.deepEqual(entry.details?.['after'], { cidrs: ['127.0.0.1/32'], hosts: ['monitor.internal'] });
  });

  it('refuses invalid entries and warns about permissive ones', async () => {
    const bad = await put(admin, { cidrs: ['10.0.0.0/33', 'banana'], hosts: ['10.0.0.1', 'bad host'] });
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.json().error.details.problems.length, 4);
    const wide = await put(admin, { cidrs: ['0.0.0.0/0', '169.254.0.0/16'], hosts: [] });
    assert.equal(wide.statusCode, 200);
    assert.equal(wide.json().warnings.length, 2);
    await put(admin, { cidrs: [], hosts: [] });
  });

  it('is for admins only', async () => {
    await t.services.deps.users.create('otto', 'otto-long-passphrase', 'operator');
    const op = await t.login('otto', 'otto-long-passphrase');
    assert.equal((await put(op, { cidrs: ['127.0.0.1/32'], hosts: [] })).statusCode, 403);
    assert.equal((await t.app.inject({ method: 'GET', url: '/api/v1/settings/outbound-allowlist', headers: { cookie: op } })).statusCode, 403);
  });
});
