import type { OptionValues } from '../../options/option-spec.js';

/** Typed server configuration, validated once at boot from {@link SERVER_OPTIONS}. */
export interface ServerConfig {
  host: string;
  /** TCP port; 0 picks a free one. */
  port: number;
  dataDir: string;
  publicUrl: string | null;
  adminUser: string;
  adminPassword: string | null;
  logLevel: 'debug' | 'info' | 'warn' | 'error' | 'silent';
  durability: 'P' | 'D';
  /** Durability of the sample store (`tsdb.db`). */
  metricsDurability: 'P' | 'D';
  /** Raw sample retention, ms. */
  retentionMs: number;
  /** Retention of the 1 m and 1 h rollup tiers, ms. */
  retention1mMs: number;
  retention1hMs: number;
  /** Security event retention, ms (default 90 days). */
  securityRetentionMs: number;
  maxSeriesPerAgent: number;
  ingestBodyMaxBytes: number;
  bodyMaxBytes: number;
  queryMaxRangeMs: number;
  queryMaxSeries: number;
  sessionIdleTimeoutMs: number;
  sessionAbsoluteTimeoutMs: number;
  liveMaxClients: number;
  scryptLogN: number;
  /** Key for secrets at rest, or null to use `<dataDir>/secret.key`. */
  secretKey: string | null;
  webDir: string | null;
  /** PEM certificate / key paths for native HTTPS (both or neither). */
  tlsCert: string | null;
  tlsKey: string | null;
  /** Proxy addresses/CIDRs whose X-Forwarded-For is trusted. */
  trustProxy: string[];
  rateLimit: RateLimitConfig;
  redisUrl: string | null;
  /** Leader lease with PostgreSQL, ms (default 10 s; renewed every third). */
  leaderLeaseMs: number;
  /** Prefix of every Redis key and channel of this installation (default `vigil:`). */
  redisPrefix: string;
  /** PostgreSQL storage, or null for embedded SQLite in `dataDir`. */
  database: DatabaseConfig | null;
  require2faForAdmins: boolean;
  oidc: OidcConfig | null;
  /** Period of alert evaluation, notification pipeline and dispatch ticks, ms. */
  alertingTickMs: number;
}

/** PostgreSQL connection settings (present when `--database-url` is set). */
export interface DatabaseConfig {
  /** `postgres://…` URL; holds the password — log it only through `redactDatabaseUrl`. */
  url: string;
  /** Schema for Vigil's tables, or null for the server default. */
  schema: string | null;
  /** Most pooled connections (default 10). */
  poolSize: number;
  /** Connection wait, ms (default 5000). */
  connectTimeoutMs: number;
  /** Statement timeout, ms (default 30 000). */
  statementTimeoutMs: number;
}

/** Request and login rate limits (counts per window). */
export interface RateLimitConfig {
  enabled: boolean;
  /** Window of the request limits, ms (default 60 000). */
  windowMs: number;
  /** Per client IP, API calls with tokens or without credentials (default 100). */
  api: number;
  /** Per signed-in dashboard user (default 600). */
  ui: number;
  /** Per agent key (default 1200). */
  ingest: number;
  /** Login attempts and invalid API keys per client IP (default 20). */
  login: number;
  /** Public endpoints per client IP (default 1200). */
  public: number;
  /** Failed logins per account per `loginFailureWindowMs` (default 10 per 15 min). */
  loginMaxFailures: number;
  loginFailureWindowMs: number;
}

/** OpenID Connect settings (present when `--oidc-issuer` is set). */
export interface OidcConfig {
  issuer: string;
  clientId: string;
  clientSecret: string | null;
  roleClaim: string;
  /** Claim value → role. */
  roleMap: Record<string, string>;
  defaultRole: 'none' | 'guest' | 'viewer' | 'operator';
  usernameClaim: string;
  label: string;
}

function parseRoleMap(entries: string[]): Record<string, string> {
  const map: Record<string, string> = {};
  for (const e of entries) {
    const i = e.lastIndexOf('=');
    if (i <= 0) throw new Error(`oidc-role-map entry "${e}" must look like value=role`);
    map[e.slice(0, i).trim()] = e.slice(i + 1).trim();
  }
  return map;
}

function redisUrl(raw: string | undefined): string | null {
  if (raw === undefined) return null;
  if (!/^rediss?:\/\/./.test(raw)) throw new Error('--redis-url must be a redis:// or rediss:// URL');
  return raw;
}

