import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { auditCsvRow, csvField, parseCsvLine } from '../../../auth/audit-export.js';
import type { AuditEntry } from '../../../storage/audit-repo.js';
import { createTestApp, mutationHeaders, type TestApp } from '../../../testing/test-app.js';

describe('audit log API', () => {
  let t: TestApp;
  let admin: string;
  before(async () => {
    t = await createTestApp();
    admin = await t.login();
  });
  after(async () => t.close());

  it('records a log-injection username as one escaped line and filters by action and outcome', async () => {
    const evil = 'bob\n2025-01-01T00:00Z admin LOGIN_SUCCESS\u001b[31m';
    await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', headers: { 'x-requested-with': 'vigil' }, payload: { username: evil, password: 'whatever-pass' } });
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/audit?action=auth.login&outcome=failure&limit=5', headers: { cookie: admin } });
    assert.equal(res.statusCode, 200);
    const entry = res.json().entries[0];
    assert.equal(entry.actor, 'user:bob\\u000a2025-01-01T00:00Z admin LOGIN_SUCCESS\\u001b[31m');
    assert.ok(res.json().entries.every((e: { outcome: string; action: string }) => e.outcome === 'failure' && e.action === 'auth.login'));
  });

  it('pages with before=nextBefore', async () => {
    for (let i = 0; i < 5; i++) await t.services.deps.audit.record({ actor: 'test', action: 'test.page', outcome: 'success', target: `n${i}` });
    const p1 = (await t.app.inject({ method: 'GET', url: '/api/v1/audit?action=test.page&limit=3', headers: { cookie: admin } })).json();
    assert.deepEqual(p1.entries.map((e: AuditEntry) => e.target), ['n4', 'n3', 'n2']);
    const p2 = (await t.app.inject({ method: 'GET', url: `/api/v1/audit?action=test.page&limit=3&before=${p1.nextBefore}`, headers: { cookie: admin } })).json();
    assert.deepEqual(p2.entries.map((e: AuditEntry) => e.target), ['n1', 'n0']);
    assert.equal(p2.nextBefore, null);
  });

  it('exports CSV with formula-injection characters defused, and JSON', async () => {
    await t.services.deps.audit.record({ actor: '=HYPERLINK("http://evil")', action: 'test.csv', target: '+1,"two"', outcome: 'success', details: { note: '@SUM(A1)' } });
    const csv = await t.app.inject({ method: 'GET', url: '/api/v1/audit/export?format=csv&action=test.csv', headers: { cookie: admin } });
    assert.equal(csv.statusCode, 200);
    assert.match(String(csv.headers['content-type']), /^text\/csv/);
    assert.match(String(csv.headers['content-disposition']), /^attachment; filename="vigil-audit-.*\.csv"$/);
    const lines = csv.body.split('\r\n').filter((l) => l !== '');
    assert.equal(lines[0], 'id,time,actor,action,target,outcome,ip,user_agent,details,prev_hash,hash');
    const cells = parseCsvLine(lines[1]!);
    assert.equal(cells[2], `'=HYPERLINK("http://evil")`);
    assert.equal(cells[4], `'+1,"two"`);
    const json = await t.app.inject({ method: 'GET', url: '/api/v1/audit/export?format=json&action=test.csv', headers: { cookie: admin } });
    assert.equal(json.json()[0].actor, '=HYPERLINK("http://evil")', 'JSON keeps the value exactly');
    const exports = await t.storage.audit.list({ action: 'audit.export', limit: 5 });
    assert.equal(exports.length, 2, 'exports are audited');
  });

  it('is for admins only, has no update or delete route, and verifies its chain', async () => {
    await t.services.deps.users.create('viv', 'viv-long-passphrase', 'operator');
    const op = await t.login('viv', 'viv-long-passphrase');
    for (const url of ['/api/v1/audit', '/api/v1/audit/export', '/api/v1/audit/verify']) assert.equal((await t.app.inject({ method: 'GET', url, headers: { cookie: op } })).statusCode, 403, url);
    for (const method of ['DELETE', 'PATCH', 'PUT'] as const) {
      const r = await t.app.inject({ method, url: '/api/v1/audit/1', headers: mutationHeaders(admin), payload: {} });
      assert.equal(r.statusCode, 404, `${method} has no route`);
    }
    const v = (await t.app.inject({ method: 'GET', url: '/api/v1/audit/verify', headers: { cookie: admin } })).json();
    assert.equal(v.brokenAt, null);
    assert.ok(v.checked > 5);
  });
});

describe('CSV export fields', () => {
  it('round-trip through a CSV parser and never start with a formula character', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), (s) => {
        const f = csvField(s);
        const [back] = parseCsvLine(f);
        assert.ok(!/^[=+\-@\t\r]/.test(back ?? ''), JSON.stringify(back));
        assert.equal(back, /^[=+\-@\t\r]/.test(s) ? `'${s}` : s);
      }),
      { numRuns: 1000 },
    );
  });

  it('a row has one cell per column whatever the content', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), fc.option(fc.string()), (actor, action, target) => {
        const e: AuditEntry = { id: 1, ts: 0, actor, action, target, ip: null, userAgent: null, outcome: 'success', details: null, prevHash: 'a', hash: 'b' };
        const row = auditCsvRow(e);
        assert.equal(row.endsWith('\r\n'), true);
        assert.equal(parseCsvLine(row).length, 11);
      }),
      { numRuns: 500 },
    );
  });
});
