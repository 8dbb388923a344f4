import type { Migration } from '../sql-db.js';
import type { PgDb } from './pg-db.js';
import { mapPgError } from './pg-errors.js';

/**
 * Applies the migrations not yet recorded in `schema_migrations` (in the pool's schema), each in
 * its own transaction, while holding a session advisory lock keyed by the schema name: replicas
 * starting together queue on the lock, and the later ones find everything applied.
 * Returns the ids applied by this call.
 */
export async function migratePg(db: PgDb, migrations: readonly Migration[]): Promise<string[]> {
  return db.withClient(async (client) => {
    try {
      await client.query("SELECT pg_advisory_lock(hashtext('vigil-migrate:' || current_schema()))");
      try {
        await client.query('CREATE TABLE IF NOT EXISTS schema_migrations (id TEXT PRIMARY KEY, applied_at BIGINT NOT NULL)');
        const done = new Set((await client.query<{ id: string }>('SELECT id FROM schema_migrations')).rows.map((r) => r.id));
        const applied: string[] = [];
        for (const m of migrations) {
          if (done.has(m.id)) continue;
          await client.query('BEGIN');
          try {
            await client.query(m.sql);
            await client.query('INSERT INTO schema_migrations (id, applied_at) VALUES ($1, $2)', [m.id, Date.now()]);
            await client.query('COMMIT');
          } catch (err) {
            await client.query('ROLLBACK').catch(() => undefined);
            throw err;
          }
          applied.push(m.id);
        }
        return applied;
      } finally {
        await client.query("SELECT pg_advisory_unlock(hashtext('vigil-migrate:' || current_schema()))").catch(() => undefined);
      }
    } catch (err) {
      throw mapPgError(err);
    }
  });
}
