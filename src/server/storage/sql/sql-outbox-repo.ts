import type { DeliveryAttempt } from '../../../protocol/alerting.js';
import type { NotifyGroupRecord, OutboxQuery, OutboxRecord, OutboxRepo, TraceRecord } from '../outbox-repo.js';
import type { SqlDb, SqlParam } from '../sql-db.js';
import { SqlWhere } from './sql-where.js';

interface OutboxRow {
  id: string;
  dedup_key: string;
  kind: string;
  status: string;
  target: string;
  channel_type: string;
  group_key: string;
  alert_ids: string;
  severity: string;
  title: string;
  payload: string;
  attempts: number;
  created_at: number;
  next_attempt_at: number | null;
  lease_until: number | null;
  delivered_at: number | null;
  last_error: string | null;
  fallback_of: string | null;
  fallback_sent: number;
}

const COLUMNS =
  'id, dedup_key, kind, status, target, channel_type, group_key, alert_ids, severity, title, payload, attempts, created_at, next_attempt_at, lease_until, delivered_at, last_error, fallback_of, fallback_sent';

const num = (v: number | null): number | null => (v === null ? null : Number(v));

function toRecord(r: OutboxRow): OutboxRecord {
  return {
    id: r.id,
    dedupKey: r.dedup_key,
    kind: r.kind as OutboxRecord['kind'],
    status: r.status as OutboxRecord['status'],
    target: JSON.parse(r.target) as OutboxRecord['target'],
    channelType: r.channel_type,
    groupKey: r.group_key,
    alertIds: JSON.parse(r.alert_ids) as string[],
    severity: r.severity as OutboxRecord['severity'],
    title: r.title,
    payload: JSON.parse(r.payload) as unknown,
    attempts: Number(r.attempts),
    createdAt: Number(r.created_at),
    nextAttemptAt: num(r.next_attempt_at),
    leaseUntil: num(r.lease_until),
    deliveredAt: num(r.delivered_at),
    lastError: r.last_error,
    fallbackOf: r.fallback_of,
    fallbackSent: Number(r.fallback_sent) === 1,
  };
}

function params(n: OutboxRecord): SqlParam[] {
  return [
    n.id,
    n.dedupKey,
    n.kind,
    n.status,
    JSON.stringify(n.target),
    n.channelType,
    n.groupKey,
    JSON.stringify(n.alertIds),
    n.severity,
    n.title,
    JSON.stringify(n.payload),
    n.attempts,
    n.createdAt,
    n.nextAttemptAt,
    n.leaseUntil,
    n.deliveredAt,
    n.lastError,
    n.fallbackOf,
    n.fallbackSent ? 1 : 0,
  ];
}

/** A row is claimable when pending and due, or sending with a lapsed lease (its sender died). */
const CLAIMABLE = "((status = 'pending' AND next_attempt_at <= ?) OR (status = 'sending' AND lease_until < ?))";

/** {@link OutboxRepo} over SQL. Claims are compare-and-set updates, safe with several dispatchers. */
export class SqlOutboxRepo implements OutboxRepo {
  constructor(private readonly db: SqlDb) {}

  async commit(change: { groups?: NotifyGroupRecord[]; deleteGroups?: string[]; notifications?: OutboxRecord[]; trace?: TraceRecord[] }): Promise<void> {
    await this.db.transaction(async (tx) => {
      for (const g of change.groups ?? []) {
        await tx.run('INSERT INTO notify_groups (key, doc, updated_at) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET doc = excluded.doc, updated_at = excluded.updated_at', [g.key, JSON.stringify(g), g.updatedAt]);
      }
      for (const k of change.deleteGroups ?? []) await tx.run('DELETE FROM notify_groups WHERE key = ?', [k]);
      for (const n of change.notifications ?? []) {
        await tx.run(`INSERT INTO notify_outbox (${COLUMNS}) VALUES (${COLUMNS.split(',').map(() => '?').join(', ')})`, params(n));
        for (const a of n.alertIds) await tx.run('INSERT INTO notify_outbox_alerts (alert_id, notification_id) VALUES (?, ?) ON CONFLICT DO NOTHING', [a, n.id]);
      }
      for (const t of change.trace ?? []) {
        await tx.run('INSERT INTO notify_trace (alert_id, ts, step, message, details) VALUES (?, ?, ?, ?, ?)', [t.alertId, t.ts, t.step, t.message, t.details ? JSON.stringify(t.details) : null]);
      }
    });
  }

  async groups(): Promise<NotifyGroupRecord[]> {
    return (await this.db.all<{ doc: string }>('SELECT doc FROM notify_groups')).map((r) => JSON.parse(r.doc) as NotifyGroupRecord);
  }

  async claimDue(now: number, leaseMs: number, limit: number): Promise<OutboxRecord[]> {
    const ids = await this.db.all<{ id: string }>(`SELECT id FROM notify_outbox WHERE ${CLAIMABLE} ORDER BY next_attempt_at, created_at LIMIT ?`, [now, now, limit]);
    const out: OutboxRecord[] = [];
    for (const { id } of ids) {
      const r = await this.claimWhere(id, now, leaseMs, CLAIMABLE, [now, now]);
      if (r) out.push(r);
    }
    return out;
  }

  async claim(id: string, now: number, leaseMs: number): Promise<OutboxRecord | null> {
    return this.claimWhere(id, now, leaseMs, "(status = 'pending' OR (status = 'sending' AND lease_until < ?))", [now]);
  }

