import type { SecurityEvent, SecurityEventPage, Suppression, SuppressionBody, SuppressionPreview, TriageState } from '../../../src/protocol/security.js';
import { queryString, type ApiClient } from '../api/api-client.js';
import { filterToApiParams, type SecurityFilter } from './event-filter.js';

/** Live topic of new security events (high and critical), fed by the server's event bus. */
export const SECURITY_EVENTS_TOPIC = 'security_events';

/** Data of one `security_events` live message: events stored together (never suppressed ones). */
export interface SecurityEventsLiveData {
  events: SecurityEvent[];
}

/** Page size of the SOC list (the API's default). */
export const PAGE_SIZE = 50;

/** One page of `GET /api/v1/events` for the filter (first page when `cursor` is undefined). */
export function fetchEvents(api: ApiClient, f: SecurityFilter, cursor: string | undefined, signal?: AbortSignal): Promise<SecurityEventPage> {
  return api.get<SecurityEventPage>('/api/v1/events', { ...filterToApiParams(f), limit: PAGE_SIZE, cursor }, signal);
}

/** The download URL of the filtered result (same origin; the session cookie authenticates it). */
export function exportUrl(f: SecurityFilter, format: 'json' | 'csv'): string {
  const { sort, ...params } = filterToApiParams(f);
  return `/api/v1/events/export${queryString({ ...params, sort, format })}`;
}

/** Sets an event's triage state with an optional note; answers the updated event. */
export function triageEvent(api: ApiClient, id: string, state: TriageState, note: string): Promise<SecurityEvent> {
  return api.post<{ event: SecurityEvent }>(`/api/v1/events/${encodeURIComponent(id)}/triage`, note ? { state, note } : { state }).then((r) => r.event);
}

/** Whether a suppression is in force at `now` (not ended early, not expired). */
export function isActiveSuppression(s: Suppression, now: number): boolean {
  return s.ended_at === null && s.expires_at > now;
}

/** How many stored events a suppression would have matched. */
export function previewSuppression(api: ApiClient, body: SuppressionBody, signal?: AbortSignal): Promise<SuppressionPreview> {
  return api.post<SuppressionPreview>('/api/v1/suppressions/preview', body, signal);
}
