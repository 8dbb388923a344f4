import { SEVERITIES, severityRank, type SavedFilters, type SecurityEvent, type SecurityEventFacets, type SecurityEventSort, type SecurityEventType, type Severity, type Suppression, type TriageHistoryEntry, type TriageState } from '../../../protocol/security.js';
import type { SavedFilterRepo, SecurityEventCursor, SecurityEventFilter, SecurityEventRepo, SuppressionMatch, SuppressionRepo } from '../security-event-repo.js';
import type { SqlDb, SqlParam } from '../sql-db.js';
import { SqlWhere } from './sql-where.js';


interface EventRow {
  event_id: string;
  ts: number;
  host: string;
  agent_id: string | null;
  event_type: string;
  severity: string;
  source: string;
  description: string;
  correlation_id: string | null;
  mitre_technique: string | null;
  metadata: string | null;
  triage: string;
  suppressed_by: string | null;
  received_at: number;
}

const COLUMNS = 'event_id, ts, host, agent_id, event_type, severity, source, description, correlation_id, mitre_technique, metadata, triage, suppressed_by, received_at';

function toEvent(r: EventRow): SecurityEvent {
  const e: SecurityEvent = {
    event_id: r.event_id,
    ts: Number(r.ts),
    host: r.host,
    agent_id: r.agent_id,
    event_type: r.event_type as SecurityEventType,
    severity: r.severity as Severity,
    source: r.source,
    description: r.description,
    triage: r.triage as TriageState,
    suppressed_by: r.suppressed_by,
    received_at: Number(r.received_at),
  };
  if (r.correlation_id !== null) e.correlation_id = r.correlation_id;
  if (r.mitre_technique !== null) e.mitre_technique = r.mitre_technique;
  if (r.metadata !== null) e.metadata = JSON.parse(r.metadata) as Record<string, unknown>;
  return e;
}

/** `metadata.src_ip` as a string when present (copied to its own column for suppression matching). */
function srcIpOf(e: SecurityEvent): string | null {
  const v = e.metadata?.['src_ip'];
  return typeof v === 'string' && v.length <= 64 ? v : null;
}

/** Events per multi-row INSERT (16 parameters each, well under SQLite's 32,766 limit). */
const INSERT_CHUNK = 100;
const INSERT_ROW = '(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)';

function insertParams(e: SecurityEvent): SqlParam[] {
  return [
    e.event_id,
    e.ts,
    e.host,
    e.agent_id,
    e.event_type,
    e.severity,
    severityRank(e.severity),
    e.source,
    e.description,
    e.correlation_id ?? null,
    e.mitre_technique ?? null,
    e.metadata === undefined ? null : JSON.stringify(e.metadata),
    srcIpOf(e),
    e.triage,
    e.suppressed_by,
    e.received_at,
  ];
}

/** `?, ?, ?` for `n` parameters. */
function placeholders(n: number): string {
  return Array.from({ length: n }, () => '?').join(', ');
}

/**
 * FTS5 query for free text: each whitespace-separated term becomes a quoted phrase (so `10.0.0.5`
 * matches that address, and no operator syntax leaks through); terms without a letter or digit are
 * dropped. Null when nothing searchable is left.
 */
export function ftsQuery(text: string): string | null {
  const terms = text
    .split(/\s+/)
    .filter((t) => /[\p{L}\p{N}]/u.test(t))
    .map((t) => `"${t.replace(/"/g, '""')}"`);
  return terms.length ? terms.join(' ') : null;
}

