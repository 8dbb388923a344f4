import { randomUUID } from 'node:crypto';
import type { Suppression, SuppressionBody, SuppressionPreview } from '../../protocol/security.js';
import type { AuditLog } from '../auth/audit-log.js';
import type { Clock } from '../core/clock.js';
import { errors } from '../core/errors.js';
import type { SecurityEventRepo, SuppressionRepo } from '../storage/security-event-repo.js';

/** Suppressions listed at most. */
const LIST_MAX = 500;
const DAY_MS = 86_400_000;

/**
 * Suppressions (exceptions, issue 6): "this event type from this host / source IP is expected for
 * N days". New matching events are still stored, with `suppressed_by`, and hidden by default.
 * Creating and ending one is audited with its author and reason.
 */
export class SuppressionService {
  constructor(
    private readonly deps: { suppressions: SuppressionRepo; events: SecurityEventRepo; audit: AuditLog; clock: Clock },
    /** How far back the preview counts, ms (the event retention). */
    private readonly previewWindowMs: number,
  ) {}

  /** How many stored events (within retention) the suppression would have matched. */
  async preview(body: SuppressionBody): Promise<SuppressionPreview> {
    const since = this.deps.clock.now() - this.previewWindowMs;
    return { matching: await this.deps.events.countMatching({ eventType: body.event_type, host: body.host ?? null, srcIp: body.src_ip ?? null }, since) };
  }

  async create(body: SuppressionBody, actor: string): Promise<Suppression & SuppressionPreview> {
    const now = this.deps.clock.now();
    const s: Suppression = {
      id: randomUUID(),
      event_type: body.event_type,
      host: body.host ?? null,
      src_ip: body.src_ip ?? null,
      reason: body.reason,
      created_by: actor,
      created_at: now,
      expires_at: now + body.days * DAY_MS,
      ended_at: null,
    };
    const { matching } = await this.preview(body);
    await this.deps.suppressions.add(s);
    await this.deps.audit.record({
      actor,
      action: 'security.suppression.create',
      target: `suppression:${s.id}`,
      outcome: 'success',
      details: { event_type: s.event_type, host: s.host, src_ip: s.src_ip, days: body.days, reason: s.reason, matching },
    });
    return { ...s, matching };
  }

  /** Every suppression (active, expired, ended), newest first. */
  async list(): Promise<Suppression[]> {
    return this.deps.suppressions.list(LIST_MAX);
  }

  /** Ends a suppression now (it stops matching new events). */
  async end(id: string, actor: string): Promise<Suppression> {
    const s = await this.deps.suppressions.get(id);
    if (!s) throw errors.notFound('suppression');
    const now = this.deps.clock.now();
    if (s.ended_at === null && (await this.deps.suppressions.end(id, now))) {
      await this.deps.audit.record({ actor, action: 'security.suppression.end', target: `suppression:${id}`, outcome: 'success', details: { event_type: s.event_type, host: s.host, src_ip: s.src_ip } });
      return { ...s, ended_at: now };
    }
    return s;
  }
}
