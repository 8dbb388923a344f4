import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Path of the shipped list: the 10,000 most common passwords of the SecLists "10 million
 * password list" (one per line, most common first). `src/server/auth` (tsx) and
 * `dist/server/auth` (built) both sit three levels below the package root.
 */
export const COMMON_PASSWORDS_FILE = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'resources', 'common-passwords.txt');

let cached: ReadonlySet<string> | null = null;

/** The lower-cased common-password set, read once on first use (≈ 10k entries, ~0.5 MB in memory). */
export function commonPasswords(): ReadonlySet<string> {
  if (!cached) {
    const lines = readFileSync(COMMON_PASSWORDS_FILE, 'utf8').split('\n');
    cached = new Set(lines.map((l) => l.trim().toLowerCase()).filter((l) => l !== ''));
  }
  return cached;
}

/** True when `password` (case-insensitively) is on the common-password list. */
export function isCommonPassword(password: string): boolean {
  return commonPasswords().has(password.toLowerCase());
}
