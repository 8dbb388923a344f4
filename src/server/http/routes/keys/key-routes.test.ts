import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, mutationHeaders, type TestApp } from '../../../testing/test-app.js';

describe('API keys', () => {
  let t: TestApp;
  let admin: string;
  let viewer: string;
  let viewer2: string;
  before(async () => {
    t = await createTestApp();
    admin = await t.login();
    await t.services.deps.users.create('vera', 'vera-long-passphrase', 'viewer');
    await t.services.deps.users.create('walt', 'walt-long-passphrase', 'viewer');
    viewer = await t.login('vera', 'vera-long-passphrase');
    viewer2 = await t.login('walt', 'walt-long-passphrase');
  });
  after(async () => t.close());

  const call = (method: 'GET' | 'POST' | 'DELETE', url: string, cookie: string, payload?: object) =>
    t.app.inject({ method, url, headers: method === 'GET' ? { cookie } : mutationHeaders(cookie), ...(payload ? { payload } : {}) });

  it('shows a user token once, stores only its hash, and it acts as the user narrowed by scopes', async () => {
    const res = await call('POST', '/api/v1/keys', viewer, { kind: 'user', name: 'grafana', scopes: ['read:metrics'], expiresInDays: 30 });
    assert.equal(res.statusCode, 201);
    const { key, secret } = res.json();
    assert.match(secret, /^vgu_[A-Za-z0-9_-]{22}$/);
    assert.equal(key.expiresAt, t.clock.now() + 30 * 86_400_000);
    const list = await call('GET', '/api/v1/keys', viewer);
    assert.ok(!list.body.includes(secret) && !list.body.includes('"hash"'), 'listings never show the secret or hash');
    const bearer = { authorization: `Bearer ${secret}` };
    assert.equal((await t.app.inject({ method: 'GET', url: '/api/v1/metrics', headers: bearer })).statusCode, 200);
    assert.equal((await t.app.inject({ method: 'GET', url: '/api/v1/agents', headers: bearer })).statusCode, 403, 'read:overview is outside the scopes');
    t.clock.advance(31 * 86_400_000);
    assert.equal((await t.app.inject({ method: 'GET', url: '/api/v1/metrics', headers: bearer })).statusCode, 401, 'expired');
    // The sessions idled out meanwhile too: sign in again for the next tests.
    admin = await t.login();
    viewer = await t.login('vera', 'vera-long-passphrase');
    viewer2 = await t.login('walt', 'walt-long-passphrase');
  });

  it('never mints more than the creator holds, and tokens cannot mint tokens', async () => {
    const r = await call('POST', '/api/v1/keys', viewer, { kind: 'user', name: 'x', scopes: ['write:users'] });
    assert.equal(r.statusCode, 400);
    const { secret } = (await call('POST', '/api/v1/keys', viewer, { kind: 'user', name: 'y' })).json();
    const viaToken = await t.app.inject({ method: 'POST', url: '/api/v1/keys', headers: { authorization: `Bearer ${secret}` }, payload: { kind: 'user', name: 'z' } });
    assert.equal(viaToken.statusCode, 403);
    const forOther = await call('POST', '/api/v1/keys', viewer, { kind: 'user', name: 'w', userId: (await t.storage.users.getByUsername('walt'))!.id });
    assert.equal(forOther.statusCode, 403);
    const agent = await t.services.deps.agents.enroll('k-agent', 'test');
    assert.equal((await call('POST', '/api/v1/keys', viewer, { kind: 'agent', name: 'a', agentId: agent.agent.id })).statusCode, 403);
  });

  it("answers 404 for another user's key (no probing) and revokes immediately", async () => {
    const { key, secret } = (await call('POST', '/api/v1/keys', viewer, { kind: 'user', name: 'mine' })).json();
    assert.equal((await call('DELETE', `/api/v1/keys/${key.id}`, viewer2)).statusCode, 404);
    assert.ok(!(await call('GET', '/api/v1/keys', viewer2)).body.includes(key.id));
    assert.equal((await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { authorization: `Bearer ${secret}` } })).statusCode, 200);
    assert.equal((await call('DELETE', `/api/v1/keys/${key.id}`, viewer)).statusCode, 204);
    assert.equal((await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { authorization: `Bearer ${secret}` } })).statusCode, 401, 'revocation is immediate');
    assert.equal((await call('DELETE', '/api/v1/keys/00000000-0000-4000-8000-000000000000', admin)).statusCode, 404);
  });

  it('admins see every token and agent keys; agent keys are created for an agent and revoked', async () => {
    const all = (await call('GET', '/api/v1/keys', admin)).json().keys as { kind: string; userId: string | null }[];
    assert.ok(all.some((k) => k.kind === 'agent'));
    assert.ok(all.some((k) => k.kind === 'user' && k.userId !== null));
    const agent = await t.services.deps.agents.enroll('k-agent-2', 'test');
    const created = await call('POST', '/api/v1/keys', admin, { kind: 'agent', name: 'rotated', agentId: agent.agent.id });
    assert.equal(created.statusCode, 201);
    assert.match(created.json().secret, /^vgk_/);
    const ingest = () => t.app.inject({ method: 'POST', url: '/api/v1/ingest', headers: { authorization: `Bearer ${created.json().secret}` }, payload: { series: [] } });
    assert.equal((await ingest()).statusCode, 200);
    assert.equal((await call('DELETE', `/api/v1/keys/${created.json().key.id}`, admin)).statusCode, 204);
    assert.equal((await ingest()).statusCode, 401);
    const actions = (await t.storage.audit.list({ limit: 50 })).map((e) => e.action);
    assert.ok(actions.includes('key.create') && actions.includes('key.revoke'));
  });
});
