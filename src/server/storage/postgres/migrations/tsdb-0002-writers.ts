import type { Migration } from '../../sql-db.js';

/**
 * Replicas sharing one database each keep their own time-series head, so each needs its own
 * ingest log and checkpoint: both get a `writer` column (the id of the process that owns them;
 * '' for data written before, e.g. copied by `vigil migrate`). See ADR 0003.
 */
export const PG_TSDB_0002_WRITERS: Migration = {
  id: 'tsdb-0002-writers',
  sql: `
ALTER TABLE tsdb_log ADD COLUMN writer TEXT NOT NULL DEFAULT '';
CREATE INDEX tsdb_log_writer ON tsdb_log (writer, seq);
ALTER TABLE tsdb_checkpoint ADD COLUMN writer TEXT NOT NULL DEFAULT '';
ALTER TABLE tsdb_checkpoint DROP CONSTRAINT tsdb_checkpoint_pkey;
ALTER TABLE tsdb_checkpoint ADD PRIMARY KEY (writer, part);
`,
};
