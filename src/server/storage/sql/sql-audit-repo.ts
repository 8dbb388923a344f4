import type { AuditEntry, AuditQuery, AuditRepo } from '../audit-repo.js';
import type { SqlDb } from '../sql-db.js';
import { SqlWhere } from './sql-where.js';

interface AuditRow {
  id: number;
  ts: number;
  actor: string;
  action: string;
  target: string | null;
  ip: string | null;
  user_agent: string | null;
  outcome: string;
  details: string | null;
  prev_hash: string;
  hash: string;
}

const COLUMNS = 'id, ts, actor, action, target, ip, user_agent, outcome, details, prev_hash, hash';

/** Hash that starts the chain (the "previous hash" of the first entry). */
export const AUDIT_GENESIS_HASH = '0'.repeat(64);

function toEntry(r: AuditRow): AuditEntry {
  return {
    id: r.id,
    ts: r.ts,
    actor: r.actor,
    action: r.action,
    target: r.target,
    ip: r.ip,
    userAgent: r.user_agent,
    outcome: r.outcome as AuditEntry['outcome'],
    details: r.details ? (JSON.parse(r.details) as Record<string, unknown>) : null,
    prevHash: r.prev_hash,
    hash: r.hash,
  };
}

/** {@link AuditRepo} over SQL. Appends are serialized in a transaction so the chain never forks. */
export class SqlAuditRepo implements AuditRepo {
  constructor(private readonly db: SqlDb) {}

  async append(
    e: Omit<AuditEntry, 'id' | 'prevHash' | 'hash'>,
    hashOf: (prevHash: string, e: Omit<AuditEntry, 'id' | 'prevHash' | 'hash'>) => string,
  ): Promise<AuditEntry> {
    return this.db.transaction(async (tx) => {
      if (tx.dialect === 'postgres') await tx.run('LOCK TABLE audit_log IN EXCLUSIVE MODE');
      const last = await tx.get<{ hash: string }>('SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1');
      const prevHash = last?.hash ?? AUDIT_GENESIS_HASH;
      const hash = hashOf(prevHash, e);
      const row = await tx.get<{ id: number }>(
        `INSERT INTO audit_log (ts, actor, action, target, ip, user_agent, outcome, details, prev_hash, hash)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
        [e.ts, e.actor, e.action, e.target, e.ip, e.userAgent, e.outcome, e.details ? JSON.stringify(e.details) : null, prevHash, hash],
      );
      return { ...e, id: row?.id ?? 0, prevHash, hash };
    });
  }

  async list(q: AuditQuery): Promise<AuditEntry[]> {
    const where = new SqlWhere()
      .add(!!q.actor, 'actor = ?', q.actor ?? null)
      .add(!!q.action, 'action = ?', q.action ?? null)
      .add(!!q.outcome, 'outcome = ?', q.outcome ?? null)
      .add(q.from !== undefined, 'ts >= ?', q.from ?? null)
      .add(q.to !== undefined, 'ts < ?', q.to ?? null)
      .add(q.beforeId !== undefined, 'id < ?', q.beforeId ?? null);
    const sql = `SELECT ${COLUMNS} FROM audit_log ${where.toSql()} ORDER BY id DESC LIMIT ?`;
    return (await this.db.all<AuditRow>(sql, [...where.params, q.limit])).map(toEntry);
  }

  async scan(afterId: number, limit: number): Promise<AuditEntry[]> {
    return (await this.db.all<AuditRow>(`SELECT ${COLUMNS} FROM audit_log WHERE id > ? ORDER BY id LIMIT ?`, [afterId, limit])).map(toEntry);
  }
}
