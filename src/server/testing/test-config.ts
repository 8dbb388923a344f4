import { parseOptions } from '../../options/option-spec.js';
import { SERVER_OPTIONS } from '../config/server-options.js';
import { toServerConfig, type ServerConfig } from '../config/server-config.js';

/** Password of the admin created by {@link testConfig}. */
export const TEST_ADMIN_PASSWORD = 'test-admin-password-1';

/** A server config with defaults, a temp data dir, cheap password hashing and silent logs. */
export function testConfig(dataDir: string, overrides: Partial<ServerConfig> = {}): ServerConfig {
  const parsed = parseOptions(SERVER_OPTIONS, { argv: [], env: {} });
  return { ...toServerConfig(parsed.values), dataDir, port: 0, scryptLogN: 10, adminPassword: TEST_ADMIN_PASSWORD, logLevel: 'silent', ...overrides };
}
