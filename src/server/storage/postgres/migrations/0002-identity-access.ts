import type { Migration } from '../../sql-db.js';

/** PostgreSQL translation of SQLite `0002-identity-access` (TOTP, SSO users, audit indexes). */
export const PG_0002_IDENTITY_ACCESS: Migration = {
  id: '0002-identity-access',
  sql: `
ALTER TABLE users ADD COLUMN totp_secret TEXT;
ALTER TABLE users ADD COLUMN totp_enabled BIGINT NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN totp_last_step BIGINT;
ALTER TABLE users ADD COLUMN source TEXT NOT NULL DEFAULT 'local';
ALTER TABLE users ADD COLUMN external_subject TEXT;
CREATE UNIQUE INDEX users_external_subject ON users (external_subject) WHERE external_subject IS NOT NULL;
CREATE INDEX audit_log_action ON audit_log (action, id);
CREATE INDEX audit_log_actor ON audit_log (actor, id);
`,
};
