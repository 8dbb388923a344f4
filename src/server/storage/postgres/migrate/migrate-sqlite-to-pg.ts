import { existsSync } from 'node:fs';
import { AuditLog } from '../../../auth/audit-log.js';
import { systemClock } from '../../../core/clock.js';
import { SqlAuditRepo } from '../../sql/sql-audit-repo.js';
import { prepareSchema } from '../open-pg-storage.js';
import { openPg, type PgDb, type PgOptions } from '../pg-db.js';
import { PG_MIGRATIONS } from '../pg-migrations.js';
import { copyTable, ensureProgressTable, PROGRESS_TABLE, readProgress } from './copy-table.js';
import type { ProgressSink } from './migration-progress.js';
import { quote, SqliteSource, type SourceTable } from './sqlite-source.js';

/** Options of {@link migrateSqliteToPg}. */
export interface MigrateOptions {
  /** Path of the source `vigil.db` (its `tsdb.db` is read from the same directory). */
  from: string;
  /** Target PostgreSQL (URL and optional schema). */
  target: Pick<PgOptions, 'url' | 'schema'>;
  /** Continue an interrupted copy; without it a non-empty target is refused. */
  resume: boolean;
  /** Rows per batch (one transaction each), default 2000. */
  batchRows?: number;
  progress: ProgressSink;
  signal?: AbortSignal;
}

/** Source and target row counts of one table after the copy. */
export interface TableCount {
  table: string;
  source: number;
  target: number;
}

/** What {@link migrateSqliteToPg} did and found. */
export interface MigrateReport {
  counts: TableCount[];
  /** Audit chain verification on the target, and whether its last hash equals the source's. */
  audit: { checked: number; brokenAt: number | null; sameHead: boolean };
  /** True when every count matches and the audit chain verifies. */
  ok: boolean;
}

/** A migration the target refuses to start (message says what to do). */
export class MigrateRefused extends Error {}

/** Copy order: referenced tables first (foreign keys), then the rest by name. */
const FIRST = ['users', 'agents'];

/**
 * Copies a SQLite data directory (relational state and the time-series store) into PostgreSQL:
 * applies the PostgreSQL migrations, copies every table in keyset-paginated batches with a
 * progress row per table (resumable, never duplicating), moves identity sequences past the copied
 * ids, then compares row counts per table and verifies the audit hash chain on the target.
 * The source is opened read-only; stop the server that writes it first.
 */
export async function migrateSqliteToPg(opts: MigrateOptions): Promise<MigrateReport> {
  if (!existsSync(opts.from)) throw new MigrateRefused(`the source ${opts.from} does not exist (expected the vigil.db file of a data directory)`);
  const source = SqliteSource.open(opts.from);
  const db = openPg({ ...opts.target, poolSize: 2 });
  try {
    await prepareSchema(db);
    checkMigrations(source);
    await ensureProgressTable(db);
    const targetColumns = await tableColumns(db);
    const tables = orderTables(source.tables());
    const plan = tables.map((t) => ({ t, columns: columnsToCopy(t, targetColumns) }));
    const progress = await readProgress(db);
    if (!opts.resume) await refuseNonEmpty(db, tables, progress.size);
    for (const { t, columns } of plan) {
      const start = progress.get(t.name) ?? { after: null, copied: 0, done: false };
      const total = source.count(t);
      opts.progress.start(t.name, total, start.copied);
      const copied = start.done ? start.copied : await copyTable(source, db, t, columns, start, opts.batchRows ?? 2000, (n) => opts.progress.advance(n), opts.signal);
      opts.progress.finish(copied);
    }
    await resetIdentities(db);
    return await verify(source, db, tables);
  } finally {
    source.close();
    await db.close();
  }
}

function checkMigrations(source: SqliteSource): void {
  const known = new Set(PG_MIGRATIONS.map((m) => m.id));
  const missing = source.migrationIds().filter((id) => !known.has(id));
  if (missing.length) {
    throw new MigrateRefused(`the source has migrations this version cannot create on PostgreSQL (${missing.join(', ')}); upgrade Vigil before migrating`);
  }
}

function orderTables(tables: SourceTable[]): SourceTable[] {
  const rank = (t: SourceTable) => (FIRST.includes(t.name) ? FIRST.indexOf(t.name) : FIRST.length);
  return [...tables].sort((a, b) => rank(a) - rank(b) || a.file.localeCompare(b.file) || a.name.localeCompare(b.name));
}

async function tableColumns(db: PgDb): Promise<Map<string, Set<string>>> {
  const rows = await db.all<{ table_name: string; column_name: string }>('SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_schema()');
  const out = new Map<string, Set<string>>();
  for (const r of rows) {
    if (!out.has(r.table_name)) out.set(r.table_name, new Set());
    out.get(r.table_name)!.add(r.column_name);
  }
  return out;
}

/** The source columns; refuses when the target lacks a table or column (data would be dropped). */
function columnsToCopy(t: SourceTable, target: Map<string, Set<string>>): string[] {
  const cols = target.get(t.name);
  if (!cols) throw new MigrateRefused(`table ${t.name} of the source does not exist on PostgreSQL; upgrade Vigil before migrating`);
  const missing = t.columns.filter((c) => !cols.has(c));
  if (missing.length) throw new MigrateRefused(`columns ${missing.join(', ')} of ${t.name} do not exist on PostgreSQL; upgrade Vigil before migrating`);
  return t.columns;
}

async function refuseNonEmpty(db: PgDb, tables: SourceTable[], progressRows: number): Promise<void> {
  if (progressRows > 0) throw new MigrateRefused(`the target holds an interrupted migration (${PROGRESS_TABLE}); run again with --resume to continue it`);
  for (const t of tables) {
    if (t.name === 'alert_seq') continue;
    const row = await db.get<{ one: number }>(`SELECT 1 AS one FROM ${quote(t.name)} LIMIT 1`);
    if (row) throw new MigrateRefused(`the target is not empty (table ${t.name} has rows); migrate into an empty database or schema, or pass --resume`);
  }
}

/** Moves every identity sequence past the largest copied id, so new rows do not collide. */
async function resetIdentities(db: PgDb): Promise<void> {
  const cols = await db.all<{ table_name: string; column_name: string }>("SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_schema() AND is_identity = 'YES'");
  for (const c of cols) {
    const t = quote(c.table_name);
    const col = quote(c.column_name);
    // pg_get_serial_sequence resolves the unqualified name through search_path (the target schema).
    await db.run(`SELECT setval(pg_get_serial_sequence(?, ?), m) FROM (SELECT MAX(${col}) AS m FROM ${t}) x WHERE m IS NOT NULL`, [t, c.column_name]);
  }
}

async function verify(source: SqliteSource, db: PgDb, tables: SourceTable[]): Promise<MigrateReport> {
  const counts: TableCount[] = [];
  for (const t of tables) {
    const target = (await db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM ${quote(t.name)}`))!.n;
    counts.push({ table: t.name, source: source.count(t), target });
  }
  const repo = new SqlAuditRepo(db);
  const chain = await new AuditLog(repo, systemClock).verify();
  const auditTable = tables.find((t) => t.name === 'audit_log');
  const sourceHead = auditTable ? source.lastValue(auditTable, 'hash') : null;
  const targetHead = (await db.get<{ hash: string }>('SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1'))?.hash ?? null;
  const audit = { ...chain, sameHead: sourceHead === targetHead };
  return { counts, audit, ok: counts.every((c) => c.source === c.target) && chain.brokenAt === null && audit.sameHead };
}
