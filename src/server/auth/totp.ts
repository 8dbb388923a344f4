import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

const B32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** RFC 4648 base32 without padding (what authenticator apps expect in `otpauth://` URIs). */
export function base32Encode(buf: Buffer): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of buf) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += B32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += B32[(value << (5 - bits)) & 31];
  return out;
}

/** Decodes base32 (case-insensitive, spaces and `=` ignored). @throws RangeError on other characters. */
export function base32Decode(text: string): Buffer {
  const clean = text.replace(/[\s=]/g, '').toUpperCase();
  const out: number[] = [];
  let bits = 0;
  let value = 0;
  for (const ch of clean) {
    const idx = B32.indexOf(ch);
    if (idx < 0) throw new RangeError(`"${ch}" is not a base32 character`);
    value = (value << 5) | idx;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

/** TOTP parameters (RFC 6238 defaults as used by every authenticator app). */
export interface TotpOptions {
  /** Time step, seconds (default 30). */
  stepSeconds?: number;
  /** Code length (default 6). */
  digits?: number;
  /** HMAC hash (default sha1, the only one all apps support). */
  algorithm?: 'sha1' | 'sha256' | 'sha512';
}

/** HOTP (RFC 4226) value for `counter`, zero-padded to `digits`. */
export function hotp(secret: Buffer, counter: number, digits = 6, algorithm: TotpOptions['algorithm'] = 'sha1'): string {
  const msg = Buffer.alloc(8);
  msg.writeBigUInt64BE(BigInt(counter));
  const mac = createHmac(algorithm ?? 'sha1', secret).update(msg).digest();
  const offset = (mac[mac.length - 1] as number) & 0x0f;
  const bin = (mac.readUInt32BE(offset) & 0x7fffffff) % 10 ** digits;
  return String(bin).padStart(digits, '0');
}

/** The time step containing `atMs` (ms since epoch). */
export function totpStep(atMs: number, stepSeconds = 30): number {
  return Math.floor(atMs / 1000 / stepSeconds);
}

/** The TOTP code at `atMs`. */
export function totpCode(secret: Buffer, atMs: number, opts: TotpOptions = {}): string {
  return hotp(secret, totpStep(atMs, opts.stepSeconds), opts.digits ?? 6, opts.algorithm);
}

/**
 * Checks `code` against the steps `now-window … now+window` (default ±1 step = ±30 s of clock
 * skew) in constant time per step. Returns the matching step (store it to refuse replays) or null.
 */
export function verifyTotp(secret: Buffer, code: string, atMs: number, window = 1, opts: TotpOptions = {}): number | null {
  const digits = opts.digits ?? 6;
  if (!new RegExp(`^\\d{${digits}}$`).test(code)) return null;
  const now = totpStep(atMs, opts.stepSeconds);
  let found: number | null = null;
  for (let s = now - window; s <= now + window; s++) {
    const expected = Buffer.from(hotp(secret, s, digits, opts.algorithm));
    if (timingSafeEqual(expected, Buffer.from(code)) && found === null) found = s;
  }
  return found;
}

/** A fresh 160-bit TOTP secret (RFC 4226 recommends ≥ 128, 160 is the SHA-1 block). */
export function newTotpSecret(): Buffer {
  return randomBytes(20);
}

/** The `otpauth://totp/…` URI authenticator apps read from a QR code or link. */
export function otpauthUri(secret: Buffer, account: string, issuer = 'Vigil'): string {
  const label = `${encodeURIComponent(issuer)}:${encodeURIComponent(account)}`;
  return `otpauth://totp/${label}?secret=${base32Encode(secret)}&issuer=${encodeURIComponent(issuer)}&algorithm=SHA1&digits=6&period=30`;
}
