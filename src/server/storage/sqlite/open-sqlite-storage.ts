import { join } from 'node:path';
import type { Clock } from '../../core/clock.js';
import { sqlRepos } from '../sql/sql-repos.js';
import { SqlSeriesIndex } from '../sql/sql-series-index.js';
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
    ...sqlRepos(db),
    ping: () => db.ping(),
    close: async () => {
      await samples.close();
      await db.close();
    },
  };
}
