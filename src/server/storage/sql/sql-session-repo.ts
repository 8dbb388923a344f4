import type { SessionRecord, SessionRepo } from '../session-repo.js';
import type { SqlDb } from '../sql-db.js';

interface SessionRow {
  id_hash: string;
  user_id: string;
  created_at: number;
  last_seen_at: number;
  expires_at: number;
  ip: string | null;
  user_agent: string | null;
}

function toRecord(r: SessionRow): SessionRecord {
  return { idHash: r.id_hash, userId: r.user_id, createdAt: r.created_at, lastSeenAt: r.last_seen_at, expiresAt: r.expires_at, ip: r.ip, userAgent: r.user_agent };
}

const COLUMNS = 'id_hash, user_id, created_at, last_seen_at, expires_at, ip, user_agent';

/** {@link SessionRepo} over SQL. */
export class SqlSessionRepo implements SessionRepo {
  constructor(private readonly db: SqlDb) {}

  async create(s: SessionRecord): Promise<void> {
    await this.db.run(`INSERT INTO sessions (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)`, [s.idHash, s.userId, s.createdAt, s.lastSeenAt, s.expiresAt, s.ip, s.userAgent]);
  }

  async get(idHash: string): Promise<SessionRecord | null> {
    const r = await this.db.get<SessionRow>(`SELECT ${COLUMNS} FROM sessions WHERE id_hash = ?`, [idHash]);
    return r ? toRecord(r) : null;
  }

  async touch(idHash: string, lastSeenAt: number): Promise<void> {
    await this.db.run('UPDATE sessions SET last_seen_at = ? WHERE id_hash = ?', [lastSeenAt, idHash]);
  }

  async delete(idHash: string): Promise<void> {
    await this.db.run('DELETE FROM sessions WHERE id_hash = ?', [idHash]);
  }

  async deleteForUser(userId: string, exceptIdHash?: string): Promise<number> {
    return (await this.db.run('DELETE FROM sessions WHERE user_id = ? AND id_hash <> ?', [userId, exceptIdHash ?? ''])).changes;
  }

  async listForUser(userId: string): Promise<SessionRecord[]> {
    return (await this.db.all<SessionRow>(`SELECT ${COLUMNS} FROM sessions WHERE user_id = ? ORDER BY last_seen_at DESC`, [userId])).map(toRecord);
  }

  async prune(now: number, idleTimeoutMs: number): Promise<number> {
    return (await this.db.run('DELETE FROM sessions WHERE expires_at <= ? OR last_seen_at <= ?', [now, now - idleTimeoutMs])).changes;
  }
}
