import { severityRank, type SecurityEvent } from '../../protocol/security.js';
import type { SecurityEventRepo } from '../storage/security-event-repo.js';
import type { EventQuery } from './parse-event-query.js';

/** Export formats of `GET /api/v1/events/export`. */
export const EXPORT_FORMATS = ['csv', 'json'] as const;
/** An export format. */
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** Rows one export writes at most (default 100,000). */
export const EXPORT_MAX_ROWS = 100_000;
/** Rows read per page while streaming. */
const PAGE = 1000;

const CSV_COLUMNS = ['event_id', 'time', 'host', 'agent_id', 'event_type', 'severity', 'source', 'description', 'correlation_id', 'mitre_technique', 'triage', 'suppressed_by', 'metadata'] as const;

/**
 * One CSV cell. Cells a spreadsheet would run as a formula (starting with `=`, `+`, `-`, `@`, tab
 * or carriage return) get a leading `'` (OWASP "CSV injection"); cells with separators, quotes
 * or line breaks are quoted.
 */
export function csvCell(v: string): string {
  const safe = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

function csvRow(e: SecurityEvent): string {
  const cells: Record<(typeof CSV_COLUMNS)[number], string> = {
    event_id: e.event_id,
    time: new Date(e.ts).toISOString(),
    host: e.host,
    agent_id: e.agent_id ?? '',
    event_type: e.event_type,
    severity: e.severity,
    source: e.source,
    description: e.description,
    correlation_id: e.correlation_id ?? '',
    mitre_technique: e.mitre_technique ?? '',
    triage: e.triage,
    suppressed_by: e.suppressed_by ?? '',
    metadata: e.metadata === undefined ? '' : JSON.stringify(e.metadata),
  };
  return `${CSV_COLUMNS.map((c) => csvCell(cells[c])).join(',')}\r\n`;
}

/**
 * Streams the filtered events (the query's sort, from its cursor) as CSV or a JSON array, page by
 * page so memory stays bounded, stopping after `maxRows`.
 */
export async function* exportEvents(repo: SecurityEventRepo, q: EventQuery, format: ExportFormat, maxRows = EXPORT_MAX_ROWS): AsyncGenerator<string> {
  yield format === 'csv' ? `${CSV_COLUMNS.join(',')}\r\n` : '[';
  let cursor = q.cursor;
  let written = 0;
  while (written < maxRows) {
    const rows = await repo.search(q.filter, q.sort, cursor, Math.min(PAGE, maxRows - written));
    if (rows.length === 0) break;
    let chunk = '';
    for (const e of rows) {
      chunk += format === 'csv' ? csvRow(e) : `${written === 0 ? '' : ','}\n${JSON.stringify(e)}`;
      written++;
    }
    yield chunk;
    const last = rows[rows.length - 1] as SecurityEvent;
    cursor = { sort: q.sort, ts: last.ts, severityRank: severityRank(last.severity), eventId: last.event_id };
    if (rows.length < PAGE) break;
  }
  if (format === 'json') yield '\n]\n';
}
