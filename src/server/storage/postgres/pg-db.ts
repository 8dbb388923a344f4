import pg from 'pg';
import type { SqlDb, SqlParam } from '../sql-db.js';
import { isPgUnavailable, mapPgError } from './pg-errors.js';
import { rewritePlaceholders } from './placeholders.js';

/** Options for {@link openPg}. */
export interface PgOptions {
  /** `postgres://user:password@host:port/database?…` (libpq-style URL). */
  url: string;
  /** Schema for every connection (`search_path`); default: the server's default (`public`). */
  schema?: string;
  /** Most pooled connections (default 10). */
  poolSize?: number;
  /** How long to wait for a connection (TCP + auth, or a free pool slot), ms (default 5000). */
  connectTimeoutMs?: number;
  /** Server-side statement timeout, ms (default 30 000); a statement running longer fails with 57014 → 503. */
  statementTimeoutMs?: number;
  /** Idle pooled connections are closed after this long, ms (default 30 000). */
  idleTimeoutMs?: number;
  /** `application_name` of the connections, shown in `pg_stat_activity` (default `vigil`). */
  applicationName?: string;
  /** Errors of idle pooled connections (e.g. the server restarted); default: ignored. */
  onIdleError?: (err: Error) => void;
}

/** Pool defaults (see {@link PgOptions}). */
export const PG_DEFAULTS = { poolSize: 10, connectTimeoutMs: 5000, statementTimeoutMs: 30_000, idleTimeoutMs: 30_000 } as const;

const INT8_OID = 20;
const NUMERIC_OID = 1700;

/**
 * Type parsers of this pool only (the `pg` defaults are global): int8 and numeric (what COUNT and
 * SUM return) become JS numbers, as the shared SQL layer promises — every integer Vigil stores
 * (ms timestamps, counters, ids) is below 2^53.
 */
const TYPES = {
  getTypeParser: ((oid: number, format?: string) => {
    if (oid === INT8_OID || oid === NUMERIC_OID) return (v: string) => Number(v);
    return pg.types.getTypeParser(oid, format as 'text');
  }) as typeof pg.types.getTypeParser,
};

/** Identifier quoting for schema names built into SQL (the schema comes from configuration). */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

function toPgParams(params: readonly SqlParam[]): unknown[] {
  return params.map((p) => (typeof p === 'bigint' ? p.toString() : p));
}

/** A cache of rewritten SQL: the same few hundred statements run over and over. */
const rewriteCache = new Map<string, string>();
function pgSql(sql: string): string {
  let text = rewriteCache.get(sql);
  if (text === undefined) {
    text = rewritePlaceholders(sql).text;
    if (rewriteCache.size > 2000) rewriteCache.clear();
    rewriteCache.set(sql, text);
  }
  return text;
}

type Queryable = pg.Pool | pg.PoolClient;

async function query<T>(on: Queryable, sql: string, params: readonly SqlParam[]): Promise<pg.QueryResult<T & pg.QueryResultRow>> {
  try {
    return await on.query<T & pg.QueryResultRow>(pgSql(sql), toPgParams(params));
  } catch (err) {
    throw mapPgError(err);
  }
}

/**
 * PostgreSQL behind the {@link SqlDb} interface: a bounded `pg` pool, `?` placeholders rewritten
 * to `$n`, int8 as numbers, bytea as Buffer, and driver failures mapped to typed storage errors
 * (unreachable → 503 + Retry-After; unique violations keep SQLSTATE 23505).
 */
export class PgDb implements SqlDb {
  readonly dialect = 'postgres' as const;

  constructor(
    readonly pool: pg.Pool,
    /** The schema every connection uses (null = server default). */
    readonly schema: string | null,
  ) {}

  async all<T>(sql: string, params: readonly SqlParam[] = []): Promise<T[]> {
    return (await query<T>(this.pool, sql, params)).rows;
  }

  async get<T>(sql: string, params: readonly SqlParam[] = []): Promise<T | undefined> {
    return (await query<T>(this.pool, sql, params)).rows[0];
  }

  async run(sql: string, params: readonly SqlParam[] = []): Promise<{ changes: number }> {
    return { changes: (await query(this.pool, sql, params)).rowCount ?? 0 };
  }

