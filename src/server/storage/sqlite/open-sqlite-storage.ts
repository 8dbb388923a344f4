import { join } from 'node:path';
import type { Clock } from '../../core/clock.js';
import { SqlAgentRepo } from '../sql/sql-agent-repo.js';
import { SqlAlertRepo } from '../sql/sql-alert-repo.js';
import { SqlAlertRuleRepo } from '../sql/sql-alert-rule-repo.js';
import { SqlChannelRepo, SqlReceiverRepo } from '../sql/sql-channel-repo.js';
import { SqlInboxRepo, SqlPreferenceRepo } from '../sql/sql-inbox-repo.js';
import { SqlOutboxRepo } from '../sql/sql-outbox-repo.js';
import { SqlMaintenanceWindowRepo, SqlSilenceRepo } from '../sql/sql-silence-repo.js';
import { SqlApiKeyRepo } from '../sql/sql-api-key-repo.js';
import { SqlAuditRepo } from '../sql/sql-audit-repo.js';
import { SqlIdempotencyRepo } from '../sql/sql-idempotency-repo.js';
import { SqlSavedFilterRepo, SqlSecurityEventRepo, SqlSuppressionRepo } from '../sql/sql-security-event-repo.js';
import { SqlSeriesIndex } from '../sql/sql-series-index.js';
import { SqlSessionRepo } from '../sql/sql-session-repo.js';
import { SqlSettingsRepo } from '../sql/sql-settings-repo.js';
import { SqlUserRepo } from '../sql/sql-user-repo.js';
import type { Storage } from '../storage.js';
import { SQLITE_MIGRATIONS } from './migrations.js';
import { migrateSqlite, openSqlite, type SqliteDurability } from './sqlite-db.js';
import { TsdbEngine } from '../../tsdb/engine/tsdb-engine.js';
import { DEFAULT_TSDB_OPTIONS, type TsdbOptions } from '../../tsdb/engine/tsdb-options.js';
import { SqliteTsdbPersistence } from './sqlite-tsdb-persistence.js';

const TSDB_RETENTION_DEFAULTS = DEFAULT_TSDB_OPTIONS.retention;

/** Options for the embedded SQLite backend. */
export interface SqliteStorageOptions {
  /** Directory holding `vigil.db` (created if missing). */
  dataDir: string;
  /** Durability of `vigil.db` (users, audit, alerts, outbox, events); default D. */
  durability?: SqliteDurability;
  /** Durability of `tsdb.db` (samples); default P, like Prometheus's WAL (reliability reference b.0). */
  metricsDurability?: SqliteDurability;
  /** Raw sample retention in ms (default 15 days). */
  retentionMs?: number;
  /** Retention of the 1 m and 1 h rollup tiers in ms (defaults 90 days and 2 years). */
  retention1mMs?: number;
  retention1hMs?: number;
  /** Further time-series engine options (head sizing, out-of-order window, logging, test hooks). */
  tsdb?: Partial<TsdbOptions>;
  clock: Clock;
}

/** Opens the SQLite database under `dataDir`, applies migrations and builds the {@link Storage}. */
export async function openSqliteStorage(opts: SqliteStorageOptions): Promise<Storage> {
  const db = openSqlite({ path: join(opts.dataDir, 'vigil.db'), durability: opts.durability ?? 'D' });
  migrateSqlite(db, SQLITE_MIGRATIONS);
  const series = new SqlSeriesIndex(db, opts.clock);
  await series.refresh();
  // Samples live in their own file: the engine's transactions never wait behind relational writes,
  // and its disk use is one file to watch.
  const persistence = SqliteTsdbPersistence.open(join(opts.dataDir, 'tsdb.db'), opts.metricsDurability ?? 'P');
  const retention: Partial<TsdbOptions['retention']> = {};
  if (opts.retentionMs !== undefined) retention.raw = opts.retentionMs;
  if (opts.retention1mMs !== undefined) retention['1m'] = opts.retention1mMs;
  if (opts.retention1hMs !== undefined) retention['1h'] = opts.retention1hMs;
  const samples = await TsdbEngine.open(persistence, opts.clock, { ...opts.tsdb, retention: { ...TSDB_RETENTION_DEFAULTS, ...retention } });
  return {
    backend: 'sqlite',
    series,
    samples,
    agents: new SqlAgentRepo(db),
    users: new SqlUserRepo(db),
    sessions: new SqlSessionRepo(db),
    apiKeys: new SqlApiKeyRepo(db),
    audit: new SqlAuditRepo(db),
    idempotency: new SqlIdempotencyRepo(db),
    settings: new SqlSettingsRepo(db),
    alertRules: new SqlAlertRuleRepo(db),
    alerts: new SqlAlertRepo(db),
    silences: new SqlSilenceRepo(db),
    maintenanceWindows: new SqlMaintenanceWindowRepo(db),
    channels: new SqlChannelRepo(db),
    receivers: new SqlReceiverRepo(db),
    outbox: new SqlOutboxRepo(db),
    inbox: new SqlInboxRepo(db),
    preferences: new SqlPreferenceRepo(db),
    securityEvents: new SqlSecurityEventRepo(db),
    suppressions: new SqlSuppressionRepo(db),
    savedFilters: new SqlSavedFilterRepo(db),
    ping: () => db.ping(),
    close: async () => {
      await samples.close();
      await db.close();
    },
  };
}
