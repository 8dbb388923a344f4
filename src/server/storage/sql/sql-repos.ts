import type { SqlDb } from '../sql-db.js';
import type { Storage } from '../storage.js';
import { SqlAgentRepo } from './sql-agent-repo.js';
import { SqlAlertRepo } from './sql-alert-repo.js';
import { SqlAlertRuleRepo } from './sql-alert-rule-repo.js';
import { SqlApiKeyRepo } from './sql-api-key-repo.js';
import { SqlAuditRepo } from './sql-audit-repo.js';
import { SqlChannelRepo, SqlReceiverRepo } from './sql-channel-repo.js';
import { SqlIdempotencyRepo } from './sql-idempotency-repo.js';
import { SqlInboxRepo, SqlPreferenceRepo } from './sql-inbox-repo.js';
import { SqlOutboxRepo } from './sql-outbox-repo.js';
import { SqlSavedFilterRepo, SqlSecurityEventRepo, SqlSuppressionRepo } from './sql-security-event-repo.js';
import { SqlSessionRepo } from './sql-session-repo.js';
import { SqlSettingsRepo } from './sql-settings-repo.js';
import { SqlMaintenanceWindowRepo, SqlSilenceRepo } from './sql-silence-repo.js';
import { SqlUserRepo } from './sql-user-repo.js';

/** The relational part of {@link Storage}: what every SQL backend builds the same way. */
export type SqlRepos = Omit<Storage, 'backend' | 'series' | 'samples' | 'ping' | 'close'>;

/**
 * The relational repositories over one {@link SqlDb}. Both backends call this, so a repository
 * added to `Storage` is wired into SQLite and PostgreSQL at once (it once was not).
 */
export function sqlRepos(db: SqlDb): SqlRepos {
  return {
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
  };
}
