import type { Migration } from '../sql-db.js';
import { PG_0001_FOUNDATION } from './migrations/0001-foundation.js';
import { PG_0002_IDENTITY_ACCESS } from './migrations/0002-identity-access.js';
import { PG_0004_ALERTING } from './migrations/0004-alerting.js';
import { PG_0005_SECURITY } from './migrations/0005-security.js';
import { PG_TSDB_0001 } from './migrations/tsdb-0001.js';
import { PG_TSDB_0002_WRITERS } from './migrations/tsdb-0002-writers.js';

/**
 * PostgreSQL schema, append-only (never edit a shipped migration; add a file and append it here).
 * Ids match the SQLite migrations they translate; the time-series tables, which SQLite keeps in
 * their own file, are `tsdb-*` in the same database.
 */
export const PG_MIGRATIONS: readonly Migration[] = [PG_0001_FOUNDATION, PG_0002_IDENTITY_ACCESS, PG_0004_ALERTING, PG_TSDB_0001, PG_TSDB_0002_WRITERS, PG_0005_SECURITY];
