/**
 * Model-based test of RBAC and sessions (reliability reference T28 (b)): random sequences of
 * login, logout, role change, disable/enable, password reset, session revocation, time passing
 * and API calls run against the real app, and every answer is compared with a small model of
 * the policy. Modest run counts here; raise VIGIL_MODEL_RUNS for a nightly run.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ROLE_PERMISSIONS, type Permission } from '../../src/server/auth/policy.js';
import { DEFAULT_SESSION_POLICY } from '../../src/server/auth/session-service.js';
import { ROLES, type Role } from '../../src/server/storage/user-repo.js';
import { createTestApp, mutationHeaders, type TestApp } from '../../src/server/testing/test-app.js';

const RUNS = Number(process.env.VIGIL_MODEL_RUNS ?? 30);
const USERS = 3;
const TOUCH_MS = 60_000;
/** Statuses seen by API calls over all runs (to prove the runs exercised every outcome). */
const seen = new Map<number, number>();

interface ModelSession {
  user: number;
  cookie: string;
  alive: boolean;
  createdAt: number;
  lastSeen: number;
}
interface Model {
  now: number;
  users: { role: Role; disabled: boolean; password: string }[];
  sessions: ModelSession[];
}
interface Real {
  t: TestApp;
  ids: string[];
  names: string[];
  adminAuth: Record<string, string>;
}

const CALLS: { method: 'GET'; url: string; permission: Permission }[] = [
  { method: 'GET', url: '/api/v1/agents', permission: 'read:overview' },
  { method: 'GET', url: '/api/v1/metrics', permission: 'read:metrics' },
  { method: 'GET', url: '/api/v1/users', permission: 'read:users' },
  { method: 'GET', url: '/api/v1/audit?limit=1', permission: 'read:audit' },
];

/** Applies idle/absolute expiry to the model as the server would see it now. */
function expire(m: Model): void {
  for (const s of m.sessions) {
    if (s.alive && (m.now >= s.createdAt + DEFAULT_SESSION_POLICY.absoluteTimeoutMs || m.now - s.lastSeen >= DEFAULT_SESSION_POLICY.idleTimeoutMs)) s.alive = false;
  }
}

/** The model's view of one request made with session `s`: valid (and touched) or not. */
function useSession(m: Model, s: ModelSession | undefined): boolean {
  expire(m);
  if (!s || !s.alive || m.users[s.user]!.disabled) return false;
  if (m.now - s.lastSeen >= TOUCH_MS) s.lastSeen = m.now;
  return true;
}

class Login implements fc.AsyncCommand<Model, Real> {
  constructor(readonly user: number, readonly right: boolean) {}
  check = () => true;
  async run(m: Model, r: Real): Promise<void> {
    const u = m.users[this.user]!;
    const res = await r.t.app.inject({ method: 'POST', url: '/api/v1/auth/login', headers: { 'x-requested-with': 'vigil' }, payload: { username: r.names[this.user], password: this.right ? u.password : 'not-the-password' } });
    const ok = this.right && !u.disabled;
    assert.equal(res.statusCode, ok ? 200 : 401, this.toString());
    if (ok) m.sessions.push({ user: this.user, cookie: `vigil_sid=${res.cookies.find((c) => c.name === 'vigil_sid')!.value}`, alive: true, createdAt: m.now, lastSeen: m.now });
  }
  toString = () => `login(u${this.user}, ${this.right ? 'right' : 'wrong'} password)`;
}

class Logout implements fc.AsyncCommand<Model, Real> {
  constructor(readonly idx: number) {}
  check = (m: Readonly<Model>) => m.sessions.length > 0;
  async run(m: Model, r: Real): Promise<void> {
    const s = m.sessions[this.idx % m.sessions.length]!;
    const valid = useSession(m, s);
    const res = await r.t.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: mutationHeaders(s.cookie) });
    assert.equal(res.statusCode, valid ? 204 : 401, this.toString());
    s.alive = false;
  }
  toString = () => `logout(#${this.idx})`;
}

class Call implements fc.AsyncCommand<Model, Real> {
  constructor(readonly idx: number, readonly call: number) {}
  check = (m: Readonly<Model>) => m.sessions.length > 0;
  async run(m: Model, r: Real): Promise<void> {
    const s = m.sessions[this.idx % m.sessions.length]!;
    const c = CALLS[this.call]!;
    const valid = useSession(m, s);
    const want = !valid ? 401 : ROLE_PERMISSIONS[m.users[s.user]!.role].includes(c.permission) ? 200 : 403;
    const res = await r.t.app.inject({ method: c.method, url: c.url, headers: { cookie: s.cookie } });
    seen.set(res.statusCode, (seen.get(res.statusCode) ?? 0) + 1);
    assert.equal(res.statusCode, want, `${this.toString()} as ${m.users[s.user]!.role}: ${res.body.slice(0, 100)}`);
  }
  toString = () => `call(#${this.idx}, ${CALLS[this.call]!.url})`;
}

