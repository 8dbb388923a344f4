import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { SecretBox } from './secret-box.js';

/**
 * The key for secrets at rest: `VIGIL_SECRET_KEY` when set (required when several replicas
 * share a database), else `<dataDir>/secret.key`, created with mode 0600 on first start.
 */
export function loadSecretKey(configured: string | null, dataDir: string): Buffer {
  if (configured) return SecretBox.keyFrom(configured);
  const file = join(dataDir, 'secret.key');
  if (existsSync(file)) return SecretBox.keyFrom(readFileSync(file, 'utf8'));
  mkdirSync(dataDir, { recursive: true });
  const key = randomBytes(32);
  writeFileSync(file, key.toString('hex'), { mode: 0o600, flag: 'wx' });
  return key;
}
