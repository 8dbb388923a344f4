import {
  SECURITY_EVENT_LIMITS,
  SECURITY_EVENT_QUERY_PARAMS,
  SECURITY_EVENT_SORTS,
  SECURITY_EVENT_TYPES,
  SEVERITIES,
  TRIAGE_STATES,
  type SecurityEventSort,
} from '../../protocol/security.js';
import { VigilError } from '../core/errors.js';
import type { SecurityEventCursor, SecurityEventFilter } from '../storage/security-event-repo.js';

/** A validated `GET /api/v1/events` query. */
export interface EventQuery {
  filter: SecurityEventFilter;
  sort: SecurityEventSort;
  cursor: SecurityEventCursor | null;
  /** Page size: default 50, values above 1000 are capped to 1000. */
  limit: number;
}

/** Raw query string values as Fastify parses them (a repeated name gives an array). */
export type RawQuery = Record<string, string | string[] | undefined>;

/** Longest free-text query, characters. */
export const MAX_TEXT_QUERY = 200;
/** Most values of one multi-valued parameter. */
const MAX_VALUES = 50;

const RFC3339_RE = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})$/;

function invalid(param: string, message: string, details: Record<string, unknown> = {}): VigilError {
  return new VigilError('VIGIL_ERR_VALIDATION', `${param}: ${message}`, { param, ...details });
}

/** Values of a multi-valued parameter: repeated (`a=x&a=y`) and/or comma-separated (`a=x,y`). */
function values(raw: RawQuery, name: string): string[] | undefined {
  const v = raw[name];
  if (v === undefined) return undefined;
  const list = [v]
    .flat()
    .flatMap((s) => s.split(','))
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (list.length > MAX_VALUES) throw invalid(name, `at most ${MAX_VALUES} values`);
  return list.length ? list : undefined;
}

/** One value of a single-valued parameter. */
function single(raw: RawQuery, name: string): string | undefined {
  const v = raw[name];
  if (Array.isArray(v)) throw invalid(name, 'give this parameter once');
  return v;
}

/** A multi-valued parameter restricted to `allowed`; unknown values → 400 listing the allowed set. */
function enumValues<T extends string>(raw: RawQuery, name: string, allowed: readonly T[]): T[] | undefined {
  const list = values(raw, name);
  if (!list) return undefined;
  const bad = list.filter((v) => !(allowed as readonly string[]).includes(v));
  if (bad.length) throw invalid(name, `unknown value(s) ${bad.slice(0, 5).join(', ')}; allowed: ${allowed.join(', ')}`, { values: bad.slice(0, 5), allowed });
  return [...new Set(list)] as T[];
}

/** Parses an RFC 3339 timestamp (e.g. `2026-12-06T02:00:00Z`) to ms. */
export function parseRfc3339(name: string, v: string): number {
  const ms = RFC3339_RE.test(v) ? Date.parse(v.replace(' ', 'T')) : NaN;
  if (!Number.isFinite(ms)) throw invalid(name, 'must be an RFC 3339 timestamp such as 2026-12-06T02:00:00Z');
  return ms;
}

/** Opaque cursor of the row after which the next page starts. */
export function encodeCursor(c: SecurityEventCursor): string {
  return Buffer.from(JSON.stringify([c.sort, c.ts, c.severityRank, c.eventId])).toString('base64url');
}

/** Decodes a cursor made by {@link encodeCursor} for `sort`; anything else → 400. */
export function decodeCursor(v: string, sort: SecurityEventSort): SecurityEventCursor {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(v, 'base64url').toString('utf8'));
  } catch {
    parsed = null;
  }
  if (!Array.isArray(parsed) || parsed.length !== 4) throw invalid('cursor', 'is not a cursor returned by this API');
  const [s, ts, rank, id] = parsed as unknown[];
  if (s !== sort) throw invalid('cursor', `was made for sort=${String(s)}; keep the same sort while paging`);
  if (!Number.isSafeInteger(ts) || !Number.isInteger(rank) || typeof id !== 'string' || id.length > 64) throw invalid('cursor', 'is not a cursor returned by this API');
  return { sort, ts: ts as number, severityRank: rank as number, eventId: id };
}

