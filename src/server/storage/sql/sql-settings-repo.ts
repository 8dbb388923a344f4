import type { SettingsRepo } from '../settings-repo.js';
import type { SqlDb } from '../sql-db.js';

/** {@link SettingsRepo} over the `settings` table. */
export class SqlSettingsRepo implements SettingsRepo {
  constructor(private readonly db: SqlDb) {}

  async get<T>(key: string): Promise<T | null> {
    const r = await this.db.get<{ value: string }>('SELECT value FROM settings WHERE key = ?', [key]);
    return r ? (JSON.parse(r.value) as T) : null;
  }

  async set(key: string, value: unknown, at: number): Promise<void> {
    await this.db.run('INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at', [
      key,
      JSON.stringify(value),
      at,
    ]);
  }
}
