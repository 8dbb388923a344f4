import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { base32Decode, base32Encode, hotp, otpauthUri, totpCode, verifyTotp } from './totp.js';

describe('TOTP (RFC 6238)', () => {
  const rfcSecret = Buffer.from('12345678901234567890');

  it('matches the RFC 6238 test vectors (SHA-1, 8 digits)', () => {
    const vectors: [number, string][] = [
      [59, '94287082'],
      [1111111109, '07081804'],
      [1111111111, '14050471'],
      [1234567890, '89005924'],
      [2000000000, '69279037'],
      [20000000000, '65353130'],
    ];
    for (const [t, code] of vectors) assert.equal(totpCode(rfcSecret, t * 1000, { digits: 8 }), code, `T=${t}`);
  });

  it('matches the RFC 4226 HOTP vectors', () => {
    const expected = ['755224', '287082', '359152', '969429', '338314', '254676', '287922', '162583', '399871', '520489'];
    expected.forEach((code, counter) => assert.equal(hotp(rfcSecret, counter), code));
  });

  it('accepts ±1 step of skew and returns the step, refuses others and malformed codes', () => {
    const at = 1_700_000_000_000;
    const step = Math.floor(at / 30_000);
    assert.equal(verifyTotp(rfcSecret, totpCode(rfcSecret, at), at), step);
    assert.equal(verifyTotp(rfcSecret, totpCode(rfcSecret, at - 30_000), at), step - 1);
    assert.equal(verifyTotp(rfcSecret, totpCode(rfcSecret, at + 30_000), at), step + 1);
    assert.equal(verifyTotp(rfcSecret, totpCode(rfcSecret, at - 90_000), at), null);
    for (const bad of ['', '12345', '1234567', 'abcdef', ' 123456', '12345\n']) assert.equal(verifyTotp(rfcSecret, bad, at), null, JSON.stringify(bad));
  });

  it('base32 round-trips any bytes and rejects foreign characters with a RangeError', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
      assert.deepEqual(base32Decode(base32Encode(Buffer.from(bytes))), Buffer.from(bytes));
    }), { numRuns: 500 });
    assert.equal(base32Encode(Buffer.from('foobar')), 'MZXW6YTBOI');
    fc.assert(fc.property(fc.string(), (s) => {
      try {
        base32Decode(s);
      } catch (e) {
        assert.ok(e instanceof RangeError);
      }
    }), { numRuns: 500 });
  });

  it('builds an otpauth URI with escaped labels', () => {
    const uri = otpauthUri(rfcSecret, 'ali ce@x', 'Vigil');
    assert.match(uri, /^otpauth:\/\/totp\/Vigil:ali%20ce%40x\?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Vigil/);
  });
});
