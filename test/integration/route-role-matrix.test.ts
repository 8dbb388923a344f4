/**
 * Route × role matrix (security checks 2 and 3 of the reliability reference): every route of
 * `app.routeTable` — including routes other modules add later — is called as admin, operator,
 * viewer, guest, unauthenticated, an agent key and the key of another agent, and the status is
 * checked against the policy. Object-level checks follow: foreign ids answer 404 and a key
 * bound to agent A can never write as agent B.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { parseSelector } from '../../src/protocol/selector.js';
import { agentOrPermission, ROLE_PERMISSIONS, type Access, type Permission } from '../../src/server/auth/policy.js';
import type { Role } from '../../src/server/storage/user-repo.js';
import { createTestApp, mutationHeaders, type TestApp } from '../../src/server/testing/test-app.js';

type Caller = Role | 'anonymous' | 'agent' | 'other-agent';
const CALLERS: Caller[] = ['admin', 'operator', 'viewer', 'guest', 'anonymous', 'agent', 'other-agent'];
const FOREIGN_ID = '00000000-0000-4000-8000-000000000000';

/** What the policy says a caller gets on a route: `allow`, 401 or 403 (public routes: anything but 5xx). */
function expected(access: Access, caller: Caller): 'allow' | 401 | 403 | 'public' {
  if (access === 'public') return 'public';
  if (caller === 'anonymous') return 401;
  const isAgent = caller === 'agent' || caller === 'other-agent';
  if (access === 'agent') return isAgent ? 'allow' : 401; // bearer-only routes ignore cookies
  const agentOr = agentOrPermission(access);
  if (agentOr !== null) return isAgent || ROLE_PERMISSIONS[caller as Role].includes(agentOr) ? 'allow' : 403;
  if (isAgent) return 403;
  if (access === 'authenticated') return 'allow';
  return ROLE_PERMISSIONS[caller].includes(access as Permission) ? 'allow' : 403;
}

/** Path parameters that name an object (`:id`, `:ruleId`, …): a foreign value must answer 404. */
const OBJECT_PARAM = /:(\w*[iI]d)\b/;

/** Fills route parameters: object ids with an id nobody owns, other parameters with a plain value. */
function concreteUrl(url: string): string {
  return url
    .replace(':sessionId', '0'.repeat(32))
    .replace(/:(\w*[iI]d)\b/g, FOREIGN_ID)
    .replace(/:\w+/g, 'host')
    .replace('*', 'no-such-page');
}

