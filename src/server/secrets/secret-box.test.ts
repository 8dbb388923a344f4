import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { SecretBox, SecretDecryptError } from './secret-box.js';
import { loadSecretKey } from './secret-key-file.js';

describe('SecretBox', () => {
  const box = new SecretBox(randomBytes(32));

  it('round-trips and never stores the plaintext', () => {
    const sealed = box.encrypt('https://hooks.slack.com/services/T/B/secret', 'channel:1:url');
    assert.ok(!sealed.includes('secret'));
    assert.equal(box.decrypt(sealed, 'channel:1:url'), 'https://hooks.slack.com/services/T/B/secret');
    assert.notEqual(box.encrypt('x', 'c'), box.encrypt('x', 'c'), 'fresh IV each time');
  });

  it('refuses another context, another key and tampered data', () => {
    const sealed = box.encrypt('pw', 'a');
    assert.throws(() => box.decrypt(sealed, 'b'), SecretDecryptError);
    assert.throws(() => new SecretBox(randomBytes(32)).decrypt(sealed, 'a'), SecretDecryptError);
    const parts = sealed.split(':');
    parts[3] = Buffer.from('zz').toString('base64url');
    assert.throws(() => box.decrypt(parts.join(':'), 'a'), SecretDecryptError);
    assert.throws(() => box.decrypt('garbage', 'a'), SecretDecryptError);
  });

  it('creates a 0600 key file once and reuses it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-key-'));
    const k1 = loadSecretKey(null, dir);
    const k2 = loadSecretKey(null, dir);
    assert.deepEqual(k1, k2);
    assert.equal(statSync(join(dir, 'secret.key')).mode & 0o777, 0o600);
    assert.equal(readFileSync(join(dir, 'secret.key'), 'utf8').length, 64);
    assert.deepEqual(loadSecretKey('ab'.repeat(32), dir), Buffer.alloc(32, 0xab));
    rmSync(dir, { recursive: true });
  });
});

describe('write-only secret fields', async () => {
  const { secretState, updateSecret } = await import('./secret-state.js');
  const box = new SecretBox(randomBytes(32));
  const seal = (p: string) => box.encrypt(p, 'channel:7:smtpPassword');

  it('show only "set" / "not set"', () => {
    assert.equal(secretState(seal('hunter2-smtp')), 'set');
    assert.equal(secretState(null), 'not set');
    assert.equal(secretState(''), 'not set');
  });

  it('keep, clear or replace on update', () => {
    const stored = seal('old');
    assert.equal(updateSecret(stored, undefined, seal), stored);
    assert.equal(updateSecret(stored, null, seal), null);
    assert.equal(updateSecret(stored, '', seal), null);
    const next = updateSecret(stored, 'new-secret', seal)!;
    assert.equal(box.decrypt(next, 'channel:7:smtpPassword'), 'new-secret');
  });

  it('derives independent purpose keys', () => {
    assert.notDeepEqual(box.deriveKey('device-cookie'), box.deriveKey('other'));
    assert.deepEqual(box.deriveKey('device-cookie'), box.deriveKey('device-cookie'));
    assert.equal(box.deriveKey('x').length, 32);
  });
});
