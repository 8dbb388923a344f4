import { createHash, randomUUID } from 'node:crypto';
import type { SecurityEvent, SecurityEventType, Severity } from '../../protocol/security.js';
import { AUDIT_RECORDED } from '../auth/audit-log.js';
import type { Clock } from '../core/clock.js';
import type { EventBus } from '../live/event-bus.js';
import type { AuditEntry } from '../storage/audit-repo.js';

/** Bounds of the platform recorder. */
export interface PlatformRecorderOptions {
  /** Events recorded per type per minute at most (default 60); beyond, they are counted, not stored. */
  perTypePerMinute: number;
  /** Events buffered between flushes at most (default 1000). */
  bufferMax: number;
  /** Flush period, ms (default 1 s). */
  flushMs: number;
}

/** Default bounds. */
export const DEFAULT_PLATFORM_RECORDER_OPTIONS: PlatformRecorderOptions = { perTypePerMinute: 60, bufferMax: 1000, flushMs: 1000 };

/** `source` of the server's own events. */
export const PLATFORM_SOURCE = 'vigil-server';

interface Mapped {
  type: SecurityEventType;
  severity: Severity;
  mitre?: string;
  description: string;
}

/** Which audit entries are security events, and how they read. */
function mapAudit(a: AuditEntry): Mapped | null {
  const from = a.ip ? ` from ${a.ip}` : '';
  if (a.action === 'auth.login' && a.outcome === 'failure') return { type: 'login_failed', severity: 'medium', mitre: 'T1110', description: `Failed Vigil login for ${a.actor.replace(/^user:/, '')}${from}` };
  if (a.action === 'authz.denied') return { type: 'permission_denied', severity: 'low', description: `${a.actor} was denied ${a.target ?? '?'} (needs ${String(a.details?.['permission'] ?? '?')})${from}` };
  if (a.action === 'ratelimit.exceeded') return { type: 'rate_limit_violation', severity: 'medium', mitre: 'T1499', description: `Rate limit of the "${String(a.details?.['group'] ?? '?')}" group exceeded by ${a.actor}${from} on ${a.target ?? '?'}` };
  return null;
}

/** A UUID derived from `seed`: every replica that sees the same audit entry makes the same event_id (stored once). */
function derivedUuid(seed: string): string {
  const h = createHash('sha256').update(seed).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h.slice(16, 17), 16) & 0x3) | 0x8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/**
 * Records the server's own security events (issue 6): failed logins, permission denials and
 * rate-limit violations (read from the audit log's bus announcements, where those decisions are
 * already recorded) and API key misuse (reported directly). Never blocks the request path:
 * events are buffered and written in batches, bounded per type per minute and in total, so a
 * flood of 403s cannot fill the disk; what is left out is counted.
 */
export class PlatformEventRecorder {
  readonly counters = { recorded: 0, rateBounded: 0, bufferFull: 0, failed: 0 };
  private buffer: SecurityEvent[] = [];
  private readonly perType = new Map<SecurityEventType, { minute: number; n: number }>();
  private readonly timer: NodeJS.Timeout;
  private readonly unsubscribe: () => void;
  private flushing: Promise<void> | null = null;

  constructor(
    private readonly deps: { bus: EventBus; clock: Clock; hostname: string; store: (events: SecurityEvent[]) => Promise<unknown>; onError: (err: unknown) => void },
    private readonly opts: PlatformRecorderOptions = DEFAULT_PLATFORM_RECORDER_OPTIONS,
  ) {
    this.unsubscribe = deps.bus.subscribe((e) => {
      if (e.type !== AUDIT_RECORDED) return;
      const a = e.data as AuditEntry;
      const m = mapAudit(a);
      if (m) this.add(m, derivedUuid(`vigil-audit:${a.hash}`), a.ts, { actor: a.actor, src_ip: a.ip, route: a.target, user_agent: a.userAgent, ...(a.details ?? {}) });
    });
    this.timer = setInterval(() => void this.flush(), opts.flushMs);
    this.timer.unref();
  }

  /** An API key was used against its binding (agent A writing as host B) or after revocation/expiry. */
  keyMisuse(d: { keyId: string; actor: string; reason: string; ip?: string | null; claimedHost?: string }): void {
    this.add(
      { type: 'api_key_misuse', severity: 'high', mitre: 'T1078', description: `API key ${d.keyId} misused by ${d.actor}: ${d.reason}${d.ip ? ` from ${d.ip}` : ''}` },
      randomUUID(),
      this.deps.clock.now(),
      { key_id: d.keyId, actor: d.actor, reason: d.reason, src_ip: d.ip ?? null, ...(d.claimedHost ? { claimed_host: d.claimedHost } : {}) },
    );
  }

  private add(m: Mapped, eventId: string, ts: number, metadata: Record<string, unknown>): void {
    const minute = Math.floor(ts / 60_000);
    const bucket = this.perType.get(m.type);
    if (!bucket || bucket.minute !== minute) this.perType.set(m.type, { minute, n: 1 });
    else if (++bucket.n > this.opts.perTypePerMinute) {
      this.counters.rateBounded++;
      return;
    }
    if (this.buffer.length >= this.opts.bufferMax) {
      this.counters.bufferFull++;
      return;
    }
    const clean = Object.fromEntries(Object.entries(metadata).filter(([, v]) => v !== null && v !== undefined));
    const e: SecurityEvent = {
      event_id: eventId,
      ts,
      host: this.deps.hostname,
      agent_id: null,
      event_type: m.type,
      severity: m.severity,
      source: PLATFORM_SOURCE,
      description: m.description.slice(0, 2000),
      metadata: clean,
      triage: 'new',
      suppressed_by: null,
      received_at: this.deps.clock.now(),
    };
    if (m.mitre) e.mitre_technique = m.mitre;
    this.buffer.push(e);
  }

  /** Writes the buffered events now (the timer does it every `flushMs`). */
  async flush(): Promise<void> {
    while (this.flushing) await this.flushing;
    if (this.buffer.length === 0) return;
    const batch = this.buffer;
    this.buffer = [];
    this.flushing = this.deps
      .store(batch)
      .then(() => void (this.counters.recorded += batch.length))
      .catch((err: unknown) => {
        this.counters.failed += batch.length;
        this.deps.onError(err);
      })
      .finally(() => {
        this.flushing = null;
      });
    await this.flushing;
  }

  /** Stops listening and writes what is buffered. */
  async stop(): Promise<void> {
    this.unsubscribe();
    clearInterval(this.timer);
    await this.flush();
  }
}
