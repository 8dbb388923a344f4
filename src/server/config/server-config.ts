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
  /** Raw sample retention, ms. */
  retentionMs: number;
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
  /** Period of alert evaluation, notification pipeline and dispatch ticks, ms. */
  alertingTickMs: number;
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
    retentionMs: v['retention'] as number,
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
    alertingTickMs: v['alerting-tick'] as number,
  };
}
