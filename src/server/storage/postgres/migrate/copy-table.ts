import type pg from 'pg';
import type { PgDb } from '../pg-db.js';
import { mapPgError } from '../pg-errors.js';
import { quote, type SqliteSource, type SourceTable } from './sqlite-source.js';

/** Name of the progress table `vigil migrate` keeps in the target. */
export const PROGRESS_TABLE = 'vigil_migrate_progress';

/** Tables the PostgreSQL migrations seed with one row; the copy overwrites that row. */
const SINGLETONS = new Set(['alert_seq']);

/** PostgreSQL allows at most 65 535 parameters per statement. */
const MAX_PARAMS = 65_000;

/** Progress of one table, as stored in {@link PROGRESS_TABLE}. */
export interface TableProgress {
  /** Key of the last copied row (JSON), or null before the first batch. */
  after: unknown[] | null;
  copied: number;
  done: boolean;
}

/** Creates the progress table when missing. */
export async function ensureProgressTable(db: PgDb): Promise<void> {
  await db.run(`CREATE TABLE IF NOT EXISTS ${PROGRESS_TABLE} (tbl TEXT PRIMARY KEY, after_key TEXT, copied BIGINT NOT NULL, done BOOLEAN NOT NULL, updated_at BIGINT NOT NULL)`);
}

/** Stored progress per table. */
export async function readProgress(db: PgDb): Promise<Map<string, TableProgress>> {
  const rows = await db.all<{ tbl: string; after_key: string | null; copied: number; done: boolean }>(`SELECT tbl, after_key, copied, done FROM ${PROGRESS_TABLE}`);
  return new Map(rows.map((r) => [r.tbl, { after: r.after_key === null ? null : (JSON.parse(r.after_key) as unknown[]), copied: r.copied, done: r.done }]));
}

/**
 * Copies one table in batches of `batchRows`, each batch and its progress row in one PostgreSQL
 * transaction: a crash or Ctrl+C loses at most the batch in flight, and a re-run continues after
 * the last committed key. Rows are inserted with ON CONFLICT DO NOTHING, so even a batch replayed
 * after a lost commit acknowledgement is never duplicated. `onBatch` gets the rows copied so far.
 */
export async function copyTable(
  source: SqliteSource,
  target: PgDb,
  t: SourceTable,
  columns: readonly string[],
  start: TableProgress,
  batchRows: number,
  onBatch: (copied: number) => void,
  signal?: AbortSignal,
): Promise<number> {
  const rowsPerBatch = Math.max(1, Math.min(batchRows, Math.floor(MAX_PARAMS / columns.length)));
  const conflict = SINGLETONS.has(t.name)
    ? `ON CONFLICT (${t.key.map(quote).join(', ')}) DO UPDATE SET ${columns.map((c) => `${quote(c)} = excluded.${quote(c)}`).join(', ')}`
    : 'ON CONFLICT DO NOTHING';
  let after = start.after;
  let copied = start.copied;
  for (;;) {
    if (signal?.aborted) throw new Error('interrupted; run again with --resume to continue');
    const rows = source.page(t, columns, after, rowsPerBatch);
    if (rows.length === 0) break;
    const last = rows[rows.length - 1]!;
    const nextAfter = last.slice(columns.length);
    const values = rows.map((r) => r.slice(0, columns.length).map(toPg));
    await target.withClient(async (c) => {
      try {
        await c.query('BEGIN');
        await insertRows(c, t.name, columns, values, conflict);
        await saveProgress(c, t.name, nextAfter, copied + rows.length, false);
        await c.query('COMMIT');
      } catch (err) {
        await c.query('ROLLBACK').catch(() => undefined);
        throw mapPgError(err);
      }
    });
    after = nextAfter;
    copied += rows.length;
    onBatch(copied);
    if (rows.length < rowsPerBatch) break;
  }
  await target.withClient(async (c) => saveProgress(c, t.name, after, copied, true));
  return copied;
}

async function insertRows(c: pg.PoolClient, table: string, columns: readonly string[], rows: unknown[][], conflict: string): Promise<void> {
  const params: unknown[] = [];
  const tuples = rows.map((r) => `(${r.map((v) => (params.push(v), `$${params.length}`)).join(', ')})`);
  await c.query(`INSERT INTO ${quote(table)} (${columns.map(quote).join(', ')}) VALUES ${tuples.join(', ')} ${conflict}`, params);
}

async function saveProgress(c: pg.PoolClient, table: string, after: unknown[] | null, copied: number, done: boolean): Promise<void> {
  await c.query(
    `INSERT INTO ${PROGRESS_TABLE} (tbl, after_key, copied, done, updated_at) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (tbl) DO UPDATE SET after_key = excluded.after_key, copied = excluded.copied, done = excluded.done, updated_at = excluded.updated_at`,
    [table, after === null ? null : JSON.stringify(after), copied, done, Date.now()],
  );
}

/** SQLite values as `pg` parameters: BLOBs stay Buffers (→ bytea), bigints become strings. */
function toPg(v: unknown): unknown {
  return typeof v === 'bigint' ? v.toString() : v;
}
