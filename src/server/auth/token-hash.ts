import { createHash, randomBytes } from 'node:crypto';

/** SHA-256 hex of a secret token (sessions and API keys are stored only as this hash). */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** A new random secret of `bytes` bytes (default 16 = 128 bits), base64url without padding. */
export function randomToken(bytes = 16): string {
  return randomBytes(bytes).toString('base64url');
}
