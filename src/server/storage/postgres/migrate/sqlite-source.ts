import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** One table of the source as the copy sees it. */
export interface SourceTable {
  /** `vigil.db` (relational) or `tsdb.db` (samples). */
  file: 'vigil' | 'tsdb';
  name: string;
  columns: string[];
  /** Primary-key columns in key order (`rowid` for a table without one). */
  key: string[];
}

/**
 * A SQLite data directory opened read-only for `vigil migrate`: `vigil.db` and, when present,
 * `tsdb.db` next to it. Reads are keyset-paginated by primary key so a resumed copy continues
 * exactly where the last committed batch ended.
 */
export class SqliteSource {
  private constructor(
    private readonly dbs: { vigil: Database.Database; tsdb: Database.Database | null },
    readonly path: string,
  ) {}

  /** Opens `path` (the `vigil.db` file) read-only; fails when it does not exist. */
  static open(path: string): SqliteSource {
    if (!existsSync(path)) throw new Error(`source ${path} does not exist`);
    const vigil = new Database(path, { readonly: true, fileMustExist: true });
    const tsdbPath = join(dirname(path), 'tsdb.db');
    const tsdb = existsSync(tsdbPath) ? new Database(tsdbPath, { readonly: true, fileMustExist: true }) : null;
    return new SqliteSource({ vigil, tsdb }, path);
  }

  /** Applied migration ids, tsdb ones prefixed as on PostgreSQL (`0001-tsdb` → `tsdb-0001`). */
  migrationIds(): string[] {
    const ids = (db: Database.Database) => (db.prepare('SELECT id FROM schema_migrations ORDER BY id').all() as { id: string }[]).map((r) => r.id);
    const out = ids(this.dbs.vigil);
    if (this.dbs.tsdb) for (const id of ids(this.dbs.tsdb)) out.push(`tsdb-${id.replace(/-tsdb$/, '')}`);
    return out;
  }

  /** Every user table (not `schema_migrations`, not SQLite internals). */
  tables(): SourceTable[] {
    const out: SourceTable[] = [];
    for (const file of ['vigil', 'tsdb'] as const) {
      const db = this.dbs[file];
      if (!db) continue;
      const names = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'schema_migrations' ORDER BY name").all() as { name: string }[]).map((r) => r.name);
      for (const name of names) {
        const info = db.prepare(`PRAGMA table_info(${quote(name)})`).all() as { name: string; pk: number }[];
        const pk = info.filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk).map((c) => c.name);
        out.push({ file, name, columns: info.map((c) => c.name), key: pk.length ? pk : ['rowid'] });
      }
    }
    return out;
  }

  count(t: SourceTable): number {
    return (this.db(t).prepare(`SELECT COUNT(*) AS n FROM ${quote(t.name)}`).get() as { n: number }).n;
  }

  /**
   * Up to `limit` rows after key `after` (null = from the start), ordered by key. Rows are arrays
   * in `columns` order followed by the key values.
   */
  page(t: SourceTable, columns: readonly string[], after: readonly unknown[] | null, limit: number): unknown[][] {
    const keyList = t.key.map(quote).join(', ');
    const where = after ? `WHERE (${keyList}) > (${t.key.map(() => '?').join(', ')})` : '';
    const sql = `SELECT ${[...columns, ...t.key].map(quote).join(', ')} FROM ${quote(t.name)} ${where} ORDER BY ${keyList} LIMIT ?`;
    return this.db(t).prepare(sql).raw(true).all(...(after ?? []), limit) as unknown[][];
  }

  /** `column` of the row with the largest key, or null for an empty table. */
  lastValue(t: SourceTable, column: string): unknown {
    const row = this.db(t).prepare(`SELECT ${quote(column)} AS v FROM ${quote(t.name)} ORDER BY ${t.key.map((k) => `${quote(k)} DESC`).join(', ')} LIMIT 1`).get() as { v: unknown } | undefined;
    return row?.v ?? null;
  }

  close(): void {
    this.dbs.vigil.close();
    this.dbs.tsdb?.close();
  }

  private db(t: SourceTable): Database.Database {
    const db = this.dbs[t.file];
    if (!db) throw new Error(`no ${t.file}.db`);
    return db;
  }
}

/** Double-quotes an identifier (names come from the database's own catalog). */
export function quote(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
