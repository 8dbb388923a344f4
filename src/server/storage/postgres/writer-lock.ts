import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import type { PgDb } from './pg-db.js';
import { errors } from '../../core/errors.js';
import { mapPgError } from './pg-errors.js';

const LOCK = 'pg_try_advisory_lock(hashtext(current_schema()), hashtext($1))';
const UNLOCK = 'pg_advisory_unlock(hashtext(current_schema()), hashtext($1))';
/** Backoff of re-taking a lost lock: 250 ms doubling to 4 s. */
const RETRY_MIN_MS = 250;
const RETRY_MAX_MS = 4000;

/**
 * The time-series writer a process owns: a session advisory lock keyed by (schema, writer id),
 * held on one dedicated pooled connection for the life of the process. PostgreSQL releases it
 * when that session ends (process killed, connection lost), which is how a starting process tells
 * a dead writer from a live one. If the connection breaks while running, the lock is taken again
 * on a new connection (logged loudly when another process adopted the writer meanwhile).
 */
export class WriterLock {
  private client: pg.PoolClient | null;
  private closed = false;
  /** False from a lost lock connection until the lock is taken again (never again when another process adopted the writer). */
  private held = true;
  private retry: NodeJS.Timeout | null = null;
  private retryMs = RETRY_MIN_MS;

  private constructor(
    private readonly db: PgDb,
    readonly writer: string,
    client: pg.PoolClient,
    private readonly log: (msg: string, fields: Record<string, unknown>) => void,
  ) {
    this.client = client;
    this.watch(client);
  }

  /** Adopts the writer of a dead process (its data waits in the log/checkpoint), else a new one. */
  static async acquire(db: PgDb, log: (msg: string, fields: Record<string, unknown>) => void = () => undefined): Promise<WriterLock> {
    let client: pg.PoolClient;
    try {
      client = await db.pool.connect();
    } catch (err) {
      throw mapPgError(err);
    }
    try {
      const candidates = await client.query<{ writer: string }>('SELECT writer FROM tsdb_checkpoint UNION SELECT DISTINCT writer FROM tsdb_log ORDER BY writer');
      for (const { writer } of candidates.rows) {
        if ((await client.query<{ ok: boolean }>(`SELECT ${LOCK} AS ok`, [writer])).rows[0]!.ok) {
          log('tsdb: adopted the head of a stopped process', { writer });
          return new WriterLock(db, writer, client, log);
        }
      }
      const fresh = randomUUID();
      await client.query(`SELECT ${LOCK}`, [fresh]);
      return new WriterLock(db, fresh, client, log);
    } catch (err) {
      client.release(err as Error);
      throw mapPgError(err);
    }
  }

  /** Throws a 503-mapped storage error unless this process holds its writer lock (fencing). */
  assertHeld(): void {
    if (!this.held || this.closed) throw errors.storageUnavailable('storage is unavailable (this replica lost its time-series writer lock)');
  }

  async release(): Promise<void> {
    this.closed = true;
    if (this.retry) clearTimeout(this.retry);
    const c = this.client;
    this.client = null;
    if (!c) return;
    try {
      await c.query(`SELECT ${UNLOCK}`, [this.writer]);
      c.release();
    } catch (err) {
      c.release(err as Error);
    }
  }

  /** On a broken lock connection: discard it and take the lock again on a new one. */
  private watch(client: pg.PoolClient): void {
    // `on`, not `once`: a dying connection can emit more than one error (the termination, then the
    // socket end), and an 'error' without a listener is an uncaught exception.
    client.on('error', (err) => {
      if (this.client !== client) return;
      this.client = null;
      this.held = false;
      client.release(err);
      this.reacquire();
    });
  }

  private reacquire(): void {
    if (this.closed) return;
    this.retry = setTimeout(() => {
      this.retry = null;
      void this.tryLock();
    }, this.retryMs);
    this.retryMs = Math.min(RETRY_MAX_MS, this.retryMs * 2);
    this.retry.unref();
  }

  private async tryLock(): Promise<void> {
    let client: pg.PoolClient | null = null;
    try {
      client = await this.db.pool.connect();
      const ok = (await client.query<{ ok: boolean }>(`SELECT ${LOCK} AS ok`, [this.writer])).rows[0]!.ok;
      if (this.closed) {
        if (ok) await client.query(`SELECT ${UNLOCK}`, [this.writer]);
        client.release();
        return;
      }
      if (!ok) {
        // Another process adopted this head: writing on would corrupt its log. Stay fenced.
        this.log('tsdb: another process adopted this writer while the database was unreachable; samples are refused until this replica restarts', { writer: this.writer });
        client.release();
        return;
      }
      this.held = true;
      this.retryMs = RETRY_MIN_MS;
      this.client = client;
      this.watch(client);
    } catch (err) {
      client?.release(err as Error);
      this.reacquire();
    }
  }
}
