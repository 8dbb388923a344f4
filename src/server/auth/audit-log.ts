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

function clean(s: string | null | undefined): string | null {
  if (s == null) return null;
  return s.length > FIELD_MAX ? `${s.slice(0, FIELD_MAX)}…` : s;
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
        action: e.action,
        target: clean(e.target),
        ip: clean(e.ip),
        userAgent: clean(e.userAgent),
        outcome: e.outcome,
        details: e.details ?? null,
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
