import type { AuditEntry } from '../storage/audit-repo.js';

/** Columns of the CSV export, in order. */
export const AUDIT_CSV_COLUMNS = ['id', 'time', 'actor', 'action', 'target', 'outcome', 'ip', 'user_agent', 'details', 'prev_hash', 'hash'] as const;

/**
 * One CSV field (RFC 4180 quoting), defused against formula injection: a value starting with
 * `=`, `+`, `-`, `@`, tab or carriage return would be run as a formula by spreadsheet apps
 * (OWASP "CSV injection"), so it gets a leading apostrophe.
 */
export function csvField(value: string | number | null): string {
  if (value === null) return '';
  let s = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) || s !== s.trim() ? `"${s.replace(/"/g, '""')}"` : s;
}

/** The CSV header line (with CRLF). */
export function auditCsvHeader(): string {
  return `${AUDIT_CSV_COLUMNS.join(',')}\r\n`;
}

/** One entry as a CSV line (with CRLF); time in UTC ISO 8601. */
export function auditCsvRow(e: AuditEntry): string {
  const cells = [e.id, new Date(e.ts).toISOString(), e.actor, e.action, e.target, e.outcome, e.ip, e.userAgent, e.details ? JSON.stringify(e.details) : null, e.prevHash, e.hash];
  return `${cells.map(csvField).join(',')}\r\n`;
}

/** Parses one CSV line made by {@link auditCsvRow} back into fields (for tests and tooling). */
export function parseCsvLine(line: string): string[] {
  const out: string[] = [];
  let i = 0;
  const text = line.replace(/\r\n$/, '');
  while (i <= text.length) {
    if (text[i] === '"') {
      let v = '';
      i++;
      for (;;) {
        const q = text.indexOf('"', i);
        if (q < 0) throw new Error('unterminated quote');
        v += text.slice(i, q);
        if (text[q + 1] === '"') {
          v += '"';
          i = q + 2;
        } else {
          i = q + 1;
          break;
        }
      }
      out.push(v);
      i++; // the comma
    } else {
      const c = text.indexOf(',', i);
      const end = c < 0 ? text.length : c;
      out.push(text.slice(i, end));
      i = end + 1;
    }
  }
  return out;
}
