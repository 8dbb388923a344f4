import { VigilError } from '../core/errors.js';
import { isCommonPassword } from './common-passwords.js';
import { PASSWORD_MAX_BYTES } from './password-hasher.js';

/** Shortest password accepted, in characters (OWASP/ASVS minimum; 15+ recommended). */
export const PASSWORD_MIN_CHARS = 8;

/** Longest password every client must accept, in characters (ASVS 6.2.9: at least 64). */
export const PASSWORD_MAX_CHARS_GUARANTEED = 64;

/**
 * Checks a new password: at least 8 characters, at most 1 KiB (so ≥ 64 characters of any
 * script fit), not on the 10k common-password list, not the username; no composition rules
 * (ASVS 6.2).
 * @throws VigilError `VIGIL_ERR_VALIDATION` with what to fix.
 */
export function checkNewPassword(password: unknown, username?: string): string {
  if (typeof password !== 'string') throw new VigilError('VIGIL_ERR_VALIDATION', 'password must be a string');
  if ([...password].length < PASSWORD_MIN_CHARS) {
    throw new VigilError('VIGIL_ERR_VALIDATION', `password must have at least ${PASSWORD_MIN_CHARS} characters (15 or more recommended)`);
  }
  if (Buffer.byteLength(password, 'utf8') > PASSWORD_MAX_BYTES) {
    throw new VigilError('VIGIL_ERR_VALIDATION', `password must be at most ${PASSWORD_MAX_BYTES} bytes`);
  }
  if (username && password.toLowerCase() === username.toLowerCase()) {
    throw new VigilError('VIGIL_ERR_VALIDATION', 'password must not equal the username');
  }
  if (isCommonPassword(password)) {
    throw new VigilError('VIGIL_ERR_VALIDATION', 'this password is on the list of the most common passwords; choose a longer passphrase');
  }
  return password;
}

/** Usernames: 1–64 characters of letters, digits, `.`, `_`, `@`, `-`. */
export const USERNAME_RE = /^[a-zA-Z0-9._@-]{1,64}$/;

/** @throws VigilError when the username is not acceptable. */
export function checkUsername(username: unknown): string {
  if (typeof username !== 'string' || !USERNAME_RE.test(username)) {
    throw new VigilError('VIGIL_ERR_VALIDATION', 'username must be 1-64 characters of letters, digits, ".", "_", "@" or "-"');
  }
  return username;
}
