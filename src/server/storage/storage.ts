import type { AgentRepo } from './agent-repo.js';
import type { AlertRepo } from './alert-repo.js';
import type { AlertRuleRepo } from './alert-rule-repo.js';
import type { ApiKeyRepo } from './api-key-repo.js';
import type { AuditRepo } from './audit-repo.js';
import type { ChannelRepo, ReceiverRepo } from './channel-repo.js';
import type { IdempotencyRepo } from './idempotency-repo.js';
import type { InboxRepo, PreferenceRepo } from './inbox-repo.js';
import type { OutboxRepo } from './outbox-repo.js';
import type { SampleStore } from './sample-store.js';
import type { SeriesIndex } from './series-index.js';
import type { SavedFilterRepo, SecurityEventRepo, SuppressionRepo } from './security-event-repo.js';
import type { SessionRepo } from './session-repo.js';
import type { SettingsRepo } from './settings-repo.js';
import type { MaintenanceWindowRepo, SilenceRepo } from './silence-repo.js';
import type { UserRepo } from './user-repo.js';

/**
 * Everything the server persists, as narrow interfaces. `main.ts` builds one from a backend
 * (SQLite by default); business modules receive only the parts they need.
 */
export interface Storage {
  readonly backend: 'sqlite' | 'postgres';
  readonly series: SeriesIndex;
  readonly samples: SampleStore;
  readonly agents: AgentRepo;
  readonly users: UserRepo;
  readonly sessions: SessionRepo;
  readonly apiKeys: ApiKeyRepo;
  readonly audit: AuditRepo;
  readonly idempotency: IdempotencyRepo;
  readonly settings: SettingsRepo;
  readonly alertRules: AlertRuleRepo;
  readonly alerts: AlertRepo;
  readonly silences: SilenceRepo;
  readonly maintenanceWindows: MaintenanceWindowRepo;
  readonly channels: ChannelRepo;
  readonly receivers: ReceiverRepo;
  readonly outbox: OutboxRepo;
  readonly inbox: InboxRepo;
  readonly preferences: PreferenceRepo;
  /** Security events, their triage history (issue 6). */
  readonly securityEvents: SecurityEventRepo;
  /** Suppressions (exceptions) of security events. */
  readonly suppressions: SuppressionRepo;
  /** Saved SOC filters per user. */
  readonly savedFilters: SavedFilterRepo;
  /** Throws a storage error when the database cannot answer (used by `/ready`). */
  ping(): Promise<void>;
  close(): Promise<void>;
}
