import { Type, type Static } from '@sinclair/typebox';

/**
 * Wire contract of security events (issue 6): what agents and other sources send to
 * `POST /api/v1/events`, and what `GET /api/v1/events` answers. Shared by the agent, the server
 * and the dashboard so the three cannot drift apart.
 */

/** Event types Vigil knows. Other sources may only send these; detections produce some of them. */
export const SECURITY_EVENT_TYPES = [
  'auth_failure',
  'auth_success',
  'brute_force',
  'port_opened',
  'port_closed',
  'file_changed',
  'file_added',
  'file_removed',
  'process_started',
  'process_suspicious',
  'privilege_escalation',
  'rate_limit_violation',
  'login_failed',
  'permission_denied',
  'api_key_misuse',
  'anomaly_detected',
] as const;
/** A security event type. */
export type SecurityEventType = (typeof SECURITY_EVENT_TYPES)[number];

/** Severities, lowest first. Sorting "by severity" puts critical first. */
export const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
/** A security event severity. */
export type Severity = (typeof SEVERITIES)[number];

/** Triage states. `new` → `acknowledged` → `resolved`, or `false_positive` from any state. */
export const TRIAGE_STATES = ['new', 'acknowledged', 'resolved', 'false_positive'] as const;
/** A triage state. */
export type TriageState = (typeof TRIAGE_STATES)[number];

/** Limits of one event and one batch (the server rejects items beyond them per item). */
export const SECURITY_EVENT_LIMITS = {
  /** Events per `POST /api/v1/events` batch. */
  maxBatchEvents: 1000,
  /** Characters of `description`. */
  maxDescription: 2000,
  /** Bytes of `metadata` serialized as JSON. */
  maxMetadataBytes: 8192,
  /** Page size default and cap of `GET /api/v1/events`. */
  defaultLimit: 50,
  maxLimit: 1000,
} as const;

/** One event as a source sends it. `event_id` makes retries idempotent (a repeat is a no-op). */
export const SecurityEventInputSchema = Type.Object({
  event_id: Type.String({ format: 'uuid', description: 'UUID chosen by the source; repeats are ignored.' }),
  ts: Type.Integer({ description: 'When it happened, ms since the Unix epoch.' }),
  event_type: Type.Union(SECURITY_EVENT_TYPES.map((t) => Type.Literal(t))),
  severity: Type.Union(SEVERITIES.map((s) => Type.Literal(s))),
  source: Type.String({ minLength: 1, maxLength: 100, description: 'Collector or component, e.g. "auth-log", "fim".' }),
  description: Type.String({ maxLength: SECURITY_EVENT_LIMITS.maxDescription }),
  correlation_id: Type.Optional(Type.String({ maxLength: 200 })),
  mitre_technique: Type.Optional(Type.String({ pattern: '^T[0-9]{4}(\\.[0-9]{3})?$', description: 'MITRE ATT&CK id, e.g. T1110.001.' })),
  metadata: Type.Optional(Type.Record(Type.String(), Type.Unknown(), { description: 'Free JSON (≤ 8 KiB), e.g. src_ip, user, port, path, sha256.' })),
});
/** One event as a source sends it. */
export type SecurityEventInput = Static<typeof SecurityEventInputSchema>;

/** Body of `POST /api/v1/events`. The host comes from the agent key (agents) or `host` (users with write:incidents). */
export const SecurityEventBatchSchema = Type.Object({
  host: Type.Optional(Type.String({ maxLength: 255 })),
  events: Type.Array(Type.Unknown(), { maxItems: SECURITY_EVENT_LIMITS.maxBatchEvents }),
});
/** Body of `POST /api/v1/events`. Items are validated one by one (per-item errors). */
export interface SecurityEventBatch {
  host?: string;
  events: SecurityEventInput[];
}

/** Answer of `POST /api/v1/events`: same shape and status rules as the metrics ingest answer. */
export interface SecurityEventIngestResult {
  accepted: number;
  duplicates: number;
  rejected: number;
  errors: { index: number; code: string; message: string }[];
}

/** A stored event as the API returns it. */
export interface SecurityEvent extends SecurityEventInput {
  host: string;
  agent_id: string | null;
  triage: TriageState;
  /** Id of the suppression that matched at ingest, if any (suppressed events are kept, hidden by default). */
  suppressed_by: string | null;
  /** When the server stored it, ms since epoch. */
  received_at: number;
}

/** Facet counts over the whole filtered result (not just the page). */
export interface SecurityEventFacets {
  severity: Partial<Record<Severity, number>>;
  event_type: Partial<Record<SecurityEventType, number>>;
  triage: Partial<Record<TriageState, number>>;
}

/** Answer of `GET /api/v1/events`. `next_cursor` is opaque; absent on the last page. */
export interface SecurityEventPage {
  events: SecurityEvent[];
  next_cursor?: string;
  facets: SecurityEventFacets;
  /** Total matching events (exact). */
  total: number;
}
