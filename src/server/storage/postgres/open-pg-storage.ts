import type { Clock } from '../../core/clock.js';
import { sqlRepos } from '../sql/sql-repos.js';
import { SqlSeriesIndex } from '../sql/sql-series-index.js';
import type { Storage } from '../storage.js';
import { TsdbEngine } from '../../tsdb/engine/tsdb-engine.js';
import { DEFAULT_TSDB_OPTIONS, type TsdbOptions } from '../../tsdb/engine/tsdb-options.js';
import { migratePg } from './migrate-pg.js';
import { PG_MIGRATIONS } from './pg-migrations.js';
import { openPg, quoteIdent, type PgDb, type PgOptions } from './pg-db.js';
import { PgTsdbPersistence } from './pg-tsdb-persistence.js';

/** Options for the PostgreSQL backend. */
export interface PgStorageOptions extends PgOptions {
  /** Raw sample retention in ms (default 15 days). */
  retentionMs?: number;
  /** Retention of the 1 m and 1 h rollup tiers in ms (defaults 90 days and 2 years). */
  retention1mMs?: number;
  retention1hMs?: number;
  /** Further time-series engine options (head sizing, out-of-order window, logging, test hooks). */
  tsdb?: Partial<TsdbOptions>;
  clock: Clock;
}

/**
 * Connects to PostgreSQL, creates the schema when one is configured and missing, applies the
 * migrations under an advisory lock and builds the {@link Storage}. Fails with
 * `VIGIL_ERR_STORAGE_UNAVAILABLE` when the server cannot be reached.
 */
export async function openPgStorage(opts: PgStorageOptions): Promise<Storage> {
  const db = openPg(opts);
  try {
    await prepareSchema(db);
    return await buildStorage(db, opts);
  } catch (err) {
    await db.close().catch(() => undefined);
    throw err;
  }
}

/** Creates the configured schema (if any) and brings it to the newest migration. */
export async function prepareSchema(db: PgDb): Promise<void> {
  if (db.schema) {
    await db.run(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(db.schema)}`).catch((err: { code?: string }) => {
      // Two replicas creating it at the same moment: the loser sees a duplicate; the schema exists.
      if (err.code !== '23505' && err.code !== '42P06') throw err;
    });
  }
  await migratePg(db, PG_MIGRATIONS);
}

async function buildStorage(db: PgDb, opts: PgStorageOptions): Promise<Storage> {
  const series = new SqlSeriesIndex(db, opts.clock);
  await series.refresh();
  const retention: Partial<TsdbOptions['retention']> = {};
  if (opts.retentionMs !== undefined) retention.raw = opts.retentionMs;
  if (opts.retention1mMs !== undefined) retention['1m'] = opts.retention1mMs;
  if (opts.retention1hMs !== undefined) retention['1h'] = opts.retention1hMs;
  const persistence = await PgTsdbPersistence.open(db, (msg, fields) => opts.tsdb?.log?.warn(msg, fields));
  const samples = await TsdbEngine.open(persistence, opts.clock, { ...opts.tsdb, retention: { ...DEFAULT_TSDB_OPTIONS.retention, ...retention } });
  return {
    backend: 'postgres',
    series,
    samples,
    ...sqlRepos(db),
    ping: async () => {
      await db.ping();
      // Ready means samples can be written too: this replica holds its time-series writer.
      persistence.assertWriter();
    },
    close: async () => {
      await samples.close();
      await db.close();
    },
  };
}
