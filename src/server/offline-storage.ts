import { resolve } from 'node:path';
import type { OptionSpec, OptionValues } from '../options/option-spec.js';
import { toServerConfig, type ServerConfig } from './config/server-config.js';
import { SERVER_OPTIONS } from './config/server-options.js';
import { systemClock } from './core/clock.js';
import { openStorage } from './main.js';
import type { Storage } from './storage/storage.js';

/** The server options an administration command needs to find and open the storage (a data directory, or PostgreSQL). */
export const DATA_DIR_OPTIONS: readonly OptionSpec[] = SERVER_OPTIONS.filter((s) =>
  ['data-dir', 'durability', 'metrics-durability', 'scrypt-log-n', 'secret-key', 'database-url', 'database-schema', 'database-pool-size', 'database-connect-timeout', 'database-statement-timeout'].includes(s.name),
);

/** Default values of every server option (so a partial option set still makes a full config). */
export function serverDefaults(): OptionValues {
  return Object.fromEntries(SERVER_OPTIONS.filter((s) => s.default !== undefined).map((s) => [s.name, s.default]));
}

/**
 * Opens the storage of a data directory for an administration command (`vigil user|key|audit|
 * doctor`). SQLite in WAL mode lets this run while the server is up; so does PostgreSQL.
 */
export async function openOfflineStorage(values: OptionValues): Promise<{ storage: Storage; config: ServerConfig }> {
  const config = toServerConfig({ ...serverDefaults(), ...values });
  const storage = await openStorage({ ...config, dataDir: resolve(config.dataDir) }, systemClock);
  return { storage, config };
}