class Admin implements fc.AsyncCommand<Model, Real> {
  constructor(readonly user: number, readonly op: 'role' | 'disable' | 'enable' | 'reset' | 'revoke', readonly role: Role) {}
  check = () => true;
  async run(m: Model, r: Real): Promise<void> {
    const u = m.users[this.user]!;
    const id = r.ids[this.user];
    const h = { ...r.adminAuth, 'content-type': 'application/json' };
    let res;
    if (this.op === 'role') {
      res = await r.t.app.inject({ method: 'PATCH', url: `/api/v1/users/${id}`, headers: h, payload: { role: this.role } });
      u.role = this.role;
    } else if (this.op === 'disable' || this.op === 'enable') {
      res = await r.t.app.inject({ method: 'PATCH', url: `/api/v1/users/${id}`, headers: h, payload: { disabled: this.op === 'disable' } });
      if (this.op === 'disable' && !u.disabled) for (const s of m.sessions) if (s.user === this.user) s.alive = false;
      u.disabled = this.op === 'disable';
    } else if (this.op === 'reset') {
      u.password = `${u.password.slice(0, 20)}-${m.now}-x`;
      res = await r.t.app.inject({ method: 'POST', url: `/api/v1/users/${id}/password`, headers: h, payload: { password: u.password } });
      for (const s of m.sessions) if (s.user === this.user) s.alive = false;
    } else {
      res = await r.t.app.inject({ method: 'DELETE', url: `/api/v1/users/${id}/sessions`, headers: r.adminAuth });
      for (const s of m.sessions) if (s.user === this.user) s.alive = false;
    }
    assert.ok(res.statusCode < 300, `${this.toString()}: ${res.statusCode} ${res.body}`);
  }
  toString = () => `admin.${this.op}(u${this.user}${this.op === 'role' ? `, ${this.role}` : ''})`;
}

class Wait implements fc.AsyncCommand<Model, Real> {
  constructor(readonly ms: number) {}
  check = () => true;
  async run(m: Model, r: Real): Promise<void> {
    m.now += this.ms;
    r.t.clock.advance(this.ms);
  }
  toString = () => `wait(${this.ms / 60_000} min)`;
}

describe('RBAC and session model', () => {
  let t: TestApp;
  let adminAuth: Record<string, string>;
  before(async () => {
    t = await createTestApp();
    const admin = (await t.storage.users.getByUsername('admin'))!;
    const token = await t.services.deps.keys.createUserToken(admin.id, 'model', [], null, null);
    adminAuth = { authorization: `Bearer ${token.secret}` };
  });
  after(async () => t.close());

  it(`matches the policy model over ${RUNS} random command sequences`, async (ctx) => {
    let run = 0;
    const commands = [
      fc.tuple(fc.nat(USERS - 1), fc.boolean()).map(([u, right]) => new Login(u, right)),
      fc.nat(20).map((i) => new Logout(i)),
      fc.tuple(fc.nat(20), fc.nat(CALLS.length - 1)).map(([i, c]) => new Call(i, c)),
      fc.tuple(fc.nat(20), fc.nat(CALLS.length - 1)).map(([i, c]) => new Call(i, c)),
      fc.tuple(fc.nat(USERS - 1), fc.constantFrom('role', 'disable', 'enable', 'reset', 'revoke' as const), fc.constantFrom(...ROLES)).map(([u, op, role]) => new Admin(u, op, role)),
      fc.constantFrom(30_000, 61_000, 3_600_000, 11 * 3_600_000, 13 * 3_600_000, 3 * 86_400_000).map((ms) => new Wait(ms)),
    ];
    await fc.assert(
      fc.asyncProperty(fc.commands(commands, { maxCommands: 40, size: 'medium' }), fc.array(fc.constantFrom(...ROLES), { minLength: USERS, maxLength: USERS }), async (cmds, roles) => {
        run++;
        const names: string[] = [];
        const ids: string[] = [];
        const model: Model = { now: t.clock.now(), users: [], sessions: [] };
        for (let i = 0; i < USERS; i++) {
          const name = `mb${run}-u${i}`;
          const password = `${name}-initial-passphrase`;
          ids.push((await t.services.deps.users.create(name, password, roles[i]!)).id);
          names.push(name);
          model.users.push({ role: roles[i]!, disabled: false, password });
        }
        await fc.asyncModelRun(() => ({ model, real: { t, ids, names, adminAuth } }), cmds);
      }),
      { numRuns: RUNS },
    );
    ctx.diagnostic(`API calls checked against the model, by status: ${JSON.stringify(Object.fromEntries(seen))}`);
    for (const status of [200, 401, 403]) assert.ok((seen.get(status) ?? 0) > 0, `no call answered ${status}: ${JSON.stringify([...seen])}`);
  });
});
