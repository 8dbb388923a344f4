/** Parameter values the SQL layer accepts. Booleans are stored as 0/1, JSON as TEXT. */
export type SqlParam = string | number | bigint | Buffer | null;

/**
 * The small async SQL interface every relational repository is written against (ADR 0001).
 * SQL uses `?` placeholders and the subset SQLite ≥ 3.35 and PostgreSQL ≥ 12 share.
 * Integers come back as JS numbers (timestamps in ms fit in 2^53).
 */
export interface SqlDb {
  readonly dialect: 'sqlite' | 'postgres';
  all<T>(sql: string, params?: readonly SqlParam[]): Promise<T[]>;
  get<T>(sql: string, params?: readonly SqlParam[]): Promise<T | undefined>;
  run(sql: string, params?: readonly SqlParam[]): Promise<{ changes: number }>;
  /**
   * Runs `fn` in one transaction (commit on resolve, rollback on throw). Inside, use only the
   * `tx` handle; nested calls on `tx` join the same transaction.
   */
  transaction<T>(fn: (tx: SqlDb) => Promise<T>): Promise<T>;
  /** Cheap liveness check used by `/ready`. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** One append-only migration. `id` is unique and never reused; order is the array order. */
export interface Migration {
  id: string;
  sql: string;
}