function parseBool(name: string, v: string | undefined): boolean | undefined {
  if (v === undefined) return undefined;
  if (v === 'true' || v === '1') return true;
  if (v === 'false' || v === '0') return false;
  throw invalid(name, 'must be true or false', { allowed: ['true', 'false'] });
}

function parseLimit(v: string | undefined): number {
  if (v === undefined) return SECURITY_EVENT_LIMITS.defaultLimit;
  if (!/^\d{1,9}$/.test(v) || Number(v) < 1) throw invalid('limit', `must be an integer from 1 to ${SECURITY_EVENT_LIMITS.maxLimit}`);
  return Math.min(Number(v), SECURITY_EVENT_LIMITS.maxLimit);
}

function strings(raw: RawQuery, name: string, max: number): string[] | undefined {
  const list = values(raw, name);
  if (list?.some((v) => v.length > max)) throw invalid(name, `values are at most ${max} characters`);
  return list;
}

/**
 * Validates the query of `GET /api/v1/events` (and the export). Unknown parameter names and
 * unknown enum values are 400 `VIGIL_ERR_VALIDATION` with the allowed set in `details.allowed`.
 */
export function parseEventQuery(raw: RawQuery, allowedParams: readonly string[] = SECURITY_EVENT_QUERY_PARAMS): EventQuery {
  const unknown = Object.keys(raw).filter((k) => !allowedParams.includes(k));
  if (unknown.length) throw invalid(unknown[0] as string, 'unknown query parameter', { allowed: allowedParams });
  const filter: SecurityEventFilter = {};
  const eventTypes = enumValues(raw, 'event_type', SECURITY_EVENT_TYPES);
  if (eventTypes) filter.eventTypes = eventTypes;
  const severities = enumValues(raw, 'severity', SEVERITIES);
  if (severities) filter.severities = severities;
  const triage = enumValues(raw, 'triage', TRIAGE_STATES);
  if (triage) filter.triage = triage;
  const hosts = strings(raw, 'host', 255);
  if (hosts) filter.hosts = hosts;
  const agentIds = strings(raw, 'agent_id', 64);
  if (agentIds) filter.agentIds = agentIds;
  const from = single(raw, 'from');
  if (from !== undefined) filter.from = parseRfc3339('from', from);
  const to = single(raw, 'to');
  if (to !== undefined) filter.to = parseRfc3339('to', to);
  if (filter.from !== undefined && filter.to !== undefined && filter.from >= filter.to) throw invalid('from', 'must be before to');
  const q = single(raw, 'q');
  if (q !== undefined) {
    if (q.length > MAX_TEXT_QUERY) throw invalid('q', `at most ${MAX_TEXT_QUERY} characters`);
    if (q.trim() !== '') filter.text = q;
  }
  const correlationId = single(raw, 'correlation_id');
  if (correlationId !== undefined) {
    if (correlationId.length > 200) throw invalid('correlation_id', 'at most 200 characters');
    filter.correlationId = correlationId;
  }
  const inc = parseBool('include_suppressed', single(raw, 'include_suppressed'));
  if (inc !== undefined) filter.includeSuppressed = inc;
  const sortRaw = single(raw, 'sort') ?? 'time';
  if (!(SECURITY_EVENT_SORTS as readonly string[]).includes(sortRaw)) throw invalid('sort', `unknown value ${sortRaw}; allowed: ${SECURITY_EVENT_SORTS.join(', ')}`, { values: [sortRaw], allowed: SECURITY_EVENT_SORTS });
  const sort = sortRaw as SecurityEventSort;
  const cursorRaw = single(raw, 'cursor');
  const cursor = cursorRaw === undefined || cursorRaw === '' ? null : decodeCursor(cursorRaw, sort);
  return { filter, sort, cursor, limit: parseLimit(single(raw, 'limit')) };
}
