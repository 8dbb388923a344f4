import { randomUUID } from 'node:crypto';
import type { SecurityEventInput } from '../../../protocol/security.js';
import { SECURITY_EVENT_LIMITS, type SecurityEventType, type Severity } from '../../../protocol/security-event-contract.js';

/** What a collector knows about one finding; ids and limits are filled in by {@link securityEvent}. */
export interface SecurityFinding {
  type: SecurityEventType;
  severity: Severity;
  /** When it happened, ms since the epoch. */
  ts: number;
  /** Collector name (`auth-log`, `fim`, …). */
  source: string;
  description: string;
  /** MITRE ATT&CK technique id (`T1110.001`), when one fits. */
  mitre?: string;
  metadata?: Record<string, unknown>;
  correlationId?: string;
}

/**
 * Builds a wire event: a fresh UUID (the server's idempotency key, so a re-sent batch is stored
 * once), the description cut to the contract's limit, and metadata shrunk when its JSON would
 * pass 8 KiB (long values are cut first, then the record is replaced by a note) so the server
 * never rejects an event for its size.
 */
export function securityEvent(f: SecurityFinding): SecurityEventInput {
  const e: SecurityEventInput = {
    event_id: randomUUID(),
    ts: Math.round(f.ts),
    event_type: f.type,
    severity: f.severity,
    source: f.source,
    description: f.description.slice(0, SECURITY_EVENT_LIMITS.maxDescription),
  };
  if (f.mitre) e.mitre_technique = f.mitre;
  if (f.correlationId) e.correlation_id = f.correlationId.slice(0, 200);
  if (f.metadata) e.metadata = boundMetadata(f.metadata);
  return e;
}

/** Metadata whose JSON fits {@link SECURITY_EVENT_LIMITS.maxMetadataBytes}. */
export function boundMetadata(meta: Record<string, unknown>): Record<string, unknown> {
  const limit = SECURITY_EVENT_LIMITS.maxMetadataBytes;
  if (Buffer.byteLength(JSON.stringify(meta)) <= limit) return meta;
  const cut: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(meta)) cut[k] = typeof v === 'string' && v.length > 256 ? `${v.slice(0, 256)}…` : v;
  if (Buffer.byteLength(JSON.stringify(cut)) <= limit) return cut;
  return { truncated: true, keys: Object.keys(meta).slice(0, 50) };
}
