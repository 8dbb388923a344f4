import type { AlertQuery, AlertRecord, AlertRepo, TransitionRecord } from '../alert-repo.js';
import type { SqlDb, SqlParam } from '../sql-db.js';
import { SqlWhere } from './sql-where.js';

interface AlertRow {
  doc: string;
  seq: number;
}

interface TransitionRow {
  id: number;
  alert_id: string;
  ts: number;
  kind: string;
  from_state: string;
  to_state: string;
  severity: string;
  value: number | null;
  reason: string;
  actor: string | null;
}

function toAlert(r: AlertRow): AlertRecord {
  return { ...(JSON.parse(r.doc) as Omit<AlertRecord, 'seq'>), seq: Number(r.seq) };
}

function placeholders(n: number): string {
  return Array.from({ length: n }, () => '?').join(', ');
}

/** {@link AlertRepo} over SQL. The change counter lives in the one-row `alert_seq` table. */
export class SqlAlertRepo implements AlertRepo {
  constructor(private readonly db: SqlDb) {}

  async loadAll(): Promise<AlertRecord[]> {
    return (await this.db.all<AlertRow>('SELECT doc, seq FROM alerts')).map(toAlert);
  }

  async get(id: string): Promise<AlertRecord | null> {
    const r = await this.db.get<AlertRow>('SELECT doc, seq FROM alerts WHERE id = ?', [id]);
    return r ? toAlert(r) : null;
  }

  async list(q: AlertQuery): Promise<AlertRecord[]> {
    const where = new SqlWhere()
      .add(!!q.states?.length, `state IN (${placeholders(q.states?.length ?? 0)})`, ...(q.states ?? []))
      .add(!!q.severities?.length, `severity IN (${placeholders(q.severities?.length ?? 0)})`, ...(q.severities ?? []))
      .add(q.ruleId !== undefined, 'rule_id = ?', q.ruleId ?? null);
    return (await this.db.all<AlertRow>(`SELECT doc, seq FROM alerts ${where.toSql()} ORDER BY updated_at DESC, id LIMIT ?`, [...where.params, q.limit])).map(toAlert);
  }

  async changedSince(seq: number, limit: number): Promise<AlertRecord[]> {
    return (await this.db.all<AlertRow>('SELECT doc, seq FROM alerts WHERE seq > ? ORDER BY seq LIMIT ?', [seq, limit])).map(toAlert);
  }

  async save(alerts: readonly Omit<AlertRecord, 'seq'>[], transitions: readonly TransitionRecord[]): Promise<number[]> {
    if (alerts.length === 0 && transitions.length === 0) return [];
    return this.db.transaction(async (tx) => {
      const seqs: number[] = [];
      if (alerts.length > 0) {
        const top = await tx.get<{ v: number }>('UPDATE alert_seq SET v = v + ? WHERE id = 1 RETURNING v', [alerts.length]);
        const first = Number(top?.v ?? alerts.length) - alerts.length + 1;
        for (let i = 0; i < alerts.length; i++) {
          const a = alerts[i] as Omit<AlertRecord, 'seq'>;
          const seq = first + i;
          seqs.push(seq);
          await tx.run(
            `INSERT INTO alerts (id, rule_id, state, severity, seq, updated_at, doc) VALUES (?, ?, ?, ?, ?, ?, ?)
             ON CONFLICT (id) DO UPDATE SET rule_id = excluded.rule_id, state = excluded.state, severity = excluded.severity, seq = excluded.seq, updated_at = excluded.updated_at, doc = excluded.doc`,
            [a.id, a.ruleId, a.state, a.severity, seq, a.updatedAt, JSON.stringify(a)],
          );
        }
      }
      for (const t of transitions) {
        const params: SqlParam[] = [t.alertId, t.ts, t.kind, t.from, t.to, t.severity, t.value, t.reason, t.actor];
        await tx.run('INSERT INTO alert_transitions (alert_id, ts, kind, from_state, to_state, severity, value, reason, actor) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)', params);
      }
      return seqs;
    });
  }

  async transitions(alertId: string, limit: number): Promise<(TransitionRecord & { id: number })[]> {
    const rows = await this.db.all<TransitionRow>('SELECT id, alert_id, ts, kind, from_state, to_state, severity, value, reason, actor FROM alert_transitions WHERE alert_id = ? ORDER BY id DESC LIMIT ?', [alertId, limit]);
    return rows.map((r) => ({
      id: Number(r.id),
      alertId: r.alert_id,
      ts: Number(r.ts),
      kind: r.kind as TransitionRecord['kind'],
      from: r.from_state as TransitionRecord['from'],
      to: r.to_state as TransitionRecord['to'],
      severity: r.severity as TransitionRecord['severity'],
      value: r.value,
      reason: r.reason,
      actor: r.actor,
    }));
  }

  async deleteForRule(ruleId: string): Promise<number> {
    return this.db.transaction(async (tx) => {
      await tx.run('DELETE FROM alert_transitions WHERE alert_id IN (SELECT id FROM alerts WHERE rule_id = ?)', [ruleId]);
      return (await tx.run('DELETE FROM alerts WHERE rule_id = ?', [ruleId])).changes;
    });
  }

  async prune(before: number): Promise<number> {
    return this.db.transaction(async (tx) => {
      const cond = "state IN ('inactive', 'resolved') AND updated_at < ?";
      await tx.run(`DELETE FROM alert_transitions WHERE alert_id IN (SELECT id FROM alerts WHERE ${cond})`, [before]);
      return (await tx.run(`DELETE FROM alerts WHERE ${cond}`, [before])).changes;
    });
  }
}
