import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Migration, SqlDb, SqlParam } from '../sql-db.js';
import { AsyncMutex } from './async-mutex.js';
import { mapSqliteError } from './sqlite-errors.js';

/** Durability mode (reliability reference b.0): P = process-crash durable, D = power-loss durable. */
export type SqliteDurability = 'P' | 'D';

/** Options for {@link openSqlite}. */
export interface SqliteOptions {
  /** File path, or `:memory:`. Parent directories are created. */
  path: string;
  /** `P` → WAL + synchronous=NORMAL; `D` (default) → WAL + synchronous=FULL. */
  durability?: SqliteDurability;
  /** Busy timeout in ms (default 5000). */
  busyTimeoutMs?: number;
}

type Stmt = Database.Statement<unknown[], unknown>;

/** better-sqlite3 behind the async {@link SqlDb} interface, with a statement cache. */
export class SqliteDb implements SqlDb {
  readonly dialect = 'sqlite' as const;
  private readonly cache = new Map<string, Stmt>();
  private readonly mutex = new AsyncMutex();

  constructor(readonly raw: Database.Database) {}

  /** Prepared statement for `sql`, cached. For sync fast paths inside `storage/sqlite/` only. */
  prepare(sql: string): Stmt {
    let stmt = this.cache.get(sql);
    if (!stmt) {
      stmt = this.raw.prepare(sql);
      this.cache.set(sql, stmt);
      if (this.cache.size > 500) this.cache.delete(this.cache.keys().next().value as string);
    }
    return stmt;
  }

  async all<T>(sql: string, params: readonly SqlParam[] = []): Promise<T[]> {
    return this.locked(() => this.prepare(sql).all(...params) as T[]);
  }

  async get<T>(sql: string, params: readonly SqlParam[] = []): Promise<T | undefined> {
    return this.locked(() => this.prepare(sql).get(...params) as T | undefined);
  }

  async run(sql: string, params: readonly SqlParam[] = []): Promise<{ changes: number }> {
    return this.locked(() => ({ changes: this.prepare(sql).run(...params).changes }));
  }

  async transaction<T>(fn: (tx: SqlDb) => Promise<T>): Promise<T> {
    const release = await this.mutex.acquire();
    const tx = new SqliteTx(this);
    try {
      this.exec('BEGIN IMMEDIATE');
      const result = await fn(tx);
      this.exec('COMMIT');
      return result;
    } catch (err) {
      if (this.raw.inTransaction) this.raw.exec('ROLLBACK');
      throw mapSqliteError(err);
    } finally {
      tx.closed = true;
      release();
    }
  }

  /**
   * Runs a synchronous function in one transaction while holding the mutex — the fast path for
   * hot writes (ingest), which must not yield between statements.
   */
  async syncTransaction<T>(fn: () => T): Promise<T> {
    const release = this.mutex.locked ? await this.mutex.acquire() : null;
    try {
      return this.raw.transaction(fn).immediate();
    } catch (err) {
      throw mapSqliteError(err);
    } finally {
      release?.();
    }
  }

  async ping(): Promise<void> {
    await this.get('SELECT 1');
  }

  async close(): Promise<void> {
    const release = await this.mutex.acquire();
    try {
      if (this.raw.open) this.raw.close();
    } finally {
      release();
    }
  }

  /** Executes statements without the mutex (caller holds it or is single-threaded setup). */
  exec(sql: string): void {
    this.raw.exec(sql);
  }

  private async locked<T>(fn: () => T): Promise<T> {
    if (!this.mutex.locked) {
      try {
        return fn();
      } catch (err) {
        throw mapSqliteError(err);
      }
    }
    const release = await this.mutex.acquire();
    try {
      return fn();
    } catch (err) {
      throw mapSqliteError(err);
    } finally {
      release();
    }
  }

  /** Runs `fn` directly, for the transaction handle that already holds the mutex. */
  direct<T>(fn: () => T): T {
    try {
      return fn();
    } catch (err) {
      throw mapSqliteError(err);
    }
  }
}

/** The handle passed to a transaction body; statements run without re-taking the mutex. */
class SqliteTx implements SqlDb {
  readonly dialect = 'sqlite' as const;
  closed = false;
  constructor(private readonly db: SqliteDb) {}
  private check(): void {
    if (this.closed) throw new Error('transaction handle used after the transaction ended');
  }
  async all<T>(sql: string, params: readonly SqlParam[] = []): Promise<T[]> {
    this.check();
    return this.db.direct(() => this.db.prepare(sql).all(...params) as T[]);
  }
  async get<T>(sql: string, params: readonly SqlParam[] = []): Promise<T | undefined> {
    this.check();
    return this.db.direct(() => this.db.prepare(sql).get(...params) as T | undefined);
  }
  async run(sql: string, params: readonly SqlParam[] = []): Promise<{ changes: number }> {
    this.check();
    return this.db.direct(() => ({ changes: this.db.prepare(sql).run(...params).changes }));
  }
  async transaction<T>(fn: (tx: SqlDb) => Promise<T>): Promise<T> {
    return fn(this);
  }
  async ping(): Promise<void> {}
  async close(): Promise<void> {}
}

/** Opens (creating if needed) a SQLite database with WAL and the chosen durability mode. */
export function openSqlite(opts: SqliteOptions): SqliteDb {
  if (opts.path !== ':memory:') mkdirSync(dirname(opts.path), { recursive: true });
  const raw = new Database(opts.path);
  raw.pragma('journal_mode = WAL');
  raw.pragma(`synchronous = ${(opts.durability ?? 'D') === 'D' ? 'FULL' : 'NORMAL'}`);
  raw.pragma(`busy_timeout = ${opts.busyTimeoutMs ?? 5000}`);
  raw.pragma('foreign_keys = ON');
  raw.pragma('temp_store = MEMORY');
  return new SqliteDb(raw);
}

/** Applies the migrations not yet recorded in `schema_migrations`, each in its own transaction. */
export function migrateSqlite(db: SqliteDb, migrations: readonly Migration[]): string[] {
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (id TEXT PRIMARY KEY, applied_at INTEGER NOT NULL)');
  const done = new Set((db.raw.prepare('SELECT id FROM schema_migrations').all() as { id: string }[]).map((r) => r.id));
  const applied: string[] = [];
  for (const m of migrations) {
    if (done.has(m.id)) continue;
    db.raw.transaction(() => {
      db.exec(m.sql);
      db.raw.prepare('INSERT INTO schema_migrations (id, applied_at) VALUES (?, ?)').run(m.id, Date.now());
    })();
    applied.push(m.id);
  }
  return applied;
}
