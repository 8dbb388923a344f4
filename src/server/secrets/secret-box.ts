import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

const VERSION = 'v1';

/** Thrown when a stored secret cannot be decrypted (wrong key or tampered data). */
export class SecretDecryptError extends Error {
  constructor() {
    super('stored secret cannot be decrypted: wrong VIGIL_SECRET_KEY or tampered data');
    this.name = 'SecretDecryptError';
  }
}

/**
 * Encrypts secrets at rest (SMTP passwords, webhook URLs with tokens, PagerDuty keys) with
 * AES-256-GCM. Output: `v1:<iv>:<tag>:<ciphertext>` (base64url). `context` (e.g. the row id and
 * field) is bound as associated data, so a ciphertext copied to another row does not decrypt.
 */
export class SecretBox {
  private readonly key: Buffer;

  constructor(key: Buffer) {
    if (key.length !== 32) throw new Error('secret key must be 32 bytes');
    this.key = key;
  }

  /** Parses a key given as 64 hex characters or base64 of 32 bytes. */
  static keyFrom(text: string): Buffer {
    const t = text.trim();
    const key = /^[0-9a-f]{64}$/i.test(t) ? Buffer.from(t, 'hex') : Buffer.from(t, 'base64');
    if (key.length !== 32) throw new Error('VIGIL_SECRET_KEY must be 32 bytes as 64 hex characters or base64');
    return key;
  }

  /**
   * A 32-byte key for another purpose (e.g. `device-cookie` MACs), derived with HKDF-SHA256 so
   * one configured secret serves several uses without any of them exposing the others.
   */
  deriveKey(purpose: string): Buffer {
    return Buffer.from(hkdfSync('sha256', this.key, Buffer.alloc(0), `vigil:${purpose}`, 32));
  }

  /** Seals `plaintext` bound to `context` (AES-256-GCM, fresh 96-bit IV). */
  encrypt(plaintext: string, context: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [VERSION, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), ct.toString('base64url')].join(':');
  }

  /** Opens a sealed value. @throws SecretDecryptError when the key is wrong or the data was changed. */
  decrypt(sealed: string, context: string): string {
    const [version, iv, tag, ct] = sealed.split(':');
    if (version !== VERSION || !iv || !tag || ct === undefined) throw new SecretDecryptError();
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'));
      decipher.setAAD(Buffer.from(context, 'utf8'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(ct, 'base64url')), decipher.final()]).toString('utf8');
    } catch {
      throw new SecretDecryptError();
    }
  }
}
