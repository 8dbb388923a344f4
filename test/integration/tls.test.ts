/** Native TLS: HTTPS listener, HSTS, and the `__Host-` Secure session cookie. */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import https from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestApp, type TestApp } from '../../src/server/testing/test-app.js';
import { TEST_ADMIN_PASSWORD } from '../../src/server/testing/test-config.js';

function request(url: string, ca: Buffer, opts: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = https.request(url, { method: opts.method ?? 'GET', headers: opts.headers, ca }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

describe('native TLS', () => {
  let dir: string;
  let t: TestApp;
  let url: string;
  let ca: Buffer;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-tls-'));
    const cert = join(dir, 'cert.pem');
    const key = join(dir, 'key.pem');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', key, '-out', cert, '-days', '2', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
    ca = readFileSync(cert);
    t = await createTestApp({ tlsCert: cert, tlsKey: key });
    url = (await t.listen()).replace('localhost', '127.0.0.1');
  });
  after(async () => {
    await t?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves HTTPS with HSTS on every answer, errors included', async () => {
    assert.match(url, /^https:\/\//);
    const ok = await request(`${url}/health`, ca);
    assert.equal(ok.status, 200);
    assert.equal(ok.headers['strict-transport-security'], 'max-age=31536000; includeSubDomains');
    const err = await request(`${url}/api/v1/agents`, ca);
    assert.equal(err.status, 401);
    assert.equal(err.headers['strict-transport-security'], 'max-age=31536000; includeSubDomains');
  });

  it('issues the session as a __Host- cookie: Secure, HttpOnly, SameSite=Lax, Path=/, no Domain', async () => {
    const res = await request(`${url}/api/v1/auth/login`, ca, { method: 'POST', headers: { 'content-type': 'application/json', 'x-requested-with': 'vigil' }, body: JSON.stringify({ username: 'admin', password: TEST_ADMIN_PASSWORD }) });
    assert.equal(res.status, 200, res.body);
    const cookies = res.headers['set-cookie'] as string[];
    const sid = cookies.find((c) => c.startsWith('__Host-vigil_sid='))!;
    assert.ok(sid, cookies.join(' | '));
    for (const attr of [/; Secure/, /; HttpOnly/, /; SameSite=Lax/, /; Path=\//]) assert.match(sid, attr);
    assert.doesNotMatch(sid, /Domain=/i);
    assert.match(cookies.find((c) => c.startsWith('vigil_device='))!, /; Secure/);
    const value = sid.split(';')[0]!;
    const me = await request(`${url}/api/v1/auth/me`, ca, { headers: { cookie: value } });
    assert.equal(me.status, 200);
    const plainName = await request(`${url}/api/v1/auth/me`, ca, { headers: { cookie: value.replace('__Host-vigil_sid', 'vigil_sid') } });
    assert.equal(plainName.status, 401, 'behind TLS only the __Host- cookie is accepted');
  });

  it('refuses TLS older than 1.2', async () => {
    await assert.rejects(
      new Promise((resolve, reject) => {
        const req = https.request(`${url}/health`, { ca, maxVersion: 'TLSv1.1', minVersion: 'TLSv1' }, resolve);
        req.on('error', reject);
        req.end();
      }),
    );
  });
});