  async transaction<T>(fn: (tx: SqlDb) => Promise<T>): Promise<T> {
    return this.withClient(async (client) => {
      await query(client, 'BEGIN', []);
      const tx = new PgTx(client);
      try {
        const result = await fn(tx);
        await query(client, 'COMMIT', []);
        return result;
      } catch (err) {
        // A failed ROLLBACK means the connection is gone; withClient then discards it.
        await client.query('ROLLBACK').catch(() => undefined);
        throw mapPgError(err);
      } finally {
        tx.closed = true;
      }
    });
  }

  /**
   * Runs `fn` with one pooled connection (released afterwards; destroyed when it broke). For
   * `storage/postgres/` internals that need session state (advisory locks, COPY).
   */
  async withClient<T>(fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (err) {
      throw mapPgError(err);
    }
    let broken: Error | undefined;
    // A checked-out connection that dies between statements emits 'error'; without a listener that
    // would be an uncaught exception. The next statement on it then fails and maps to 503.
    const onError = (err: Error) => (broken = err);
    client.on('error', onError);
    try {
      return await fn(client);
    } catch (err) {
      if (isPgUnavailable(err) || (err as { code?: string }).code === 'VIGIL_ERR_STORAGE_UNAVAILABLE') broken = err as Error;
      throw err;
    } finally {
      client.off('error', onError);
      // A broken connection is destroyed, not pooled, and may still emit a late error (e.g. the
      // socket end after "terminating connection"): keep a listener so it cannot crash the process.
      if (broken) client.on('error', () => undefined);
      client.release(broken);
    }
  }

  async ping(): Promise<void> {
    await this.get('SELECT 1');
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

/** The handle passed to a transaction body: every statement runs on the transaction's connection. */
class PgTx implements SqlDb {
  readonly dialect = 'postgres' as const;
  closed = false;
  constructor(private readonly client: pg.PoolClient) {}
  private check(): void {
    if (this.closed) throw new Error('transaction handle used after the transaction ended');
  }
  async all<T>(sql: string, params: readonly SqlParam[] = []): Promise<T[]> {
    this.check();
    return (await query<T>(this.client, sql, params)).rows;
  }
  async get<T>(sql: string, params: readonly SqlParam[] = []): Promise<T | undefined> {
    this.check();
    return (await query<T>(this.client, sql, params)).rows[0];
  }
  async run(sql: string, params: readonly SqlParam[] = []): Promise<{ changes: number }> {
    this.check();
    return { changes: (await query(this.client, sql, params)).rowCount ?? 0 };
  }
  async transaction<T>(fn: (tx: SqlDb) => Promise<T>): Promise<T> {
    return fn(this);
  }
  async ping(): Promise<void> {}
  async close(): Promise<void> {}
}

/**
 * Opens a pool on `opts.url` (connections are made lazily; call `ping()` to check reachability).
 * Each connection gets the schema as `search_path` and the statement and idle-in-transaction
 * timeouts as session settings.
 */
export function openPg(opts: PgOptions): PgDb {
  const statementTimeout = opts.statementTimeoutMs ?? PG_DEFAULTS.statementTimeoutMs;
  const settings = [`-c statement_timeout=${statementTimeout}`, `-c idle_in_transaction_session_timeout=${Math.max(statementTimeout * 2, 60_000)}`];
  if (opts.schema !== undefined) {
    if (!/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(opts.schema)) throw new Error(`schema name "${opts.schema}" must be letters, digits and _`);
    settings.push(`-c search_path=${opts.schema}`);
  }
  const pool = new pg.Pool({
    connectionString: opts.url,
    max: opts.poolSize ?? PG_DEFAULTS.poolSize,
    connectionTimeoutMillis: opts.connectTimeoutMs ?? PG_DEFAULTS.connectTimeoutMs,
    idleTimeoutMillis: opts.idleTimeoutMs ?? PG_DEFAULTS.idleTimeoutMs,
    // Client-side guard in case the server never answers (network partition).
    query_timeout: statementTimeout + 5000,
    options: settings.join(' '),
    application_name: opts.applicationName ?? 'vigil',
    types: TYPES,
  });
  // An idle connection killed by the server emits 'error' on the pool; unhandled it would crash the process.
  pool.on('error', (err) => opts.onIdleError?.(err));
  return new PgDb(pool, opts.schema ?? null);
}
