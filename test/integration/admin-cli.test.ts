/** `vigil user|key|audit|doctor` as real child processes on a real data directory. */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { PasswordHasher } from '../../src/server/auth/password-hasher.js';
import { systemClock } from '../../src/server/core/clock.js';
import { openSqliteStorage } from '../../src/server/storage/sqlite/open-sqlite-storage.js';

const root = new URL('../..', import.meta.url).pathname;

describe('administration CLI', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-cli-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  function vigil(args: string[], input?: string): { code: number; out: string } {
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args, '--data-dir', dir, '--scrypt-log-n', '10'], { cwd: root, input: input ?? '', encoding: 'utf8', env: { ...process.env, VIGIL_LOG_LEVEL: 'silent' } });
    return { code: r.status ?? -1, out: `${r.stdout}${r.stderr}` };
  }

  it('adds users with a password from stdin or a generated one, changes roles and disables', async () => {
    assert.equal(vigil(['user', 'add', 'alice', '--role', 'operator', '--password-stdin'], 'alice-long-passphrase\n').code, 0);
    const bob = vigil(['user', 'add', 'bob', '--role', 'viewer']);
    assert.equal(bob.code, 0, bob.out);
    const generated = /shown once\):\n(\S+)/.exec(bob.out)?.[1];
    assert.ok(generated && generated.length >= 20);
    const weak = vigil(['user', 'add', 'carl', '--role', 'viewer', '--password-stdin'], 'password1\n');
    assert.equal(weak.code, 1);
    assert.match(weak.out, /common passwords/);
    assert.equal(vigil(['user', 'role', 'alice', 'admin']).code, 0);
    assert.equal(vigil(['user', 'disable', 'bob']).code, 0);
    const list = vigil(['user', 'list']).out;
    assert.match(list, /alice\s+admin\s+active/);
    assert.match(list, /bob\s+viewer\s+disabled/);
    assert.equal(vigil(['user', 'passwd', 'nobody']).code, 1);
    const storage = await openSqliteStorage({ dataDir: dir, clock: systemClock });
    try {
      const b = (await storage.users.getByUsername('bob'))!;
      assert.equal(await new PasswordHasher({ logN: 10 }).verify(generated, b.passwordHash), true);
      const actions = (await storage.audit.list({ actor: 'cli', limit: 20 })).map((e) => e.action);
      for (const a of ['user.create', 'user.role_change', 'user.disable']) assert.ok(actions.includes(a), a);
    } finally {
      await storage.close();
    }
  });

  it('creates scoped user tokens and agent keys, lists and revokes them', () => {
    const tok = vigil(['key', 'create', '--user', 'alice', '--scopes', 'read:metrics', '--expires', '30d']);
    assert.equal(tok.code, 0, tok.out);
    assert.match(tok.out, /vgu_[A-Za-z0-9_-]{22}/);
    assert.equal(vigil(['key', 'create', '--user', 'alice', '--scopes', 'root']).code, 2);
    const agent = vigil(['key', 'create', '--agent', 'web-1']);
    assert.match(agent.out, /vgk_[A-Za-z0-9_-]{22}/);
    const list = vigil(['key', 'list']).out;
    const id = /^(\S+)\s+user/m.exec(list)?.[1];
    assert.ok(id);
    assert.equal(vigil(['key', 'revoke', id]).code, 0);
    assert.match(vigil(['key', 'list']).out, new RegExp(`${id}.*revoked`));
  });

  it('verifies the audit chain, exports CSV, and detects tampering', () => {
    const ok = vigil(['audit', 'verify']);
    assert.equal(ok.code, 0, ok.out);
    assert.match(ok.out, /intact: \d+ entries/);
    const csv = vigil(['audit', 'export', '--format', 'csv']);
    assert.match(csv.out, /^id,time,actor,action,target,outcome,ip,user_agent,details,prev_hash,hash\r\n/);
    // Someone with database access rewrites history (the triggers must be dropped first).
    const db = new Database(join(dir, 'vigil.db'));
    db.exec("DROP TRIGGER audit_log_no_update; UPDATE audit_log SET actor = 'someone-else' WHERE id = 2");
    db.close();
    const bad = vigil(['audit', 'verify']);
    assert.equal(bad.code, 1);
    assert.match(bad.out, /ALTERED: entry 2/);
  });

  it('doctor reports findings by severity and fails on high ones', () => {
    const r = vigil(['doctor', '--host', '0.0.0.0', '--trust-proxy', '0.0.0.0/0', '--no-rate-limit', '--json']);
    assert.equal(r.code, 1, r.out);
    const { findings } = JSON.parse(r.out) as { findings: { severity: string; code: string }[] };
    const codes = findings.map((f) => f.code);
    for (const c of ['no-tls', 'trust-proxy-wide', 'rate-limit-off', 'admin-without-2fa', 'weak-password-hashing', 'audit-chain-broken']) assert.ok(codes.includes(c), `${c} in ${codes.join(',')}`);
    assert.deepEqual([...findings.map((f) => f.severity)], [...findings.map((f) => f.severity)].sort((a, b) => ['high', 'medium', 'low', 'info'].indexOf(a) - ['high', 'medium', 'low', 'info'].indexOf(b)));
    const text = vigil(['doctor', '--host', '0.0.0.0']).out;
    assert.match(text, /^\[HIGH\] /m);
    assert.match(text, /fix: /);
  });
});