function databaseConfig(v: OptionValues): DatabaseConfig | null {
  const url = v['database-url'] as string | undefined;
  if (url === undefined || url === '') return null;
  if (!/^postgres(ql)?:\/\/./i.test(url)) throw new Error('--database-url must be a postgres:// or postgresql:// URL');
  const schema = (v['database-schema'] as string | undefined) ?? null;
  if (schema !== null && !/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(schema)) throw new Error('--database-schema must be letters, digits and _ (at most 63)');
  return {
    url,
    schema,
    poolSize: (v['database-pool-size'] as number | undefined) ?? 10,
    connectTimeoutMs: (v['database-connect-timeout'] as number | undefined) ?? 5000,
    statementTimeoutMs: (v['database-statement-timeout'] as number | undefined) ?? 30_000,
  };
}

function oidcConfig(v: OptionValues): OidcConfig | null {
  const issuer = v['oidc-issuer'] as string | undefined;
  if (!issuer) return null;
  const clientId = v['oidc-client-id'] as string | undefined;
  if (!clientId) throw new Error('--oidc-client-id is required with --oidc-issuer');
  return {
    issuer: issuer.replace(/\/$/, ''),
    clientId,
    clientSecret: (v['oidc-client-secret'] as string | undefined) ?? null,
    roleClaim: (v['oidc-role-claim'] as string | undefined) ?? 'groups',
    roleMap: parseRoleMap((v['oidc-role-map'] as string[] | undefined) ?? []),
    defaultRole: ((v['oidc-default-role'] as string | undefined) ?? 'none') as OidcConfig['defaultRole'],
    usernameClaim: (v['oidc-username-claim'] as string | undefined) ?? 'preferred_username',
    label: (v['oidc-label'] as string | undefined) ?? 'SSO',
  };
}

/** Converts validated option values (kebab-case keys) into a {@link ServerConfig}. */
export function toServerConfig(v: OptionValues): ServerConfig {
  return {
    host: v['host'] as string,
    port: v['port'] as number,
    dataDir: v['data-dir'] as string,
    publicUrl: (v['public-url'] as string | undefined) ?? null,
    adminUser: v['admin-user'] as string,
    adminPassword: (v['admin-password'] as string | undefined) ?? null,
    logLevel: v['log-level'] as ServerConfig['logLevel'],
    durability: v['durability'] as 'P' | 'D',
    metricsDurability: (v['metrics-durability'] as 'P' | 'D' | undefined) ?? 'P',
    retentionMs: v['retention'] as number,
    retention1mMs: v['retention-1m'] as number,
    retention1hMs: v['retention-1h'] as number,
    securityRetentionMs: v['security-retention'] as number,
    maxSeriesPerAgent: v['max-series-per-agent'] as number,
    ingestBodyMaxBytes: v['ingest-body-max-bytes'] as number,
    bodyMaxBytes: v['body-max-bytes'] as number,
    queryMaxRangeMs: v['query-max-range'] as number,
    queryMaxSeries: v['query-max-series'] as number,
    sessionIdleTimeoutMs: v['session-idle-timeout'] as number,
    sessionAbsoluteTimeoutMs: v['session-absolute-timeout'] as number,
    liveMaxClients: v['live-max-clients'] as number,
    scryptLogN: v['scrypt-log-n'] as number,
    secretKey: (v['secret-key'] as string | undefined) ?? null,
    webDir: (v['web-dir'] as string | undefined) ?? null,
    tlsCert: (v['tls-cert'] as string | undefined) ?? null,
    tlsKey: (v['tls-key'] as string | undefined) ?? null,
    trustProxy: (v['trust-proxy'] as string[] | undefined) ?? [],
    rateLimit: {
      enabled: (v['rate-limit'] as boolean | undefined) ?? true,
      windowMs: (v['rate-limit-window'] as number | undefined) ?? 60_000,
      api: (v['rate-limit-api'] as number | undefined) ?? 100,
      ui: (v['rate-limit-ui'] as number | undefined) ?? 600,
      ingest: (v['rate-limit-ingest'] as number | undefined) ?? 1200,
      login: (v['rate-limit-login'] as number | undefined) ?? 20,
      public: (v['rate-limit-public'] as number | undefined) ?? 1200,
      loginMaxFailures: (v['login-max-failures'] as number | undefined) ?? 10,
      loginFailureWindowMs: (v['login-failure-window'] as number | undefined) ?? 15 * 60_000,
    },
    redisUrl: redisUrl(v['redis-url'] as string | undefined),
    leaderLeaseMs: (v['leader-lease'] as number | undefined) ?? 10_000,
    redisPrefix: (v['redis-prefix'] as string | undefined) ?? 'vigil:',
    database: databaseConfig(v),
    require2faForAdmins: (v['require-2fa-for-admins'] as boolean | undefined) ?? false,
    oidc: oidcConfig(v),
    alertingTickMs: (v['alerting-tick'] as number | undefined) ?? 1000,
  };
}