/** `%…%` LIKE pattern of `text` (lower case) with `\`, `%` and `_` escaped. */
function likePattern(text: string): string {
  return `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** {@link SecurityEventRepo} over SQL. Free text uses FTS5 on SQLite and `LOWER(description) LIKE` elsewhere. */
export class SqlSecurityEventRepo implements SecurityEventRepo {
  constructor(private readonly db: SqlDb) {}

  private where(f: SecurityEventFilter): SqlWhere {
    const w = new SqlWhere();
    const list = <T extends SqlParam>(col: string, values: readonly T[] | undefined) => w.add(values !== undefined && values.length > 0, `${col} IN (${placeholders(values?.length ?? 0)})`, ...(values ?? []));
    list('event_type', f.eventTypes);
    list('severity_rank', f.severities?.map(severityRank));
    list('host', f.hosts);
    list('agent_id', f.agentIds);
    list('triage', f.triage);
    w.add(f.from !== undefined, 'ts >= ?', f.from ?? 0);
    w.add(f.to !== undefined, 'ts < ?', f.to ?? 0);
    w.add(f.correlationId !== undefined, 'correlation_id = ?', f.correlationId ?? '');
    w.add(!f.includeSuppressed, 'suppressed_by IS NULL');
    if (f.text !== undefined && f.text.trim() !== '') {
      const fts = this.db.dialect === 'sqlite' ? ftsQuery(f.text) : null;
      if (fts !== null) w.add(true, 'rowid IN (SELECT rowid FROM security_events_fts WHERE security_events_fts MATCH ?)', fts);
      else w.add(true, "LOWER(description) LIKE ? ESCAPE '\\'", likePattern(f.text.trim()));
    }
    return w;
  }

  async insert(events: readonly SecurityEvent[]): Promise<string[]> {
    if (events.length === 0) return [];
    return this.db.transaction(async (tx) => {
      const inserted: string[] = [];
      // Multi-row statements (RETURNING: SQLite ≥ 3.35, PostgreSQL) keep the per-statement overhead off the per-event cost.
      for (let i = 0; i < events.length; i += INSERT_CHUNK) {
        const chunk = events.slice(i, i + INSERT_CHUNK);
        const rows = await tx.all<{ event_id: string }>(
          `INSERT INTO security_events (event_id, ts, host, agent_id, event_type, severity, severity_rank, source, description, correlation_id, mitre_technique, metadata, src_ip, triage, suppressed_by, received_at)
           VALUES ${chunk.map(() => INSERT_ROW).join(', ')} ON CONFLICT (event_id) DO NOTHING RETURNING event_id`,
          chunk.flatMap(insertParams),
        );
        inserted.push(...rows.map((r) => r.event_id));
      }
      return inserted;
    });
  }

  async get(eventId: string): Promise<SecurityEvent | null> {
    const r = await this.db.get<EventRow>(`SELECT ${COLUMNS} FROM security_events WHERE event_id = ?`, [eventId]);
    return r ? toEvent(r) : null;
  }

  async search(filter: SecurityEventFilter, sort: SecurityEventSort, cursor: SecurityEventCursor | null, limit: number): Promise<SecurityEvent[]> {
    // Naming every rank lets the severity index deliver rows already in (rank, ts) order instead of sorting the whole range.
    const w = this.where(sort === 'severity' && !filter.severities?.length ? { ...filter, severities: SEVERITIES } : filter);
    if (cursor) {
      if (sort === 'time') w.add(true, '(ts, event_id) < (?, ?)', cursor.ts, cursor.eventId);
      else w.add(true, '(severity_rank, ts, event_id) < (?, ?, ?)', cursor.severityRank, cursor.ts, cursor.eventId);
    }
    const order = sort === 'time' ? 'ts DESC, event_id DESC' : 'severity_rank DESC, ts DESC, event_id DESC';
    const rows = await this.db.all<EventRow>(`SELECT ${COLUMNS} FROM security_events ${w.toSql()} ORDER BY ${order} LIMIT ?`, [...w.params, limit]);
    return rows.map(toEvent);
  }

  async count(filter: SecurityEventFilter): Promise<number> {
    const w = this.where(filter);
    const r = await this.db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM security_events ${w.toSql()}`, w.params);
    return Number(r?.n ?? 0);
  }

  async facets(filter: SecurityEventFilter): Promise<SecurityEventFacets> {
    const w = this.where(filter);
    // Grouping by the rank (not the name) keeps the query covered by the time/severity indexes.
    const rows = await this.db.all<{ severity_rank: number; event_type: SecurityEventType; triage: TriageState; n: number }>(
      `SELECT severity_rank, event_type, triage, COUNT(*) AS n FROM security_events ${w.toSql()} GROUP BY severity_rank, event_type, triage`,
      w.params,
    );
    const facets: SecurityEventFacets = { severity: {}, event_type: {}, triage: {} };
    for (const row of rows) {
      const r = { ...row, severity: SEVERITIES[Number(row.severity_rank) - 1] as Severity };
      const n = Number(r.n);
      facets.severity[r.severity] = (facets.severity[r.severity] ?? 0) + n;
      facets.event_type[r.event_type] = (facets.event_type[r.event_type] ?? 0) + n;
      facets.triage[r.triage] = (facets.triage[r.triage] ?? 0) + n;
    }
    return facets;
  }

  async countMatching(match: SuppressionMatch, since: number): Promise<number> {
    const w = new SqlWhere()
      .add(true, 'event_type = ?', match.eventType)
      .add(true, 'ts >= ?', since)
      .add(match.host !== null, 'host = ?', match.host ?? '')
      .add(match.srcIp !== null, 'src_ip = ?', match.srcIp ?? '');
    const r = await this.db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM security_events ${w.toSql()}`, w.params);
    return Number(r?.n ?? 0);
  }

  async setTriage(eventId: string, from: TriageState, to: TriageState, actor: string, note: string | null, at: number): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const r = await tx.run('UPDATE security_events SET triage = ? WHERE event_id = ? AND triage = ?', [to, eventId, from]);
      if (r.changes !== 1) return false;
      await tx.run('INSERT INTO security_triage_history (event_id, at, actor, from_state, to_state, note) VALUES (?, ?, ?, ?, ?, ?)', [eventId, at, actor, from, to, note]);
      return true;
    });
  }

  async triageHistory(eventId: string): Promise<TriageHistoryEntry[]> {
    const rows = await this.db.all<{ at: number; actor: string; from_state: TriageState; to_state: TriageState; note: string | null }>(
      'SELECT at, actor, from_state, to_state, note FROM security_triage_history WHERE event_id = ? ORDER BY id',
      [eventId],
    );
    return rows.map((r) => ({ at: Number(r.at), actor: r.actor, from: r.from_state, to: r.to_state, note: r.note }));
  }

  async linkCorrelation(eventIds: readonly string[], correlationId: string): Promise<number> {
    if (eventIds.length === 0) return 0;
    return (await this.db.run(`UPDATE security_events SET correlation_id = ? WHERE correlation_id IS NULL AND event_id IN (${placeholders(eventIds.length)})`, [correlationId, ...eventIds])).changes;
  }

  async getMany(eventIds: readonly string[]): Promise<SecurityEvent[]> {
    if (eventIds.length === 0) return [];
    return (await this.db.all<EventRow>(`SELECT ${COLUMNS} FROM security_events WHERE event_id IN (${placeholders(eventIds.length)})`, [...eventIds])).map(toEvent);
  }

  async deleteBefore(before: number, max: number): Promise<number> {
    const ids = (await this.db.all<{ event_id: string }>('SELECT event_id FROM security_events WHERE ts < ? ORDER BY ts LIMIT ?', [before, max])).map((r) => r.event_id);
    if (ids.length === 0) return 0;
    return this.db.transaction(async (tx) => {
      let n = 0;
      for (let i = 0; i < ids.length; i += 500) {
        const chunk = ids.slice(i, i + 500);
        n += (await tx.run(`DELETE FROM security_events WHERE event_id IN (${placeholders(chunk.length)})`, chunk)).changes;
        await tx.run(`DELETE FROM security_triage_history WHERE event_id IN (${placeholders(chunk.length)})`, chunk);
      }
      return n;
    });
  }
}

interface SuppressionRow {
  id: string;
  event_type: string;
  host: string | null;
  src_ip: string | null;
  reason: string;
  created_by: string;
  created_at: number;
  expires_at: number;
  ended_at: number | null;
}

function toSuppression(r: SuppressionRow): Suppression {
  return {
    id: r.id,
    event_type: r.event_type as SecurityEventType,
    host: r.host,
    src_ip: r.src_ip,
    reason: r.reason,
    created_by: r.created_by,
    created_at: Number(r.created_at),
    expires_at: Number(r.expires_at),
    ended_at: r.ended_at === null ? null : Number(r.ended_at),
  };
}

/** {@link SuppressionRepo} over SQL. */
export class SqlSuppressionRepo implements SuppressionRepo {
  constructor(private readonly db: SqlDb) {}

  async add(s: Suppression): Promise<void> {
    await this.db.run('INSERT INTO security_suppressions (id, event_type, host, src_ip, reason, created_by, created_at, expires_at, ended_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)', [
      s.id,
      s.event_type,
      s.host,
      s.src_ip,
      s.reason,
      s.created_by,
      s.created_at,
      s.expires_at,
      s.ended_at,
    ]);
  }

  async get(id: string): Promise<Suppression | null> {
    const r = await this.db.get<SuppressionRow>('SELECT * FROM security_suppressions WHERE id = ?', [id]);
    return r ? toSuppression(r) : null;
  }

  async active(at: number): Promise<Suppression[]> {
    return (await this.db.all<SuppressionRow>('SELECT * FROM security_suppressions WHERE expires_at > ? AND ended_at IS NULL ORDER BY created_at DESC, id', [at])).map(toSuppression);
  }

  async list(limit: number): Promise<Suppression[]> {
    return (await this.db.all<SuppressionRow>('SELECT * FROM security_suppressions ORDER BY created_at DESC, id LIMIT ?', [limit])).map(toSuppression);
  }

  async end(id: string, at: number): Promise<boolean> {
    return (await this.db.run('UPDATE security_suppressions SET ended_at = ? WHERE id = ? AND ended_at IS NULL', [at, id])).changes === 1;
  }
}

/** {@link SavedFilterRepo} over SQL. */
export class SqlSavedFilterRepo implements SavedFilterRepo {
  constructor(private readonly db: SqlDb) {}

  async get(userId: string): Promise<SavedFilters | null> {
    const r = await this.db.get<{ doc: string }>('SELECT doc FROM security_saved_filters WHERE user_id = ?', [userId]);
    return r ? (JSON.parse(r.doc) as SavedFilters) : null;
  }

  async set(userId: string, filters: SavedFilters, at: number): Promise<void> {
    await this.db.run('INSERT INTO security_saved_filters (user_id, doc, updated_at) VALUES (?, ?, ?) ON CONFLICT (user_id) DO UPDATE SET doc = excluded.doc, updated_at = excluded.updated_at', [
      userId,
      JSON.stringify(filters),
      at,
    ]);
  }
}
