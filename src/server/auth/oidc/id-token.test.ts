import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { IdTokenError, verifyIdToken, type Jwk } from './id-token.js';

const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
const now = 1_800_000_000_000;
const expect = { issuer: 'https://idp.example', clientId: 'vigil', nonce: 'n-1', now };
const claims = { iss: 'https://idp.example', sub: 'u1', aud: 'vigil', exp: now / 1000 + 300, iat: now / 1000, nonce: 'n-1' };

function rsa(): { priv: KeyObject; jwk: Jwk } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { priv: privateKey, jwk: { ...(publicKey.export({ format: 'jwk' }) as Jwk), kid: 'k1' } };
}
function ec(): { priv: KeyObject; jwk: Jwk } {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return { priv: privateKey, jwk: { ...(publicKey.export({ format: 'jwk' }) as Jwk), kid: 'e1' } };
}
function jws(header: object, payload: object, signer: (data: Buffer) => Buffer): string {
  const data = `${b64(header)}.${b64(payload)}`;
  return `${data}.${signer(Buffer.from(data)).toString('base64url')}`;
}

describe('verifyIdToken', () => {
  const r = rsa();
  const e = ec();
  const rs256 = (payload: object, kid = 'k1') => jws({ alg: 'RS256', kid }, payload, (d) => sign('sha256', d, r.priv));

  it('accepts RS256 and ES256 tokens with the expected claims', () => {
    assert.equal(verifyIdToken(rs256(claims), [r.jwk], expect).sub, 'u1');
    const es = jws({ alg: 'ES256', kid: 'e1' }, claims, (d) => sign('sha256', d, { key: e.priv, dsaEncoding: 'ieee-p1363' }));
    assert.equal(verifyIdToken(es, [r.jwk, e.jwk], expect).sub, 'u1');
    const ps = jws({ alg: 'PS256', kid: 'k1' }, claims, (d) => sign('sha256', d, { key: r.priv, padding: 6, saltLength: 32 }));
    assert.equal(verifyIdToken(ps, [r.jwk], expect).sub, 'u1');
  });

  it('refuses alg none, HMAC keyed with anything, unknown kids and bad signatures', () => {
    const cases: [string, string][] = [
      ['none', `${b64({ alg: 'none' })}.${b64(claims)}.`],
      ['HS256', jws({ alg: 'HS256', kid: 'k1' }, claims, (d) => createHmac('sha256', 'vigil-client-secret').update(d).digest())],
      ['kid', rs256(claims, 'other')],
      ['sig', rs256(claims).slice(0, -4) + 'AAAA'],
      ['payload swap', (() => {
        const [h, , s] = rs256(claims).split('.');
        return `${h}.${b64({ ...claims, sub: 'admin' })}.${s}`;
      })()],
      ['garbage', 'a.b'],
    ];
    for (const [name, token] of cases) assert.throws(() => verifyIdToken(token, [r.jwk], expect), IdTokenError, name);
  });

  it('checks issuer, audience, azp, expiry, issue time and nonce', () => {
    const bad: [string, object][] = [
      ['iss', { ...claims, iss: 'https://evil.example' }],
      ['aud', { ...claims, aud: 'other-client' }],
      ['azp', { ...claims, aud: ['vigil', 'other'], azp: 'other' }],
      ['exp', { ...claims, exp: now / 1000 - 120 }],
      ['iat', { ...claims, iat: now / 1000 + 600 }],
      ['nonce', { ...claims, nonce: 'replayed' }],
      ['sub', { ...claims, sub: '' }],
    ];
    for (const [name, c] of bad) assert.throws(() => verifyIdToken(rs256(c), [r.jwk], expect), IdTokenError, name);
    assert.equal(verifyIdToken(rs256({ ...claims, aud: ['vigil', 'other'], azp: 'vigil' }), [r.jwk], expect).sub, 'u1');
  });
});
