import { createHash } from 'node:crypto';
import type { Clock } from '../core/clock.js';
import type { EventBus } from '../live/event-bus.js';
import type { AuditEntry, AuditRepo } from '../storage/audit-repo.js';

/** Bus event type published after each audit append; payload is the {@link AuditEntry}. */
export const AUDIT_RECORDED = 'audit_recorded';

/** What happened, by whom, to what (no secrets: callers pass identifiers, never credentials). */
export interface AuditEvent {
  actor: string;
  action: string;
  target?: string | null;
  ip?: string | null;
  userAgent?: string | null;
  outcome: AuditEntry['outcome'];
  details?: Record<string, unknown> | null;
}

type Unhashed = Omit<AuditEntry, 'id' | 'prevHash' | 'hash'>;

/** SHA-256 over the previous hash and a canonical JSON of the entry's fields. */
export function auditHash(prevHash: string, e: Unhashed): string {
  const canonical = JSON.stringify([e.ts, e.actor, e.action, e.target, e.ip, e.userAgent, e.outcome, e.details]);
  return createHash('sha256').update(prevHash).update('\n').update(canonical).digest('hex');
}

/** Longest string kept in an audit field (characters); longer values are cut with a marker. */
const FIELD_MAX = 500;

/** C0/C1 control characters, DEL and the Unicode line separators. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point here.
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;

/**
 * Escapes control characters as `\uXXXX` text (a username with a newline or an ANSI escape
 * stays one visible line wherever the entry is shown or exported) and caps the length.
 */
export function escapeControl(s: string): string {
  return s.replace(CONTROL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function clean(s: string | null | undefined): string | null {
  if (s == null) return null;
  const e = escapeControl(s);
  return e.length > FIELD_MAX ? `${e.slice(0, FIELD_MAX)}…` : e;
}

/** Escapes control characters in every string of a details object (depth-limited). */
function cleanDetails(v: unknown, depth = 0): unknown {
  if (typeof v === 'string') return clean(v);
  if (depth > 4 || v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.slice(0, 50).map((x) => cleanDetails(x, depth + 1));
  return Object.fromEntries(Object.entries(v as Record<string, unknown>).slice(0, 50).map(([k, x]) => [escapeControl(k).slice(0, 100), cleanDetails(x, depth + 1)]));
}

/**
 * The append-only, hash-chained audit trail. Values are stored as structured fields (JSON),
 * never concatenated into log lines, so a username with a newline cannot forge an entry.
 */
export class AuditLog {
  constructor(
    private readonly repo: AuditRepo,
    private readonly clock: Clock,
    private readonly bus: EventBus | null = null,
  ) {}

  /** Appends one entry, then announces it on the bus (`audit_recorded`) for subscribers such as security detections. */
  async record(e: AuditEvent): Promise<AuditEntry> {
    const entry = await this.repo.append(
      {
        ts: this.clock.now(),
        actor: clean(e.actor) ?? 'unknown',
        action: clean(e.action) ?? 'unknown',
        target: clean(e.target),
        ip: clean(e.ip),
        userAgent: clean(e.userAgent),
        outcome: e.outcome,
        details: e.details ? (cleanDetails(e.details) as Record<string, unknown>) : null,
      },
      auditHash,
    );
    this.bus?.publish({ type: AUDIT_RECORDED, data: entry });
    return entry;
  }

  /** Re-computes the chain; returns the first broken entry id, or null when intact. */
  async verify(): Promise<{ checked: number; brokenAt: number | null }> {
    let prev = '0'.repeat(64);
    let after = 0;
    let checked = 0;
    for (;;) {
      const page = await this.repo.scan(after, 1000);
      if (page.length === 0) return { checked, brokenAt: null };
      for (const e of page) {
        if (e.prevHash !== prev || auditHash(prev, e) !== e.hash) return { checked, brokenAt: e.id };
        prev = e.hash;
        after = e.id;
        checked++;
      }
    }
  }
}
