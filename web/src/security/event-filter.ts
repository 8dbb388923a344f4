import { SECURITY_EVENT_TYPES, SEVERITIES, TRIAGE_STATES, type SecurityEventType, type Severity, type TriageState } from '../../../src/protocol/security.js';
import type { QueryParams } from '../api/api-client.js';

/** Sort orders of the SOC list: newest first, or most severe first (critical first, then newest). */
export const SORTS = ['time', 'severity'] as const;
/** A sort order of the SOC list. */
export type EventSort = (typeof SORTS)[number];

/**
 * The SOC view's filters. Empty lists and empty strings mean "no filter on this field". `from`
 * and `to` are RFC 3339 instants (what the API takes and what a shared link carries).
 */
export interface SecurityFilter {
  types: SecurityEventType[];
  severities: Severity[];
  host: string;
  from: string;
  to: string;
  q: string;
  triage: TriageState[];
  includeSuppressed: boolean;
  sort: EventSort;
}

/** Longest free-text query the API accepts, characters. */
export const MAX_TEXT_QUERY = 200;

/** No filter: every unsuppressed event, newest first. */
export const EMPTY_FILTER: SecurityFilter = { types: [], severities: [], host: '', from: '', to: '', q: '', triage: [], includeSuppressed: false, sort: 'time' };

/** URL query keys of the SOC page (also the keys a saved filter stores). */
export type FilterKey = 'type' | 'severity' | 'host' | 'from' | 'to' | 'q' | 'triage' | 'suppressed' | 'sort';

/** Keeps the known values of a comma list, in the canonical order of `allowed`, without repeats. */
function listOf<T extends string>(raw: string | null, allowed: readonly T[]): T[] {
  if (!raw) return [];
  const given = new Set(raw.split(','));
  return allowed.filter((v) => given.has(v));
}

/** An RFC 3339 instant (what the API accepts), or '' for anything else. */
function instantOrEmpty(raw: string | null): string {
  if (!raw) return '';
  return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/i.test(raw) && !Number.isNaN(Date.parse(raw)) ? raw : '';
}

/**
 * Reads the filters from a page's query string. Unknown values are dropped rather than sent (a
 * hand-edited link must not make the page fail), so the result always passes the API's checks.
 */
export function filterFromSearch(search: URLSearchParams): SecurityFilter {
  const sort = search.get('sort');
  return {
    types: listOf(search.get('type'), SECURITY_EVENT_TYPES),
    severities: listOf(search.get('severity'), SEVERITIES),
    host: (search.get('host') ?? '').trim().slice(0, 255),
    from: instantOrEmpty(search.get('from')),
    to: instantOrEmpty(search.get('to')),
    q: (search.get('q') ?? '').slice(0, MAX_TEXT_QUERY),
    triage: listOf(search.get('triage'), TRIAGE_STATES),
    includeSuppressed: search.get('suppressed') === '1',
    sort: sort === 'severity' ? 'severity' : 'time',
  };
}

/**
 * The query-string changes (for `withSearch`) that put `f` in the URL; defaults are removed so
 * the plain page has a plain URL. Other keys of the page's URL are left alone.
 */
export function filterToSearchChanges(f: SecurityFilter): Record<FilterKey, string | null> {
  return {
    type: f.types.length ? f.types.join(',') : null,
    severity: f.severities.length ? f.severities.join(',') : null,
    host: f.host.trim() || null,
    from: f.from || null,
    to: f.to || null,
    q: f.q.trim() || null,
    triage: f.triage.length ? f.triage.join(',') : null,
    suppressed: f.includeSuppressed ? '1' : null,
    sort: f.sort === 'time' ? null : f.sort,
  };
}

/** The filter as a query string without `?` (what a saved filter stores); '' for no filter. */
export function filterToQuery(f: SecurityFilter): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(filterToSearchChanges(f))) if (v !== null) params.set(k, v);
  return params.toString();
}

/**
 * Query parameters of `GET /api/v1/events` (and its export) for `f`. Lists are comma-separated;
 * absent filters are left out.
 */
export function filterToApiParams(f: SecurityFilter): QueryParams {
  return {
    event_type: f.types.length ? f.types.join(',') : undefined,
    severity: f.severities.length ? f.severities.join(',') : undefined,
    host: f.host.trim() || undefined,
    from: f.from || undefined,
    to: f.to || undefined,
    q: f.q.trim() || undefined,
    triage: f.triage.length ? f.triage.join(',') : undefined,
    include_suppressed: f.includeSuppressed ? 'true' : undefined,
    sort: f.sort,
  };
}

/** Adds or removes `value` from a list, keeping the canonical order of `all`. */
export function toggle<T extends string>(list: readonly T[], value: T, all: readonly T[]): T[] {
  const set = new Set(list);
  if (set.has(value)) set.delete(value);
  else set.add(value);
  return all.filter((v) => set.has(v));
}

/** Value of an `<input type="datetime-local">` (local time, minutes) for an RFC 3339 instant. */
export function instantToLocalInput(iso: string): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** RFC 3339 instant (UTC) of an `<input type="datetime-local">` value; '' when empty or invalid. */
export function localInputToInstant(value: string): string {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(value)) return '';
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? '' : d.toISOString();
}

/**
 * The filter as a `GET /api/v1/events` query string without `?` (what a saved filter stores, so
 * an API client can replay it as is); absent filters are left out.
 */
export function filterToApiQuery(f: SecurityFilter): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(filterToApiParams(f))) if (v !== undefined && v !== null) params.set(k, String(v));
  return params.toString();
}

/** API parameter → page URL key, where they differ. */
const API_TO_PAGE: Record<string, FilterKey> = { event_type: 'type', include_suppressed: 'suppressed' };

/**
 * Reads a filter from a `GET /api/v1/events` query string (a saved filter). Unknown parameters
 * and values are dropped, as for the page URL.
 */
export function filterFromApiQuery(query: string): SecurityFilter {
  const page = new URLSearchParams();
  for (const [k, v] of new URLSearchParams(query)) {
    const key = API_TO_PAGE[k] ?? k;
    page.set(key, key === 'suppressed' ? (v === 'true' || v === '1' ? '1' : '') : v);
  }
  return filterFromSearch(page);
}
