import type { SecurityEventInput } from '../protocol/security.js';
import { SECURITY_EVENT_LIMITS, SECURITY_EVENT_TYPES, SEVERITIES } from '../protocol/security-event-contract.js';

// Hand-written rather than TypeBox's Value.Check: loading TypeBox costs the agent ~15 MB of RSS
// (and grows V8's young generation at startup). sanitize-events.test.ts checks with fast-check
// that this agrees with SecurityEventInputSchema, so the two cannot drift apart.
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MITRE_RE = /^T[0-9]{4}(\.[0-9]{3})?$/;
const TYPES: ReadonlySet<unknown> = new Set(SECURITY_EVENT_TYPES);
const SEVERITY_SET: ReadonlySet<unknown> = new Set(SEVERITIES);

/** Result of {@link sanitizeEvents}. */
export interface SanitizedEvents {
  events: SecurityEventInput[];
  /** Events that do not satisfy the wire contract (dropped here rather than rejected by the server). */
  dropped: number;
  /** The first few reasons, for a log line. */
  reasons: string[];
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function stringProblem(v: unknown, min: number, max: number): string | null {
  if (typeof v !== 'string') return 'Expected string';
  if (v.length < min) return `Expected string length greater or equal to ${min}`;
  if (v.length > max) return `Expected string length less or equal to ${max}`;
  return null;
}

/** Field problems of one event in schema order, first one only: `/path: message`, or null when it is valid. */
function schemaProblem(e: unknown): string | null {
  if (!isPlainObject(e)) return '/: Expected object';
  const checks: [string, () => string | null][] = [
    ['event_id', () => (typeof e.event_id !== 'string' ? 'Expected string' : UUID_RE.test(e.event_id) ? null : "Expected string to match 'uuid' format")],
    ['ts', () => (typeof e.ts === 'number' && Number.isInteger(e.ts) ? null : 'Expected integer')],
    ['event_type', () => (TYPES.has(e.event_type) ? null : 'Expected one of the known event types')],
    ['severity', () => (SEVERITY_SET.has(e.severity) ? null : 'Expected one of low, medium, high, critical')],
    ['source', () => stringProblem(e.source, 1, 100)],
    ['description', () => stringProblem(e.description, 0, SECURITY_EVENT_LIMITS.maxDescription)],
    ['correlation_id', () => (e.correlation_id === undefined ? null : stringProblem(e.correlation_id, 0, 200))],
    ['mitre_technique', () => (e.mitre_technique === undefined ? null : typeof e.mitre_technique !== 'string' ? 'Expected string' : MITRE_RE.test(e.mitre_technique) ? null : 'Expected string to match MITRE id pattern')],
    // TypeBox's Record takes no arrays, dates or byte arrays as a record.
    ['metadata', () => (e.metadata === undefined || (isPlainObject(e.metadata) && !(e.metadata instanceof Date) && !(e.metadata instanceof Uint8Array)) ? null : 'Expected object')],
  ];
  for (const [field, check] of checks) {
    const problem = check();
    if (problem) return `/${field}: ${problem}`;
  }
  return null;
}

/** Why `e` breaks the wire contract of one security event (schema, then the 8 KiB metadata limit), or null when it satisfies it. */
export function securityEventProblem(e: unknown): string | null {
  const problem = schemaProblem(e);
  if (problem) return problem;
  const meta = (e as SecurityEventInput).metadata;
  return meta === undefined || Buffer.byteLength(JSON.stringify(meta)) <= SECURITY_EVENT_LIMITS.maxMetadataBytes ? null : 'metadata larger than 8 KiB';
}

/** True when `e` satisfies the wire contract of one security event (schema and 8 KiB metadata). */
export function isValidSecurityEvent(e: unknown): e is SecurityEventInput {
  return securityEventProblem(e) === null;
}

/**
 * Checks the security events a collector returned (built-in or plugin) before they are spooled,
 * so one malformed event costs only itself: schema of `SecurityEventInput` (UUID id, integer
 * ms timestamp, known type and severity, description length, MITRE id form) and the metadata
 * size limit.
 */
export function sanitizeEvents(items: unknown): SanitizedEvents {
  const out: SanitizedEvents = { events: [], dropped: 0, reasons: [] };
  if (items === undefined) return out;
  if (!Array.isArray(items)) {
    out.reasons.push('collect() must return events as an array');
    out.dropped++;
    return out;
  }
  for (const e of items) {
    const problem = securityEventProblem(e);
    if (problem === null) {
      out.events.push(e as SecurityEventInput);
      continue;
    }
    out.dropped++;
    if (out.reasons.length < 5) out.reasons.push(problem);
  }
  return out;
}
