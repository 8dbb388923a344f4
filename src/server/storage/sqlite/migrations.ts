import type { Migration } from '../sql-db.js';

/**
 * SQLite schema, append-only: never edit a migration that has shipped; add a new one.
 * Times are INTEGER ms since epoch; booleans 0/1; JSON as TEXT.
 */
export const SQLITE_MIGRATIONS: readonly Migration[] = [
  {
    id: '0001-foundation',
    sql: `
CREATE TABLE series (
  id INTEGER PRIMARY KEY,
  metric TEXT NOT NULL,
  labels TEXT NOT NULL,
  key TEXT NOT NULL UNIQUE,
  agent_id TEXT,
  created_at INTEGER NOT NULL
);
CREATE INDEX series_metric ON series (metric);

CREATE TABLE samples (
  series_id INTEGER NOT NULL,
  ts INTEGER NOT NULL,
  value REAL NOT NULL,
  PRIMARY KEY (series_id, ts)
) WITHOUT ROWID;

CREATE TABLE agents (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  hostname TEXT, os TEXT, os_release TEXT, kernel TEXT, arch TEXT, agent_version TEXT,
  interval_ms INTEGER, cpu_count INTEGER, memory_bytes REAL, boot_time INTEGER,
  capabilities TEXT NOT NULL DEFAULT '[]',
  unavailable TEXT NOT NULL DEFAULT '[]',
  created_at INTEGER NOT NULL,
  last_seen INTEGER,
  dropped_samples INTEGER NOT NULL DEFAULT 0,
  last_error TEXT,
  processes TEXT,
  disabled INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE users (
  id TEXT PRIMARY KEY,
  username TEXT NOT NULL UNIQUE,
  password_hash TEXT NOT NULL,
  role TEXT NOT NULL,
  disabled INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  password_changed_at INTEGER NOT NULL
);

CREATE TABLE sessions (
  id_hash TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  created_at INTEGER NOT NULL,
  last_seen_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  ip TEXT,
  user_agent TEXT
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE api_keys (
  id TEXT PRIMARY KEY,
  prefix TEXT NOT NULL,
  hash TEXT NOT NULL UNIQUE,
  kind TEXT NOT NULL,
  name TEXT NOT NULL,
  user_id TEXT REFERENCES users(id) ON DELETE CASCADE,
  agent_id TEXT REFERENCES agents(id) ON DELETE CASCADE,
  scopes TEXT NOT NULL DEFAULT '[]',
  created_at INTEGER NOT NULL,
  created_by TEXT,
  last_used_at INTEGER,
  expires_at INTEGER,
  revoked_at INTEGER
);
CREATE INDEX api_keys_agent ON api_keys (agent_id);
CREATE INDEX api_keys_user ON api_keys (user_id);

CREATE TABLE ingest_batches (
  agent_id TEXT NOT NULL,
  key TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  status INTEGER NOT NULL,
  response TEXT NOT NULL,
  PRIMARY KEY (agent_id, key)
);
CREATE INDEX ingest_batches_created ON ingest_batches (created_at);

CREATE TABLE audit_log (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  ts INTEGER NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  target TEXT,
  ip TEXT,
  user_agent TEXT,
  outcome TEXT NOT NULL,
  details TEXT,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
);
CREATE INDEX audit_log_ts ON audit_log (ts);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;

CREATE TABLE settings (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL,
  updated_at INTEGER NOT NULL
);
`,
  },
  {
    id: '0002-identity-access',
    sql: `
ALTER TABLE users ADD COLUMN totp_secret TEXT;
ALTER TABLE users ADD COLUMN totp_enabled INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN totp_last_step INTEGER;
ALTER TABLE users ADD COLUMN source TEXT NOT NULL DEFAULT 'local';
ALTER TABLE users ADD COLUMN external_subject TEXT;
CREATE UNIQUE INDEX users_external_subject ON users (external_subject) WHERE external_subject IS NOT NULL;
CREATE INDEX audit_log_action ON audit_log (action, id);
CREATE INDEX audit_log_actor ON audit_log (actor, id);
`,
  },
  {
    id: '0004-alerting',
    sql: `
CREATE TABLE alert_rules (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  type TEXT NOT NULL,
  enabled INTEGER NOT NULL,
  doc TEXT NOT NULL,
  version INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);

CREATE TABLE alerts (
  id TEXT PRIMARY KEY,
  rule_id TEXT NOT NULL,
  state TEXT NOT NULL,
  severity TEXT NOT NULL,
  seq INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  doc TEXT NOT NULL
);
CREATE INDEX alerts_rule ON alerts (rule_id);
CREATE INDEX alerts_seq ON alerts (seq);
CREATE INDEX alerts_state ON alerts (state, updated_at);

CREATE TABLE alert_seq (id INTEGER PRIMARY KEY CHECK (id = 1), v INTEGER NOT NULL);
INSERT INTO alert_seq (id, v) VALUES (1, 0);

CREATE TABLE alert_transitions (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  alert_id TEXT NOT NULL,
  ts INTEGER NOT NULL,
  kind TEXT NOT NULL,
  from_state TEXT NOT NULL,
  to_state TEXT NOT NULL,
  severity TEXT NOT NULL,
  value REAL,
  reason TEXT NOT NULL,
  actor TEXT
);
CREATE INDEX alert_transitions_alert ON alert_transitions (alert_id, id);

CREATE TABLE silences (
  id TEXT PRIMARY KEY,
  starts_at INTEGER NOT NULL,
  ends_at INTEGER NOT NULL,
  doc TEXT NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX silences_ends ON silences (ends_at);

CREATE TABLE maintenance_windows (
  id TEXT PRIMARY KEY,
  doc TEXT NOT NULL,
  updated_at INTEGER NOT NULL
);

CREATE TABLE notify_channels (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  type TEXT NOT NULL,
  config TEXT NOT NULL,
  secrets TEXT,
  enabled INTEGER NOT NULL,
  config_error TEXT,
  consecutive_failures INTEGER NOT NULL DEFAULT 0,
  last_success_at INTEGER,
  last_failure_at INTEGER,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);

CREATE TABLE notify_receivers (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  channel_ids TEXT NOT NULL,
  user_ids TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);

CREATE TABLE notify_groups (
  key TEXT PRIMARY KEY,
  doc TEXT NOT NULL,
  updated_at INTEGER NOT NULL
);

CREATE TABLE notify_outbox (
  id TEXT PRIMARY KEY,
  dedup_key TEXT NOT NULL,
  kind TEXT NOT NULL,
  status TEXT NOT NULL,
  target TEXT NOT NULL,
  channel_type TEXT NOT NULL,
  group_key TEXT NOT NULL,
  alert_ids TEXT NOT NULL,
  severity TEXT NOT NULL,
  title TEXT NOT NULL,
  payload TEXT NOT NULL,
  attempts INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  next_attempt_at INTEGER,
  lease_until INTEGER,
  delivered_at INTEGER,
  last_error TEXT,
  fallback_of TEXT,
  fallback_sent INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX notify_outbox_due ON notify_outbox (status, next_attempt_at);
CREATE INDEX notify_outbox_created ON notify_outbox (created_at);

CREATE TABLE notify_outbox_alerts (
  alert_id TEXT NOT NULL,
  notification_id TEXT NOT NULL,
  PRIMARY KEY (alert_id, notification_id)
);

CREATE TABLE notify_attempts (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  notification_id TEXT NOT NULL,
  ts INTEGER NOT NULL,
  duration_ms INTEGER NOT NULL,
  outcome TEXT NOT NULL,
  status_code INTEGER,
  error TEXT,
  retry_after_ms INTEGER
);
CREATE INDEX notify_attempts_notification ON notify_attempts (notification_id, id);

CREATE TABLE notify_trace (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  alert_id TEXT NOT NULL,
  ts INTEGER NOT NULL,
  step TEXT NOT NULL,
  message TEXT NOT NULL,
  details TEXT
);
CREATE INDEX notify_trace_alert ON notify_trace (alert_id, id);
CREATE INDEX notify_trace_ts ON notify_trace (ts);

CREATE TABLE inbox (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  alert_id TEXT,
  notification_id TEXT,
  severity TEXT NOT NULL,
  kind TEXT NOT NULL,
  title TEXT NOT NULL,
  body TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  read_at INTEGER
);
CREATE INDEX inbox_user ON inbox (user_id, created_at);
CREATE UNIQUE INDEX inbox_user_notification ON inbox (user_id, notification_id);

CREATE TABLE user_preferences (
  user_id TEXT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
  doc TEXT NOT NULL,
  updated_at INTEGER NOT NULL
);
`,
  },
  {
    id: '0005-security',
    // Security events (issue 6). severity_rank orders critical first (low=1 … critical=4);
    // src_ip is copied from metadata.src_ip so suppressions can match it with an index.
    // The time and severity indexes carry the facet columns so total and facets of a time/severity
    // filter are index-only scans (no row lookups).
    // The FTS5 table is SQLite-only: on PostgreSQL free text falls back to ILIKE on description.
    sql: `
CREATE TABLE security_events (
  event_id TEXT PRIMARY KEY,
  ts INTEGER NOT NULL,
  host TEXT NOT NULL,
  agent_id TEXT,
  event_type TEXT NOT NULL,
  severity TEXT NOT NULL,
  severity_rank INTEGER NOT NULL,
  source TEXT NOT NULL,
  description TEXT NOT NULL,
  correlation_id TEXT,
  mitre_technique TEXT,
  metadata TEXT,
  src_ip TEXT,
  triage TEXT NOT NULL DEFAULT 'new',
  suppressed_by TEXT,
  received_at INTEGER NOT NULL
);
CREATE INDEX security_events_ts ON security_events (ts, event_id, severity_rank, event_type, triage, suppressed_by);
CREATE INDEX security_events_severity_ts ON security_events (severity_rank, ts, event_id, event_type, triage, suppressed_by);
CREATE INDEX security_events_host_ts ON security_events (host, ts);
CREATE INDEX security_events_agent_ts ON security_events (agent_id, ts);
CREATE INDEX security_events_type_ts ON security_events (event_type, ts);
CREATE INDEX security_events_correlation ON security_events (correlation_id);

CREATE VIRTUAL TABLE security_events_fts USING fts5 (description, content='security_events', content_rowid='rowid');
CREATE TRIGGER security_events_fts_insert AFTER INSERT ON security_events BEGIN
  INSERT INTO security_events_fts (rowid, description) VALUES (new.rowid, new.description);
END;
CREATE TRIGGER security_events_fts_delete AFTER DELETE ON security_events BEGIN
  INSERT INTO security_events_fts (security_events_fts, rowid, description) VALUES ('delete', old.rowid, old.description);
END;

CREATE TABLE security_triage_history (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  event_id TEXT NOT NULL,
  at INTEGER NOT NULL,
  actor TEXT NOT NULL,
  from_state TEXT NOT NULL,
  to_state TEXT NOT NULL,
  note TEXT
);
CREATE INDEX security_triage_history_event ON security_triage_history (event_id, id);

CREATE TABLE security_suppressions (
  id TEXT PRIMARY KEY,
  event_type TEXT NOT NULL,
  host TEXT,
  src_ip TEXT,
  reason TEXT NOT NULL,
  created_by TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  ended_at INTEGER
);
CREATE INDEX security_suppressions_expires ON security_suppressions (expires_at);

CREATE TABLE security_saved_filters (
  user_id TEXT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
  doc TEXT NOT NULL,
  updated_at INTEGER NOT NULL
);
`,
  },
];
