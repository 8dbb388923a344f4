/**
 * HTTP fuzzing of the identity and admin API (reliability reference T27): arbitrary JSON
 * bodies, path ids and query strings sent as an admin answer with a 4xx, never a 5xx.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { createTestApp, mutationHeaders, type TestApp } from '../../src/server/testing/test-app.js';

const RUNS = Number(process.env.VIGIL_PROPERTY_RUNS ?? 300);

describe('admin API fuzzing', () => {
  let t: TestApp;
  let headers: Record<string, string>;
  let userId: string;
  before(async () => {
    t = await createTestApp();
    headers = mutationHeaders(await t.login());
    userId = (await t.services.deps.users.create('fuzz-target', 'fuzz-long-passphrase', 'viewer')).id;
  });
  after(async () => t.close());

  const targets: { method: 'POST' | 'PATCH' | 'PUT' | 'DELETE' | 'GET'; url: () => string }[] = [
    { method: 'POST', url: () => '/api/v1/auth/login' },
    { method: 'POST', url: () => '/api/v1/users' },
    { method: 'PATCH', url: () => `/api/v1/users/${userId}` },
    { method: 'POST', url: () => `/api/v1/users/${userId}/password` },
    { method: 'POST', url: () => '/api/v1/keys' },
    { method: 'PUT', url: () => '/api/v1/settings/outbound-allowlist' },
    { method: 'POST', url: () => '/api/v1/auth/totp/enable' },
  ];
  // Bodies that stress validation: any JSON, near-valid objects with odd values, deep nesting.
  const body = fc.oneof(
    fc.jsonValue({ maxDepth: 4 }),
    fc.record({ username: fc.string(), password: fc.string(), role: fc.string(), totp: fc.string() }, { requiredKeys: [] }),
    fc.record({ role: fc.constantFrom('admin', 'guest', 'x', ''), disabled: fc.oneof(fc.boolean(), fc.string()) }, { requiredKeys: [] }),
    fc.record({ kind: fc.constantFrom('user', 'agent', 'x'), name: fc.string(), scopes: fc.array(fc.string()), expiresInDays: fc.oneof(fc.integer(), fc.double()), agentId: fc.string(), userId: fc.uuid() }, { requiredKeys: [] }),
    fc.record({ cidrs: fc.array(fc.string(), { maxLength: 5 }), hosts: fc.array(fc.string(), { maxLength: 5 }) }, { requiredKeys: [] }),
    fc.nat(3000).map((d) => '['.repeat(d) + ']'.repeat(d)),
  );

  it(`answers arbitrary bodies with a 4xx or success, never a 5xx (${RUNS} runs)`, async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat(targets.length - 1), body, async (i, b) => {
        const target = targets[i]!;
        const payload = typeof b === 'string' ? b : JSON.stringify(b);
        const res = await t.app.inject({ method: target.method, url: target.url(), headers: { ...headers, 'content-type': 'application/json' }, payload });
        assert.ok(res.statusCode < 500, `${target.method} ${target.url()} ${payload.slice(0, 200)} → ${res.statusCode} ${res.body.slice(0, 200)}`);
        if (res.statusCode >= 400) assert.match(res.json().error.code, /^VIGIL_ERR_/);
      }),
      { numRuns: RUNS },
    );
    // The fuzzed admin is still an admin (mass assignment through PATCH never touched it).
    assert.equal((await t.storage.users.getByUsername('admin'))?.role, 'admin');
  });

  it('answers arbitrary path ids and query strings with a 4xx, never a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 60 }), fc.string({ maxLength: 60 }), async (id, q) => {
        for (const url of [`/api/v1/users/${encodeURIComponent(id)}`, `/api/v1/users/${encodeURIComponent(id)}/sessions`, `/api/v1/keys/${encodeURIComponent(id)}`, `/api/v1/audit?${q}`, `/api/v1/audit/export?${q}`, `/api/v1/keys?${q}`]) {
          const res = await t.app.inject({ method: url.startsWith('/api/v1/keys/') ? 'DELETE' : 'GET', url, headers });
          assert.ok(res.statusCode < 500, `${url} → ${res.statusCode} ${res.body.slice(0, 200)}`);
        }
      }),
      { numRuns: Math.ceil(RUNS / 3) },
    );
  });
});
