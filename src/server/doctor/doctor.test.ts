import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { OUTBOUND_ALLOWLIST_SETTING } from '../outbound/outbound-allowlist.js';
import { createTestApp, type TestApp } from '../testing/test-app.js';
import { testConfig } from '../testing/test-config.js';
import { parseOptions } from '../../options/option-spec.js';
import { toServerConfig } from '../config/server-config.js';
import { SERVER_OPTIONS } from '../config/server-options.js';
import { formatFindings, runDoctor } from './doctor.js';

/** The shipped default limits (the test config raises them out of reach). */
const DEFAULT_LIMITS = toServerConfig(parseOptions(SERVER_OPTIONS, { argv: [], env: {} }).values).rateLimit;

describe('vigil doctor checks', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp();
  });
  after(async () => t.close());

  const codes = async (overrides: Parameters<typeof testConfig>[1]) => (await runDoctor(testConfig(t.dir, overrides), t.storage, t.clock)).map((f) => `${f.severity}:${f.code}`);

  it('passes a careful configuration with nothing above low', async () => {
    const admin = (await t.storage.users.getByUsername('admin'))!;
    await t.storage.users.update(admin.id, { totpEnabled: true }, t.clock.now());
    try {
      const careful = testConfig(t.dir, { tlsCert: null, publicUrl: 'https://vigil.example', scryptLogN: 17, require2faForAdmins: true, adminPassword: null, rateLimit: DEFAULT_LIMITS });
      const found = await runDoctor(careful, t.storage, t.clock);
      assert.deepEqual(found.filter((f) => f.severity === 'high' || f.severity === 'medium'), []);
    } finally {
      await t.storage.users.update(admin.id, { totpEnabled: false }, t.clock.now());
    }
  });

  it('shows the PostgreSQL URL without its password and flags an unencrypted remote database', async () => {
    const database = { url: 'postgres://vigil:s3cr3t-pw@db.internal:5432/vigil', schema: null, poolSize: 10, connectTimeoutMs: 5000, statementTimeoutMs: 30_000 };
    const found = await runDoctor(testConfig(t.dir, { database }), t.storage, t.clock);
    const text = formatFindings(found) + JSON.stringify(found);
    assert.ok(!text.includes('s3cr3t-pw'), 'password not shown');
    assert.match(text, /postgres:\/\/vigil:\*\*\*@db\.internal:5432\/vigil/);
    assert.ok(found.some((f) => f.severity === 'medium' && f.code === 'database-no-tls'));
    const tls = await runDoctor(testConfig(t.dir, { database: { ...database, url: `${database.url}?sslmode=verify-full` } }), t.storage, t.clock);
    assert.ok(!tls.some((f) => f.code === 'database-no-tls'));
  });

  it('flags open SSO registration, an insecure issuer, weak keys, loose limits and wide proxies', async () => {
    const oidc = { issuer: 'http://sso.example', clientId: 'v', clientSecret: null, roleClaim: 'groups', roleMap: {}, defaultRole: 'operator' as const, usernameClaim: 'preferred_username', label: 'SSO' };
    const found = await codes({ host: '0.0.0.0', oidc, secretKey: '00'.repeat(32), adminPassword: 'password1', trustProxy: ['0.0.0.0/0'], rateLimit: { ...DEFAULT_LIMITS, enabled: false, loginMaxFailures: 1000 } });
    for (const c of ['high:no-tls', 'high:open-registration', 'high:oidc-insecure-issuer', 'high:weak-secret-key', 'high:weak-admin-password', 'high:trust-proxy-wide', 'medium:rate-limit-off', 'medium:login-throttle-loose', 'medium:admin-without-2fa', 'info:oidc-public-client']) {
      assert.ok(found.includes(c), `${c} missing from ${found.join(', ')}`);
    }
    assert.ok(found.indexOf('high:no-tls') < found.indexOf('medium:rate-limit-off'), 'most severe first');
  });

  it('flags a permissive outbound allowlist, a readable key file and stale tokens', async () => {
    await t.storage.settings.set(OUTBOUND_ALLOWLIST_SETTING, { cidrs: ['169.254.0.0/16'], hosts: [] }, t.clock.now());
    const keyFile = join(t.dir, 'secret.key');
    writeFileSync(keyFile, 'ab'.repeat(32));
    chmodSync(keyFile, 0o644);
    const admin = (await t.storage.users.getByUsername('admin'))!;
    await t.services.deps.keys.createUserToken(admin.id, 'old', [], null, null);
    t.clock.advance(100 * 86_400_000);
    const found = await codes({ secretKey: null });
    for (const c of ['high:permissive-allowlist', 'medium:secret-key-permissions', 'low:stale-tokens', 'low:admin-initial-password', 'info:allowlist']) assert.ok(found.includes(c), `${c} missing from ${found.join(', ')}`);
    const text = formatFindings(await runDoctor(testConfig(t.dir), t.storage, t.clock));
    assert.match(text, /^\[HIGH\] permissive-allowlist: /m);
    assert.match(text, /vigil doctor: \d+ high, \d+ medium, \d+ low, \d+ info$/);
  });
});
