import {
  SECURITY_EVENT_LIMITS,
  SECURITY_EVENT_TYPES,
  SEVERITIES,
  type SecurityEventInput,
  type SecurityEventType,
  type SecurityItemErrorCode,
  type Severity,
} from '../../protocol/security.js';
import { VigilError } from '../core/errors.js';

/** Limits of the event parser. */
export interface EventParseLimits {
  /** Now, ms since epoch (from the injected clock). */
  now: number;
  /** Oldest accepted event age, ms (the event retention). */
  maxAgeMs: number;
  /** Accepted skew into the future, ms (default 5 min). */
  futureSkewMs?: number;
}

/** One rejected item. */
export interface EventItemError {
  index: number;
  code: SecurityItemErrorCode;
  message: string;
}

/** Valid items (with their batch index) and one error per rejected item. */
export interface ParsedEventBatch {
  host: string | null;
  events: { index: number; event: SecurityEventInput }[];
  errors: EventItemError[];
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MITRE_RE = /^T[0-9]{4}(\.[0-9]{3})?$/;
const ALLOWED_FIELDS = new Set(['event_id', 'ts', 'event_type', 'severity', 'source', 'description', 'correlation_id', 'mitre_technique', 'metadata']);

class Reject extends Error {
  constructor(
    readonly code: SecurityItemErrorCode,
    message: string,
  ) {
    super(message);
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function str(o: Record<string, unknown>, field: string, min: number, max: number): string {
  const v = o[field];
  if (typeof v !== 'string' || v.length < min || v.length > max) throw new Reject('VIGIL_ERR_EVENT_FIELD', `${field} must be a string of ${min}-${max} characters`);
  return v;
}

function optStr(o: Record<string, unknown>, field: string, max: number): string | undefined {
  return o[field] === undefined ? undefined : str(o, field, 0, max);
}

/** Validates one item; throws {@link Reject} with the first problem found. */
function parseItem(raw: unknown, limits: EventParseLimits): SecurityEventInput {
  if (!isRecord(raw)) throw new Reject('VIGIL_ERR_ITEM_SHAPE', 'each event must be a JSON object');
  const unknown = Object.keys(raw).filter((k) => !ALLOWED_FIELDS.has(k));
  if (unknown.length) throw new Reject('VIGIL_ERR_ITEM_SHAPE', `unknown field(s): ${unknown.slice(0, 5).join(', ')}`);
  const eventId = str(raw, 'event_id', 36, 36);
  if (!UUID_RE.test(eventId)) throw new Reject('VIGIL_ERR_EVENT_FIELD', 'event_id must be a UUID');
  const ts = raw['ts'];
  if (typeof ts !== 'number' || !Number.isSafeInteger(ts) || ts < 0) throw new Reject('VIGIL_ERR_EVENT_FIELD', 'ts must be an integer, ms since the Unix epoch');
  if (ts > limits.now + (limits.futureSkewMs ?? 300_000)) throw new Reject('VIGIL_ERR_TIMESTAMP_TOO_NEW', 'ts is more than 5 minutes in the future; check the clock');
  if (ts < limits.now - limits.maxAgeMs) throw new Reject('VIGIL_ERR_TIMESTAMP_TOO_OLD', 'ts is older than the event retention');
  const type = raw['event_type'];
  if (!SECURITY_EVENT_TYPES.includes(type as SecurityEventType)) throw new Reject('VIGIL_ERR_EVENT_FIELD', `event_type must be one of ${SECURITY_EVENT_TYPES.join(', ')}`);
  const severity = raw['severity'];
  if (!SEVERITIES.includes(severity as Severity)) throw new Reject('VIGIL_ERR_EVENT_FIELD', `severity must be one of ${SEVERITIES.join(', ')}`);
  const event: SecurityEventInput = {
    event_id: eventId.toLowerCase(),
    ts,
    event_type: type as SecurityEventType,
    severity: severity as Severity,
    source: str(raw, 'source', 1, 100),
    description: str(raw, 'description', 0, SECURITY_EVENT_LIMITS.maxDescription),
  };
  const correlation = optStr(raw, 'correlation_id', 200);
  if (correlation !== undefined) event.correlation_id = correlation;
  const mitre = optStr(raw, 'mitre_technique', 9);
  if (mitre !== undefined) {
    if (!MITRE_RE.test(mitre)) throw new Reject('VIGIL_ERR_EVENT_FIELD', 'mitre_technique must look like T1110 or T1110.001');
    event.mitre_technique = mitre;
  }
  const metadata = raw['metadata'];
  if (metadata !== undefined) {
    if (!isRecord(metadata)) throw new Reject('VIGIL_ERR_EVENT_FIELD', 'metadata must be a JSON object');
    if (Buffer.byteLength(JSON.stringify(metadata)) > SECURITY_EVENT_LIMITS.maxMetadataBytes) {
      throw new Reject('VIGIL_ERR_METADATA_TOO_LARGE', `metadata exceeds ${SECURITY_EVENT_LIMITS.maxMetadataBytes} bytes as JSON`);
    }
    event.metadata = metadata;
  }
  return event;
}

/**
 * Validates an untrusted `POST /api/v1/events` body item by item. Whole-body problems (not an
 * object, no `events` array, too many items, bad `host`) throw a `VigilError` (400); each bad item
 * gets a per-item error while valid items are kept. A repeated `event_id` inside one batch is
 * rejected (the first one wins). Never throws anything else, whatever the input.
 */
export function parseSecurityEventBatch(body: unknown, limits: EventParseLimits): ParsedEventBatch {
  if (!isRecord(body)) throw new VigilError('VIGIL_ERR_VALIDATION', 'body must be a JSON object {host?, events: [...]}');
  const items = body['events'];
  if (!Array.isArray(items)) throw new VigilError('VIGIL_ERR_VALIDATION', 'body.events must be an array');
  if (items.length > SECURITY_EVENT_LIMITS.maxBatchEvents) throw new VigilError('VIGIL_ERR_VALIDATION', `at most ${SECURITY_EVENT_LIMITS.maxBatchEvents} events per batch`);
  const host = body['host'];
  if (host !== undefined && (typeof host !== 'string' || host.length < 1 || host.length > 255)) throw new VigilError('VIGIL_ERR_VALIDATION', 'host must be a string of 1-255 characters');
  const out: ParsedEventBatch = { host: (host as string | undefined) ?? null, events: [], errors: [] };
  const seen = new Set<string>();
  items.forEach((raw, index) => {
    try {
      const event = parseItem(raw, limits);
      if (seen.has(event.event_id)) throw new Reject('VIGIL_ERR_DUPLICATE_IN_BATCH', 'event_id repeats an earlier item of this batch');
      seen.add(event.event_id);
      out.events.push({ index, event });
    } catch (err) {
      if (!(err instanceof Reject)) throw err;
      out.errors.push({ index, code: err.code, message: err.message });
    }
  });
  return out;
}
