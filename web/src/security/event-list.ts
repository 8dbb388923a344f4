import { SEVERITIES, type SecurityEvent, type SecurityEventFacets, type SecurityEventPage, type Severity } from '../../../src/protocol/security.js';
import type { SecurityFilter } from './event-filter.js';

/** Severities the server pushes live (and that count in the notification center). */
export const LIVE_SEVERITIES: readonly Severity[] = ['high', 'critical'];

/** Rank of a severity: 0 for low … 3 for critical. */
export function severityRank(s: Severity): number {
  return SEVERITIES.indexOf(s);
}

/**
 * Whether an event pushed live belongs in the list the filter shows. Free text is matched as a
 * case-insensitive substring of the description (the server's full-text search may be broader;
 * a reload shows its answer).
 */
export function matchesFilter(e: SecurityEvent, f: SecurityFilter): boolean {
  if (f.types.length && !f.types.includes(e.event_type)) return false;
  if (f.severities.length && !f.severities.includes(e.severity)) return false;
  if (f.triage.length && !f.triage.includes(e.triage)) return false;
  if (f.host.trim() && e.host !== f.host.trim()) return false;
  if (f.from && e.ts < Date.parse(f.from)) return false;
  if (f.to && e.ts > Date.parse(f.to)) return false;
  if (!f.includeSuppressed && e.suppressed_by !== null) return false;
  const q = f.q.trim().toLowerCase();
  if (q && !e.description.toLowerCase().includes(q)) return false;
  return true;
}

/** The list the SOC page shows: loaded pages plus events pushed live since. */
export interface EventListState {
  events: SecurityEvent[];
  facets: SecurityEventFacets;
  total: number;
  /** Cursor of the next page; undefined after the last one. */
  nextCursor: string | undefined;
  /** Ids of events that arrived live (highlighted until the list is reloaded). */
  fresh: string[];
}

/** State after the first page of a query. */
export function fromFirstPage(page: SecurityEventPage): EventListState {
  return { events: page.events, facets: page.facets, total: page.total, nextCursor: page.next_cursor, fresh: [] };
}

/** Appends the next page ("load more"); events already shown (pushed live meanwhile) are not repeated. */
export function appendPage(s: EventListState, page: SecurityEventPage): EventListState {
  const seen = new Set(s.events.map((e) => e.event_id));
  return { ...s, events: [...s.events, ...page.events.filter((e) => !seen.has(e.event_id))], nextCursor: page.next_cursor };
}

function bump<K extends string>(counts: Partial<Record<K, number>>, key: K): Partial<Record<K, number>> {
  return { ...counts, [key]: (counts[key] ?? 0) + 1 };
}

/**
 * Folds in an event pushed live: it goes to the top (for severity sort: above the first event
 * that is less severe) and counts in the facets and total. A repeat of a shown event is ignored.
 */
export function addLiveEvent(s: EventListState, e: SecurityEvent, sort: SecurityFilter['sort']): EventListState {
  if (s.events.some((x) => x.event_id === e.event_id)) return s;
  let at = 0;
  if (sort === 'severity') {
    const rank = severityRank(e.severity);
    at = s.events.findIndex((x) => severityRank(x.severity) <= rank);
    if (at < 0) at = s.events.length;
  }
  const events = [...s.events.slice(0, at), e, ...s.events.slice(at)];
  const facets = { severity: bump(s.facets.severity, e.severity), event_type: bump(s.facets.event_type, e.event_type), triage: bump(s.facets.triage, e.triage) };
  return { ...s, events, facets, total: s.total + 1, fresh: [e.event_id, ...s.fresh] };
}

/** Facet entries with a count, in the canonical order of `all`. */
export function facetEntries<K extends string>(counts: Partial<Record<K, number>>, all: readonly K[]): [K, number][] {
  return all.filter((k) => (counts[k] ?? 0) > 0).map((k) => [k, counts[k] as number]);
}
