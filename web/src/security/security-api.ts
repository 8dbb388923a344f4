import type { SecurityEvent, SecurityEventPage, TriageState } from '../../../src/protocol/security.js';
import { queryString, type ApiClient } from '../api/api-client.js';
import { filterToApiParams, type SecurityFilter } from './event-filter.js';
import type { SuppressionBody } from './suppression-form.js';

/** Live topic of new security events (high and critical), fed by the server's event bus. */
export const SECURITY_EVENTS_TOPIC = 'security_events';

/** Data of one `security_events` live message: events stored together (never suppressed ones). */
export interface SecurityEventsLiveData {
  events: SecurityEvent[];
}

/** Answer of `GET /api/v1/events/:id`: the event and what happened around it. */
export interface SecurityEventDetail {
  event: SecurityEvent;
  /** Events with the same correlation id, and events of the same host within ±10 min. */
  related: SecurityEvent[];
  /** Triage changes, oldest first. */
  triage_history: TriageHistoryEntry[];
}

/** One triage change of an event. */
export interface TriageHistoryEntry {
  at: number;
  actor: string;
  from: TriageState;
  to: TriageState;
  note: string | null;
}

/** An active suppression (exception) as the API lists it. */
export interface SuppressionView {
  id: string;
  event_type: SecurityEvent['event_type'];
  host: string | null;
  src_ip: string | null;
  reason: string;
  created_by: string;
  created_at: number;
  expires_at: number;
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

/** Sets an event's triage state with a note; answers the updated event. */
export function triageEvent(api: ApiClient, id: string, state: TriageState, note: string): Promise<SecurityEvent> {
  return api.post<SecurityEvent>(`/api/v1/events/${encodeURIComponent(id)}/triage`, { state, note });
}

/** How many stored events a suppression would have matched. */
export function previewSuppression(api: ApiClient, body: SuppressionBody, signal?: AbortSignal): Promise<{ matching: number }> {
  return api.post<{ matching: number }>('/api/v1/suppressions/preview', body, signal);
}
