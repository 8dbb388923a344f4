import type { Migration } from '../sql-db.js';

/**
 * Schema of the time-series file (`tsdb.db`, next to `vigil.db`), append-only like every
 * migration list. Chunk blobs live in a rowid table so compaction appends them to full pages
 * (keyed by series they would be inserted all over the B-tree and leave pages half empty); the
 * small `(series_id, min_ts)` index finds one series' range. `tsdb_series` keeps per-series
 * figures so startup, retention and stats never scan the chunk table. The log's sequence is AUTOINCREMENT: a checkpoint deletes every record, and the
 * next record must still get a higher number than the checkpoint covers.
 */
export const TSDB_MIGRATIONS: readonly Migration[] = [
  {
    id: '0001-tsdb',
    sql: `
CREATE TABLE tsdb_log (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  data BLOB NOT NULL
);
CREATE TABLE tsdb_checkpoint (
  part INTEGER PRIMARY KEY,
  seq INTEGER NOT NULL,
  data BLOB NOT NULL
);
CREATE TABLE tsdb_chunks (
  id INTEGER PRIMARY KEY,
  series_id INTEGER NOT NULL,
  min_ts INTEGER NOT NULL,
  max_ts INTEGER NOT NULL,
  count INTEGER NOT NULL,
  data BLOB NOT NULL
);
CREATE UNIQUE INDEX tsdb_chunks_series ON tsdb_chunks (series_id, min_ts);
CREATE TABLE tsdb_series (
  series_id INTEGER PRIMARY KEY,
  min_ts INTEGER NOT NULL,
  max_ts INTEGER NOT NULL,
  samples INTEGER NOT NULL,
  min_1m INTEGER,
  min_1h INTEGER
);
CREATE INDEX tsdb_series_min_ts ON tsdb_series (min_ts);
CREATE INDEX tsdb_series_min_1m ON tsdb_series (min_1m);
CREATE INDEX tsdb_series_min_1h ON tsdb_series (min_1h);
CREATE TABLE tsdb_rollup_1m (
  series_id INTEGER NOT NULL,
  window_start INTEGER NOT NULL,
  data BLOB NOT NULL,
  PRIMARY KEY (series_id, window_start)
) WITHOUT ROWID;
CREATE TABLE tsdb_rollup_1h (
  series_id INTEGER NOT NULL,
  window_start INTEGER NOT NULL,
  data BLOB NOT NULL,
  PRIMARY KEY (series_id, window_start)
) WITHOUT ROWID;
CREATE TABLE tsdb_dirty (
  tier TEXT NOT NULL,
  window_start INTEGER NOT NULL,
  series_id INTEGER NOT NULL,
  PRIMARY KEY (tier, window_start, series_id)
) WITHOUT ROWID;
CREATE INDEX tsdb_dirty_series ON tsdb_dirty (tier, series_id, window_start);
`,
  },
];
