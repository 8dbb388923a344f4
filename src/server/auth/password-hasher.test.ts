import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PasswordHasher } from './password-hasher.js';
import { checkNewPassword } from './password-policy.js';

describe('PasswordHasher', () => {
  const h = new PasswordHasher({ logN: 10 });

  it('hashes with a unique salt and verifies', async () => {
    const a = await h.hash('correct horse battery');
    const b = await h.hash('correct horse battery');
    assert.notEqual(a, b);
    assert.match(a, /^\$scrypt\$ln=10,r=8,p=1\$/);
    assert.equal(await h.verify('correct horse battery', a), true);
    assert.equal(await h.verify('wrong', a), false);
    assert.equal(await h.verify('x', 'garbage'), false);
  });

  it('flags weaker stored parameters for rehash', async () => {
    const strong = new PasswordHasher({ logN: 12 });
    assert.equal(strong.needsRehash(await h.hash('abcdefgh')), true);
    assert.equal(strong.needsRehash(await strong.hash('abcdefgh')), false);
  });

  it('uses the OWASP cost by default', () => {
    assert.equal(new PasswordHasher().logN, 17);
  });

  it('enforces length bounds without composition rules', () => {
    assert.throws(() => checkNewPassword('short'), /at least 8/);
    assert.throws(() => checkNewPassword('x'.repeat(1025)), /at most 1024/);
    assert.throws(() => checkNewPassword('alice123', 'alice123'), /username/);
    assert.equal(checkNewPassword('a long passphrase with emoji 🔐'), 'a long passphrase with emoji 🔐');
  });
});