describe('route × role matrix', () => {
  let t: TestApp;
  const userIds: Partial<Record<Role, string>> = {};
  const keys: { agent: string; other: string; agentId: string; otherId: string } = { agent: '', other: '', agentId: '', otherId: '' };
  before(async () => {
    t = await createTestApp();
    userIds.admin = (await t.storage.users.getByUsername('admin'))!.id;
    for (const role of ['operator', 'viewer', 'guest'] as const) userIds[role] = (await t.services.deps.users.create(`m-${role}`, `${role}-long-passphrase`, role)).id;
    const a = await t.services.deps.agents.enroll('agent-a', 'test');
    const b = await t.services.deps.agents.enroll('agent-b', 'test');
    Object.assign(keys, { agent: a.key.secret, other: b.key.secret, agentId: a.agent.id, otherId: b.agent.id });
  });
  after(async () => t.close());

  /** Credentials for one call; user sessions are minted fresh each time (a logout cannot spoil the next cell). */
  async function headersFor(caller: Caller): Promise<Record<string, string>> {
    if (caller === 'anonymous') return { 'x-requested-with': 'vigil' };
    if (caller === 'agent') return { authorization: `Bearer ${keys.agent}` };
    if (caller === 'other-agent') return { authorization: `Bearer ${keys.other}` };
    const { id } = await t.services.deps.sessions.create(userIds[caller]!, { ip: null, userAgent: null });
    return mutationHeaders(`vigil_sid=${id}`);
  }

  it('every route answers every caller as the policy says', async (ctx) => {
    const seen = new Set<string>();
    const rows = t.app.routeTable.filter((r) => r.method !== 'HEAD' && !seen.has(`${r.method} ${r.url}`) && seen.add(`${r.method} ${r.url}`));
    const failures: string[] = [];
    let cells = 0;
    for (const r of rows) {
      for (const caller of CALLERS) {
        const method = r.method as 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
        const body = ['POST', 'PUT', 'PATCH'].includes(method) ? { payload: {} } : {};
        const res = await t.app.inject({ method, url: concreteUrl(r.url), headers: await headersFor(caller), ...body });
        cells++;
        const want = expected(r.access, caller);
        const got = res.statusCode;
        const hasForeignId = OBJECT_PARAM.test(r.url) && (method === 'GET' || method === 'DELETE');
        const ok =
          want === 'public' ? got < 500
          : want === 'allow' ? (hasForeignId ? got === 404 : got < 500 && got !== 401 && got !== 403)
          : got === want;
        if (!ok) failures.push(`${r.method} ${r.url} as ${caller}: expected ${want}${want === 'allow' && hasForeignId ? ' (404 for a foreign id)' : ''}, got ${got} ${res.body.slice(0, 120)}`);
      }
    }
    ctx.diagnostic(`route × role matrix: ${rows.length} routes × ${CALLERS.length} callers = ${cells} cells`);
    assert.deepEqual(failures, []);
  });

  it('denials are audited with the missing permission', async () => {
    const denied = await t.storage.audit.list({ action: 'authz.denied', limit: 500 });
    assert.ok(denied.some((e) => e.actor === 'user:m-guest' && e.details?.['permission'] === 'read:metrics'));
    assert.ok(denied.some((e) => e.actor === 'agent:agent-a' && e.details?.['permission'] === 'agent keys may only ingest'));
  });

  it('a key bound to agent A cannot write as agent B', async () => {
    const now = t.clock.now();
    const asB = await t.app.inject({
      method: 'POST',
      url: '/api/v1/ingest',
      headers: { authorization: `Bearer ${keys.other}` },
      payload: { series: [{ metric: 'm_matrix', labels: { host: 'agent-a' }, points: [[now, 1]] }, { metric: 'm_matrix', labels: {}, points: [[now, 2]] }] },
    });
    assert.equal(asB.statusCode, 422);
    assert.equal(asB.json().errors[0].code, 'VIGIL_ERR_RESERVED_LABEL');
    const { series } = await t.storage.series.select(parseSelector('m_matrix'), 100);
    assert.deepEqual(series.map((s) => s.labels['host']), ['agent-b'], 'the server stamps the host from the key, never from the payload');
    const eventsAsA = await t.app.inject({ method: 'POST', url: '/api/v1/events', headers: { authorization: `Bearer ${keys.other}` }, payload: { host: 'agent-a', events: [] } });
    assert.equal(eventsAsA.statusCode, 403, 'security events: a key may only write for its own host');
    const hello = { hostname: 'pretend-to-be-a', os: 'linux', kernel: '6.1', arch: 'x64', agentVersion: '1', intervalMs: 10_000, cpuCount: 2, memoryBytes: 1e9, capabilities: [], unavailable: [] };
    const reg = await t.app.inject({ method: 'POST', url: '/api/v1/agents/register', headers: { authorization: `Bearer ${keys.other}` }, payload: hello });
    assert.equal(reg.statusCode, 200, reg.body);
    assert.equal(reg.json().agentId, keys.otherId, 'registration always applies to the key’s own agent');
    assert.equal((await t.storage.agents.get(keys.agentId))?.hostname ?? null, null, "agent A's facts are untouched");
    assert.equal((await t.storage.agents.get(keys.otherId))?.hostname, 'pretend-to-be-a');
  });

  it("another user's objects answer 404, never 403 (no probing)", async () => {
    const viewer = await headersFor('viewer');
    const guestToken = await t.services.deps.keys.createUserToken(userIds.guest!, 'g', [], null, null);
    assert.equal((await t.app.inject({ method: 'DELETE', url: `/api/v1/keys/${guestToken.record.id}`, headers: viewer })).statusCode, 404);
    const agentKeyId = (await t.services.deps.keys.list({ agentId: keys.agentId }))[0]!.id;
    assert.equal((await t.app.inject({ method: 'DELETE', url: `/api/v1/keys/${agentKeyId}`, headers: viewer })).statusCode, 404);
    const list = await t.app.inject({ method: 'GET', url: '/api/v1/keys', headers: viewer });
    assert.deepEqual(list.json().keys, []);
  });
});
