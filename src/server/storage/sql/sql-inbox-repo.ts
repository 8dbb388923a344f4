import type { InboxRecord, InboxRepo, PreferenceRecord, PreferenceRepo } from '../inbox-repo.js';
import type { SqlDb } from '../sql-db.js';

interface InboxRow {
  id: string;
  user_id: string;
  alert_id: string | null;
  notification_id: string | null;
  severity: string;
  kind: string;
  title: string;
  body: string;
  created_at: number;
  read_at: number | null;
}

function toItem(r: InboxRow): InboxRecord {
  return {
    id: r.id,
    userId: r.user_id,
    alertId: r.alert_id,
    notificationId: r.notification_id,
    severity: r.severity as InboxRecord['severity'],
    kind: r.kind as InboxRecord['kind'],
    title: r.title,
    body: r.body,
    createdAt: Number(r.created_at),
    readAt: r.read_at === null ? null : Number(r.read_at),
  };
}

/** {@link InboxRepo} over SQL. */
export class SqlInboxRepo implements InboxRepo {
  constructor(private readonly db: SqlDb) {}

  async add(i: InboxRecord, keep: number): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const r = await tx.run(
        'INSERT INTO inbox (id, user_id, alert_id, notification_id, severity, kind, title, body, created_at, read_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING',
        [i.id, i.userId, i.alertId, i.notificationId, i.severity, i.kind, i.title, i.body, i.createdAt, i.readAt],
      );
      await tx.run('DELETE FROM inbox WHERE user_id = ? AND id NOT IN (SELECT id FROM inbox WHERE user_id = ? ORDER BY created_at DESC, id DESC LIMIT ?)', [i.userId, i.userId, keep]);
      return r.changes === 1;
    });
  }

  async list(userId: string, limit: number): Promise<InboxRecord[]> {
    return (await this.db.all<InboxRow>('SELECT * FROM inbox WHERE user_id = ? ORDER BY created_at DESC, id DESC LIMIT ?', [userId, limit])).map(toItem);
  }

  async unreadCount(userId: string): Promise<number> {
    const r = await this.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM inbox WHERE user_id = ? AND read_at IS NULL', [userId]);
    return Number(r?.n ?? 0);
  }

  async markRead(userId: string, id: string, at: number): Promise<boolean> {
    return (await this.db.run('UPDATE inbox SET read_at = ? WHERE user_id = ? AND id = ? AND read_at IS NULL', [at, userId, id])).changes === 1;
  }

  async markAllRead(userId: string, at: number): Promise<number> {
    return (await this.db.run('UPDATE inbox SET read_at = ? WHERE user_id = ? AND read_at IS NULL', [at, userId])).changes;
  }

  async dismiss(userId: string, id: string): Promise<boolean> {
    return (await this.db.run('DELETE FROM inbox WHERE user_id = ? AND id = ?', [userId, id])).changes === 1;
  }
}

/** {@link PreferenceRepo} over SQL (one JSON document per user). */
export class SqlPreferenceRepo implements PreferenceRepo {
  constructor(private readonly db: SqlDb) {}

  async get(userId: string): Promise<PreferenceRecord | null> {
    const r = await this.db.get<{ doc: string }>('SELECT doc FROM user_preferences WHERE user_id = ?', [userId]);
    return r ? (JSON.parse(r.doc) as PreferenceRecord) : null;
  }

  async set(p: PreferenceRecord): Promise<void> {
    await this.db.run('INSERT INTO user_preferences (user_id, doc, updated_at) VALUES (?, ?, ?) ON CONFLICT (user_id) DO UPDATE SET doc = excluded.doc, updated_at = excluded.updated_at', [
      p.userId,
      JSON.stringify(p),
      p.updatedAt,
    ]);
  }
}