  private async claimWhere(id: string, now: number, leaseMs: number, cond: string, condParams: SqlParam[]): Promise<OutboxRecord | null> {
    const row = await this.db.get<OutboxRow>(
      `UPDATE notify_outbox SET status = 'sending', lease_until = ?, attempts = attempts + 1 WHERE id = ? AND ${cond} RETURNING ${COLUMNS}`,
      [now + leaseMs, id, ...condParams],
    );
    return row ? toRecord(row) : null;
  }

  async complete(id: string, u: Pick<OutboxRecord, 'status' | 'nextAttemptAt' | 'lastError' | 'deliveredAt'>, a: DeliveryAttempt): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.run('UPDATE notify_outbox SET status = ?, next_attempt_at = ?, last_error = ?, delivered_at = ?, lease_until = NULL WHERE id = ?', [u.status, u.nextAttemptAt, u.lastError, u.deliveredAt, id]);
      await tx.run('INSERT INTO notify_attempts (notification_id, ts, duration_ms, outcome, status_code, error, retry_after_ms) VALUES (?, ?, ?, ?, ?, ?, ?)', [
        id,
        a.ts,
        a.durationMs,
        a.outcome,
        a.statusCode,
        a.error,
        a.retryAfterMs,
      ]);
    });
  }

  async release(id: string, nextAttemptAt: number): Promise<void> {
    await this.db.run("UPDATE notify_outbox SET status = 'pending', next_attempt_at = ?, lease_until = NULL, attempts = attempts - 1 WHERE id = ? AND status = 'sending'", [nextAttemptAt, id]);
  }

  async markFallbackSent(id: string): Promise<void> {
    await this.db.run('UPDATE notify_outbox SET fallback_sent = 1 WHERE id = ?', [id]);
  }

  async overdue(before: number, limit: number): Promise<OutboxRecord[]> {
    const rows = await this.db.all<OutboxRow>(
      `SELECT ${COLUMNS} FROM notify_outbox WHERE status IN ('pending', 'sending', 'failed') AND fallback_sent = 0 AND fallback_of IS NULL AND kind <> 'test' AND created_at < ? ORDER BY created_at LIMIT ?`,
      [before, limit],
    );
    return rows.map(toRecord);
  }

  async get(id: string): Promise<OutboxRecord | null> {
    const r = await this.db.get<OutboxRow>(`SELECT ${COLUMNS} FROM notify_outbox WHERE id = ?`, [id]);
    return r ? toRecord(r) : null;
  }

  async list(q: OutboxQuery): Promise<OutboxRecord[]> {
    const where = new SqlWhere()
      .add(q.status !== undefined, 'status = ?', q.status ?? null)
      .add(q.alertId !== undefined, 'id IN (SELECT notification_id FROM notify_outbox_alerts WHERE alert_id = ?)', q.alertId ?? null)
      .add(q.before !== undefined, 'created_at < ?', q.before ?? null);
    return (await this.db.all<OutboxRow>(`SELECT ${COLUMNS} FROM notify_outbox ${where.toSql()} ORDER BY created_at DESC, id LIMIT ?`, [...where.params, q.limit])).map(toRecord);
  }

  async attempts(id: string): Promise<DeliveryAttempt[]> {
    const rows = await this.db.all<{ ts: number; duration_ms: number; outcome: string; status_code: number | null; error: string | null; retry_after_ms: number | null }>(
      'SELECT ts, duration_ms, outcome, status_code, error, retry_after_ms FROM notify_attempts WHERE notification_id = ? ORDER BY id',
      [id],
    );
    return rows.map((r) => ({ ts: Number(r.ts), durationMs: Number(r.duration_ms), outcome: r.outcome as DeliveryAttempt['outcome'], statusCode: num(r.status_code), error: r.error, retryAfterMs: num(r.retry_after_ms) }));
  }

  async trace(alertId: string, limit: number): Promise<TraceRecord[]> {
    const rows = await this.db.all<{ ts: number; step: string; message: string; details: string | null }>(
      'SELECT ts, step, message, details FROM notify_trace WHERE alert_id = ? ORDER BY id DESC LIMIT ?',
      [alertId, limit],
    );
    return rows.reverse().map((r) => ({ alertId, ts: Number(r.ts), step: r.step as TraceRecord['step'], message: r.message, ...(r.details ? { details: JSON.parse(r.details) as Record<string, unknown> } : {}) }));
  }

  async countByStatus(): Promise<Record<string, number>> {
    const rows = await this.db.all<{ status: string; n: number }>('SELECT status, COUNT(*) AS n FROM notify_outbox GROUP BY status');
    return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
  }

  async prune(before: number): Promise<number> {
    return this.db.transaction(async (tx) => {
      const cond = "status IN ('delivered', 'failed', 'dead') AND created_at < ?";
      await tx.run(`DELETE FROM notify_attempts WHERE notification_id IN (SELECT id FROM notify_outbox WHERE ${cond})`, [before]);
      await tx.run(`DELETE FROM notify_outbox_alerts WHERE notification_id IN (SELECT id FROM notify_outbox WHERE ${cond})`, [before]);
      const n = (await tx.run(`DELETE FROM notify_outbox WHERE ${cond}`, [before])).changes;
      await tx.run('DELETE FROM notify_trace WHERE ts < ?', [before]);
      return n;
    });
  }
}
