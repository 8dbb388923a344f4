import type { IdempotencyRepo, StoredResponse } from '../idempotency-repo.js';
import type { SqlDb } from '../sql-db.js';

/** {@link IdempotencyRepo} over the `ingest_batches` table (scope = agent id). */
export class SqlIdempotencyRepo implements IdempotencyRepo {
  constructor(private readonly db: SqlDb) {}

  async get(scope: string, key: string): Promise<StoredResponse | null> {
    const r = await this.db.get<{ status: number; response: string }>('SELECT status, response FROM ingest_batches WHERE agent_id = ? AND key = ?', [scope, key]);
    return r ? { status: r.status, body: r.response } : null;
  }

  async put(scope: string, key: string, at: number, res: StoredResponse): Promise<void> {
    await this.db.run('INSERT INTO ingest_batches (agent_id, key, created_at, status, response) VALUES (?, ?, ?, ?, ?) ON CONFLICT (agent_id, key) DO NOTHING', [
      scope,
      key,
      at,
      res.status,
      res.body,
    ]);
  }

  async prune(before: number): Promise<number> {
    return (await this.db.run('DELETE FROM ingest_batches WHERE created_at < ?', [before])).changes;
  }
}
