import { FormatRegistry } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { SECURITY_EVENT_LIMITS, SecurityEventInputSchema, type SecurityEventInput } from '../protocol/security.js';

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// TypeBox checks `format` only for registered formats; the contract's event_id is a UUID.
if (!FormatRegistry.Has('uuid')) FormatRegistry.Set('uuid', (v) => UUID_RE.test(v));

/** Result of {@link sanitizeEvents}. */
export interface SanitizedEvents {
  events: SecurityEventInput[];
  /** Events that do not satisfy the wire contract (dropped here rather than rejected by the server). */
  dropped: number;
  /** The first few reasons, for a log line. */
  reasons: string[];
}

/** True when `e` satisfies the wire contract of one security event (schema and 8 KiB metadata). */
export function isValidSecurityEvent(e: unknown): e is SecurityEventInput {
  if (!Value.Check(SecurityEventInputSchema, e)) return false;
  const meta = (e as SecurityEventInput).metadata;
  return meta === undefined || Buffer.byteLength(JSON.stringify(meta)) <= SECURITY_EVENT_LIMITS.maxMetadataBytes;
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
    if (isValidSecurityEvent(e)) {
      out.events.push(e);
      continue;
    }
    out.dropped++;
    if (out.reasons.length < 5) {
      const first = [...Value.Errors(SecurityEventInputSchema, e)][0];
      out.reasons.push(first ? `${first.path || '/'}: ${first.message}` : 'metadata larger than 8 KiB');
    }
  }
  return out;
}
