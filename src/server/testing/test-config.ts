import { parseOptions } from '../../options/option-spec.js';
import { SERVER_OPTIONS } from '../config/server-options.js';
import { toServerConfig, type ServerConfig } from '../config/server-config.js';

/** Password of the admin created by {@link testConfig}. */
export const TEST_ADMIN_PASSWORD = 'test-admin-password-1';

/**
 * A server config with defaults, a temp data dir, cheap password hashing and silent logs. Rate
 * limits are raised far out of reach (tests of other features log in and call freely); tests of
 * the limiter pass their own `rateLimit`.
 */
export function testConfig(dataDir: string, overrides: Partial<ServerConfig> = {}): ServerConfig {
  const parsed = parseOptions(SERVER_OPTIONS, { argv: [], env: {} });
  const base = toServerConfig(parsed.values);
  const roomy = { ...base.rateLimit, api: 1e6, ui: 1e6, ingest: 1e6, login: 1e6, public: 1e6, loginMaxFailures: 1e4 };
  return { ...base, dataDir, port: 0, scryptLogN: 10, adminPassword: TEST_ADMIN_PASSWORD, logLevel: 'silent', rateLimit: roomy, ...overrides };
}
