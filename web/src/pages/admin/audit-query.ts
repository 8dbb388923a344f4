import { queryString, type QueryParams } from '../../api/api-client.js';

/** The audit log filters as the form holds them (empty string = no filter). */
export interface AuditFilters {
  actor: string;
  action: string;
  outcome: '' | 'success' | 'failure' | 'denied';
  /** `now-1h`, `now-24h`, `now-7d`, `now-30d` or '' for all time. */
  since: string;
}

/** No filter at all. */
export const NO_AUDIT_FILTERS: AuditFilters = { actor: '', action: '', outcome: '', since: 'now-7d' };

/** Query parameters of `/api/v1/audit` and its export for the filters. */
export function auditParams(f: AuditFilters): QueryParams {
  return {
    actor: f.actor.trim() || undefined,
    action: f.action.trim() || undefined,
    outcome: f.outcome || undefined,
    from: f.since || undefined,
  };
}

/** The download URL of the filtered log (same origin, the session cookie authenticates it). */
export function auditExportUrl(f: AuditFilters, format: 'json' | 'csv'): string {
  return `/api/v1/audit/export${queryString({ ...auditParams(f), format })}`;
}

/** Reads filters from the page's query string (so a filtered view can be linked). */
export function filtersFromSearch(search: URLSearchParams): AuditFilters {
  const outcome = search.get('outcome');
  return {
    actor: search.get('actor') ?? '',
    action: search.get('action') ?? '',
    outcome: outcome === 'success' || outcome === 'failure' || outcome === 'denied' ? outcome : '',
    since: search.get('since') ?? NO_AUDIT_FILTERS.since,
  };
}
