import { Type, type Static } from '@sinclair/typebox';

/**
 * Wire contract of security events (issue 6): what agents and other sources send to
 * `POST /api/v1/events`, and what `GET /api/v1/events` answers. Shared by the agent, the server
 * and the dashboard so the three cannot drift apart.
 */

import { SECURITY_EVENT_LIMITS, SECURITY_EVENT_TYPES, SEVERITIES, type SecurityEventType, type Severity } from './security-event-contract.js';

export { SECURITY_EVENT_LIMITS, SECURITY_EVENT_TYPES, SEVERITIES, severityRank, type SecurityEventType, type Severity } from './security-event-contract.js';

/** Triage states. `new` → `acknowledged` → `resolved`, or `false_positive` from any state. */
export const TRIAGE_STATES = ['new', 'acknowledged', 'resolved', 'false_positive'] as const;
/** A triage state. */
export type TriageState = (typeof TRIAGE_STATES)[number];

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

/** Query parameters `GET /api/v1/events` (and the export) accept; any other name is a 400. */
export const SECURITY_EVENT_QUERY_PARAMS = ['event_type', 'severity', 'host', 'agent_id', 'from', 'to', 'q', 'triage', 'include_suppressed', 'sort', 'cursor', 'limit', 'correlation_id'] as const;

/** Sort orders of `GET /api/v1/events`: newest first, or critical first then newest. */
export const SECURITY_EVENT_SORTS = ['time', 'severity'] as const;
/** A sort order of `GET /api/v1/events`. */
export type SecurityEventSort = (typeof SECURITY_EVENT_SORTS)[number];

/** Body of `POST /api/v1/events/:id/triage`. */
export const TriageBodySchema = Type.Object(
  {
    state: Type.Union(TRIAGE_STATES.map((s) => Type.Literal(s))),
    note: Type.Optional(Type.String({ maxLength: 2000 })),
  },
  { additionalProperties: false },
);
/** Body of `POST /api/v1/events/:id/triage`. */
export type TriageBody = Static<typeof TriageBodySchema>;

/** One triage change of an event. */
export interface TriageHistoryEntry {
  at: number;
  actor: string;
  from: TriageState;
  to: TriageState;
  note: string | null;
}

/** Answer of `GET /api/v1/events/:id`. */
export interface SecurityEventDetail {
  event: SecurityEvent;
  /** Same correlation id, or same host within ±10 min; newest first, at most 100. */
  related: SecurityEvent[];
  triage_history: TriageHistoryEntry[];
}

/** Body of `POST /api/v1/suppressions` and `POST /api/v1/suppressions/preview`. */
export const SuppressionBodySchema = Type.Object(
  {
    event_type: Type.Union(SECURITY_EVENT_TYPES.map((t) => Type.Literal(t))),
    host: Type.Optional(Type.String({ minLength: 1, maxLength: 255 })),
    src_ip: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    days: Type.Integer({ minimum: 1, maximum: 365, description: 'Lifetime in days.' }),
    reason: Type.String({ minLength: 1, maxLength: 1000 }),
  },
  { additionalProperties: false },
);
/** Body of `POST /api/v1/suppressions`. */
export type SuppressionBody = Static<typeof SuppressionBodySchema>;

/** A suppression (exception): new matching events are stored with `suppressed_by` and hidden by default. */
export interface Suppression {
  id: string;
  event_type: SecurityEventType;
  host: string | null;
  src_ip: string | null;
  reason: string;
  created_by: string;
  created_at: number;
  expires_at: number;
  /** Set when deleted before expiry, ms. */
  ended_at: number | null;
}

/** Answer of `POST /api/v1/suppressions/preview`: past events (within retention) the suppression would have matched. */
export interface SuppressionPreview {
  matching: number;
}

/** One saved filter of the SOC view: a name and the query string it stands for. */
export const SavedFilterSchema = Type.Object(
  { name: Type.String({ minLength: 1, maxLength: 100 }), query: Type.String({ maxLength: 2000, description: 'Query string of GET /api/v1/events, without "?".' }) },
  { additionalProperties: false },
);
/** Body and answer of `PUT/GET /api/v1/events/saved-filters`. */
export const SavedFiltersSchema = Type.Object({ filters: Type.Array(SavedFilterSchema, { maxItems: 50 }) }, { additionalProperties: false });
/** Saved filters of one user. */
export type SavedFilters = Static<typeof SavedFiltersSchema>;

/** Detection rule kinds the server knows (registered rule types). */
export const DETECTION_KINDS = ['frequency', 'first_seen', 'threshold'] as const;
/** A detection rule kind. */
export type DetectionKind = (typeof DETECTION_KINDS)[number];

/**
 * A detection rule. `frequency`: ≥ `count` events of `match_type` with equal `group_by` fields
 * within `window_ms` → one event of `emit_type`. `first_seen`: the first event of `match_type`
 * with a never-seen value of `group_by` on a host → `emit_type`. `threshold`: ≥ `count` events
 * of `match_type` per host within `window_ms`, whatever their fields.
 */
export const DetectionRuleSchema = Type.Object(
  {
    id: Type.String({ pattern: '^[a-z0-9_-]{1,64}$' }),
    kind: Type.Union(DETECTION_KINDS.map((k) => Type.Literal(k))),
    enabled: Type.Boolean(),
    description: Type.String({ maxLength: 500 }),
    match_type: Type.Union(SECURITY_EVENT_TYPES.map((t) => Type.Literal(t))),
    group_by: Type.Array(Type.String({ pattern: '^(host|metadata\\.[A-Za-z0-9_]{1,64})$' }), { maxItems: 5 }),
    count: Type.Integer({ minimum: 1, maximum: 100_000 }),
    window_ms: Type.Integer({ minimum: 1000, maximum: 86_400_000 }),
    emit_type: Type.Union(SECURITY_EVENT_TYPES.map((t) => Type.Literal(t))),
    severity: Type.Union(SEVERITIES.map((s) => Type.Literal(s))),
    mitre_technique: Type.Optional(Type.String({ pattern: '^T[0-9]{4}(\\.[0-9]{3})?$' })),
    /** Raise an alert through the alerting engine as well (default true for high/critical). */
    alert: Type.Boolean(),
  },
  { additionalProperties: false },
);
/** A detection rule. */
export type DetectionRule = Static<typeof DetectionRuleSchema>;
/** Body and answer of `GET/PUT /api/v1/detections`. */
export const DetectionRulesSchema = Type.Object({ rules: Type.Array(DetectionRuleSchema, { maxItems: 100 }) }, { additionalProperties: false });

/** Per-item rejection codes of `POST /api/v1/events`. */
export const SECURITY_ITEM_ERROR_CODES = ['VIGIL_ERR_ITEM_SHAPE', 'VIGIL_ERR_EVENT_FIELD', 'VIGIL_ERR_TIMESTAMP_TOO_NEW', 'VIGIL_ERR_TIMESTAMP_TOO_OLD', 'VIGIL_ERR_METADATA_TOO_LARGE', 'VIGIL_ERR_DUPLICATE_IN_BATCH'] as const;
/** A per-item rejection code of `POST /api/v1/events`. */
export type SecurityItemErrorCode = (typeof SECURITY_ITEM_ERROR_CODES)[number];
