/**
 * The parts of the security event wire contract that need no schema library: event types,
 * severities and limits. Kept apart from security.ts so the agent can use them without loading
 * TypeBox (~15 MB of RSS, a quarter of the agent's budget); security.ts re-exports them.
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

/** Sort rank of a severity: low 1 … critical 4 (higher sorts first when sorting by severity). */
export function severityRank(s: Severity): number {
  return SEVERITIES.indexOf(s) + 1;
}

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
