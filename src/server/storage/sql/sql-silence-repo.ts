import type { MaintenanceWindowRecord, MaintenanceWindowRepo, SilenceRecord, SilenceRepo } from '../silence-repo.js';
import type { SqlDb } from '../sql-db.js';

/** {@link SilenceRepo} over SQL. */
export class SqlSilenceRepo implements SilenceRepo {
  constructor(private readonly db: SqlDb) {}

  async list(endsAfter: number): Promise<SilenceRecord[]> {
    return (await this.db.all<{ doc: string }>('SELECT doc FROM silences WHERE ends_at > ? ORDER BY starts_at DESC, id', [endsAfter])).map((r) => JSON.parse(r.doc) as SilenceRecord);
  }

  async get(id: string): Promise<SilenceRecord | null> {
    const r = await this.db.get<{ doc: string }>('SELECT doc FROM silences WHERE id = ?', [id]);
    return r ? (JSON.parse(r.doc) as SilenceRecord) : null;
  }

  async upsert(s: SilenceRecord): Promise<void> {
    await this.db.run(
      'INSERT INTO silences (id, starts_at, ends_at, doc, updated_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET starts_at = excluded.starts_at, ends_at = excluded.ends_at, doc = excluded.doc, updated_at = excluded.updated_at',
      [s.id, s.startsAt, s.endsAt, JSON.stringify(s), s.updatedAt],
    );
  }

  async prune(before: number): Promise<number> {
    return (await this.db.run('DELETE FROM silences WHERE ends_at < ?', [before])).changes;
  }
}

/** {@link MaintenanceWindowRepo} over SQL. */
export class SqlMaintenanceWindowRepo implements MaintenanceWindowRepo {
  constructor(private readonly db: SqlDb) {}

  async list(): Promise<MaintenanceWindowRecord[]> {
    return (await this.db.all<{ doc: string }>('SELECT doc FROM maintenance_windows ORDER BY id')).map((r) => JSON.parse(r.doc) as MaintenanceWindowRecord);
  }

  async get(id: string): Promise<MaintenanceWindowRecord | null> {
    const r = await this.db.get<{ doc: string }>('SELECT doc FROM maintenance_windows WHERE id = ?', [id]);
    return r ? (JSON.parse(r.doc) as MaintenanceWindowRecord) : null;
  }

  async upsert(w: MaintenanceWindowRecord): Promise<void> {
    await this.db.run('INSERT INTO maintenance_windows (id, doc, updated_at) VALUES (?, ?, ?) ON CONFLICT (id) DO UPDATE SET doc = excluded.doc, updated_at = excluded.updated_at', [
      w.id,
      JSON.stringify(w),
      w.updatedAt,
    ]);
  }

  async delete(id: string): Promise<boolean> {
    return (await this.db.run('DELETE FROM maintenance_windows WHERE id = ?', [id])).changes === 1;
  }
}
