import { parseDuration, ParseError } from '../../protocol/duration.js';

const RFC3339_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/i;

/**
 * Parses a query time: ms since epoch (integer), RFC 3339 (`2026-11-22T10:00:00Z`), `now`, or
 * `now-<duration>` / `now+<duration>`.
 * @throws ParseError for anything else.
 */
export function parseTime(text: string, now: number): number {
  const t = text.trim();
  if (/^\d{1,16}$/.test(t)) return Number(t);
  if (t === 'now') return now;
  const rel = /^now([+-])(.+)$/.exec(t);
  if (rel) return now + (rel[1] === '-' ? -1 : 1) * parseDuration(rel[2] as string);
  if (RFC3339_RE.test(t)) {
    const ms = Date.parse(t);
    if (Number.isFinite(ms)) return ms;
  }
  throw new ParseError(`"${t.slice(0, 50)}" is not a time: use ms since epoch, RFC 3339, "now" or "now-1h"`, 0);
}

/** Parses a step: a duration (`15s`) or a positive integer of ms. */
export function parseStep(text: string): number {
  const t = text.trim();
  if (/^\d{1,12}$/.test(t)) return Number(t);
  return parseDuration(t);
}
