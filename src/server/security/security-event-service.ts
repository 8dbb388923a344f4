import type {
  SavedFilters,
  SecurityEvent,
  SecurityEventDetail,
  SecurityEventIngestResult,
  SecurityEventInput,
  SecurityEventPage,
  TriageBody,
} from '../../protocol/security.js';
import { severityRank } from '../../protocol/security.js';
import type { AuditLog } from '../auth/audit-log.js';
import { actorOf, type Principal } from '../auth/principal.js';
import type { Clock } from '../core/clock.js';
import { errors, VigilError } from '../core/errors.js';
import type { EventBus } from '../live/event-bus.js';
import type { SavedFilterRepo, SecurityEventRepo, SuppressionRepo } from '../storage/security-event-repo.js';
import { parseEventQuery, encodeCursor, type RawQuery } from './parse-event-query.js';
import { parseSecurityEventBatch } from './parse-security-events.js';
import { SECURITY_EVENT_RECORDED, type SecurityEventRecorded } from './security-events.js';
import { suppressionMatches } from './suppression-match.js';
import { canTransition, TRIAGE_TRANSITIONS } from './triage-transitions.js';

/** Options of the security event service. */
export interface SecurityEventOptions {
  /** How long events are kept, ms (default 90 days); older events are refused at ingest and deleted by maintenance. */
  retentionMs: number;
}

/** Default event retention: 90 days. */
export const DEFAULT_SECURITY_RETENTION_MS = 90 * 86_400_000;
/** Related events: same host within this many ms either side (10 min). */
export const RELATED_WINDOW_MS = 10 * 60_000;
/** Related events returned at most. */
const RELATED_MAX = 100;
const ERRORS_LISTED_MAX = 100;

/** Answer of one ingest call: HTTP status and body (200 all stored, 422 per-item errors). */
export interface EventIngestAnswer {
  status: 200 | 422;
  body: SecurityEventIngestResult;
}

/** Counters exported on `/metrics`. */
export interface SecurityEventCounters {
  stored: number;
  duplicates: number;
  rejected: number;
  suppressed: number;
}

/** A key presented for another agent's host: reported to the platform recorder. */
export type KeyMisuseReporter = (d: { agent: string; claimedHost: string; keyId: string }) => void;

/** Builds the stored form of an input. */
function stored(input: SecurityEventInput, host: string, agentId: string | null, receivedAt: number): SecurityEvent {
  return { ...input, host, agent_id: agentId, triage: 'new', suppressed_by: null, received_at: receivedAt };
}

/**
 * Security events (issue 6): ingest (validated per item, idempotent by `event_id`, suppressions
 * applied), search with facets and cursor paging, detail with related events, triage, saved
 * filters. Every stored batch is announced on the bus as {@link SECURITY_EVENT_RECORDED} after
 * commit (live topic, notifications, detections listen there).
 */
export class SecurityEventService {
  readonly counters: SecurityEventCounters = { stored: 0, duplicates: 0, rejected: 0, suppressed: 0 };

  constructor(
    private readonly deps: {
      events: SecurityEventRepo;
      suppressions: SuppressionRepo;
      savedFilters: SavedFilterRepo;
      audit: AuditLog;
      bus: EventBus;
      clock: Clock;
      onKeyMisuse?: KeyMisuseReporter;
    },
    readonly options: SecurityEventOptions,
  ) {}

  /**
   * `POST /api/v1/events`. Agents write for their own host only (a different `host` is key
   * misuse: 403, reported); users (write:incidents) must name the `host`.
   */
  async ingest(principal: Principal, body: unknown): Promise<EventIngestAnswer> {
    const now = this.deps.clock.now();
    const parsed = parseSecurityEventBatch(body, { now, maxAgeMs: this.options.retentionMs });
    let host: string;
    let agentId: string | null = null;
    if (principal.kind === 'agent') {
      if (parsed.host !== null && parsed.host !== principal.agentName) {
        this.deps.onKeyMisuse?.({ agent: principal.agentName, claimedHost: parsed.host, keyId: principal.keyId });
        throw new VigilError('VIGIL_ERR_FORBIDDEN', 'an agent key may only send events for its own host; omit "host"', { permission: 'agent:own-host' });
      }
      host = principal.agentName;
      agentId = principal.agentId;
    } else {
      if (parsed.host === null) throw errors.validation('host is required when a user sends events', { param: 'host' });
      host = parsed.host;
    }
    const events = parsed.events.map((p) => stored(p.event, host, agentId, now));
    const inserted = await this.store(events, false);
    const duplicates = events.length - inserted.length;
    this.counters.duplicates += duplicates;
    this.counters.rejected += parsed.errors.length;
    const result: SecurityEventIngestResult = { accepted: inserted.length, duplicates, rejected: parsed.errors.length, errors: parsed.errors.slice(0, ERRORS_LISTED_MAX) };
    return { status: parsed.errors.length ? 422 : 200, body: result };
  }

  /**
   * Stores events (suppressions applied, duplicates skipped) and announces the new ones on the
   * bus. Used by ingest, detections and the platform recorder. Returns the stored events.
   */
  async store(events: SecurityEvent[], fromDetection: boolean): Promise<SecurityEvent[]> {
    if (events.length === 0) return [];
    const active = await this.deps.suppressions.active(this.deps.clock.now());
    for (const e of events) {
      const s = active.find((x) => suppressionMatches(x, e));
      if (s) e.suppressed_by = s.id;
    }
    const ids = new Set(await this.deps.events.insert(events));
    const fresh = events.filter((e) => ids.has(e.event_id));
    this.counters.stored += fresh.length;
    this.counters.suppressed += fresh.filter((e) => e.suppressed_by !== null).length;
    if (fresh.length) this.deps.bus.publish({ type: SECURITY_EVENT_RECORDED, data: { events: fresh, fromDetection } satisfies SecurityEventRecorded });
    return fresh;
  }

  /** `GET /api/v1/events`: one page, exact total and facets over the whole filtered result. */
  async search(raw: RawQuery): Promise<SecurityEventPage> {
    const q = parseEventQuery(raw);
    const rows = await this.deps.events.search(q.filter, q.sort, q.cursor, q.limit + 1);
    const events = rows.slice(0, q.limit);
    // One grouped scan gives both: the total is the sum of the severity facet.
    const facets = await this.deps.events.facets(q.filter);
    const total = Object.values(facets.severity).reduce((a, b) => a + b, 0);
    const page: SecurityEventPage = { events, facets, total };
    const last = events[events.length - 1];
    if (rows.length > q.limit && last) page.next_cursor = encodeCursor({ sort: q.sort, ts: last.ts, severityRank: severityRank(last.severity), eventId: last.event_id });
    return page;
  }

  /** `GET /api/v1/events/:id`: the event, related events and its triage history. */
  async detail(eventId: string): Promise<SecurityEventDetail> {
    const event = await this.deps.events.get(eventId.toLowerCase());
    if (!event) throw errors.notFound('security event');
    const byHost = await this.deps.events.search(
      { hosts: [event.host], from: event.ts - RELATED_WINDOW_MS, to: event.ts + RELATED_WINDOW_MS + 1, includeSuppressed: true },
      'time',
      null,
      RELATED_MAX + 1,
    );
    const byCorrelation = event.correlation_id ? await this.deps.events.search({ correlationId: event.correlation_id, includeSuppressed: true }, 'time', null, RELATED_MAX + 1) : [];
    // A detection lists its inputs; they may carry their own correlation id (e.g. an sshd session).
    const inputIds = event.metadata?.['input_event_ids'];
    const inputs = Array.isArray(inputIds) ? await this.deps.events.getMany(inputIds.filter((x): x is string => typeof x === 'string').slice(0, RELATED_MAX)) : [];
    const related = new Map<string, SecurityEvent>();
    for (const e of [...inputs, ...byCorrelation, ...byHost]) if (e.event_id !== event.event_id && related.size < RELATED_MAX) related.set(e.event_id, e);
    const list = [...related.values()].sort((a, b) => b.ts - a.ts || (a.event_id < b.event_id ? 1 : -1));
    return { event, related: list, triage_history: await this.deps.events.triageHistory(event.event_id) };
  }

  /** `POST /api/v1/events/:id/triage`: moves the triage state (audited). */
  async triage(eventId: string, body: TriageBody, principal: Principal | null): Promise<SecurityEvent> {
    const id = eventId.toLowerCase();
    const event = await this.deps.events.get(id);
    if (!event) throw errors.notFound('security event');
    if (event.triage === body.state) return event;
    if (!canTransition(event.triage, body.state)) {
      throw new VigilError('VIGIL_ERR_TRIAGE_TRANSITION', `cannot move from ${event.triage} to ${body.state}`, { from: event.triage, allowed: TRIAGE_TRANSITIONS[event.triage] });
    }
    const actor = actorOf(principal);
    const at = this.deps.clock.now();
    if (!(await this.deps.events.setTriage(id, event.triage, body.state, actor, body.note ?? null, at))) throw errors.conflict('the triage state changed meanwhile; reload and retry');
    await this.deps.audit.record({ actor, action: 'security.triage', target: `security_event:${id}`, outcome: 'success', details: { from: event.triage, to: body.state, note: body.note ?? null } });
    return { ...event, triage: body.state };
  }

  /** Saved filters of a user (empty list when none saved). */
  async savedFilters(userId: string): Promise<SavedFilters> {
    return (await this.deps.savedFilters.get(userId)) ?? { filters: [] };
  }

  /** Replaces a user's saved filters; each query must itself be a valid event query. */
  async saveFilters(userId: string, filters: SavedFilters): Promise<SavedFilters> {
    const names = new Set<string>();
    for (const f of filters.filters) {
      if (names.has(f.name)) throw errors.validation(`filter name "${f.name}" is used twice`, { param: 'filters' });
      names.add(f.name);
      const raw: RawQuery = {};
      for (const [k, v] of new URLSearchParams(f.query)) raw[k] = raw[k] === undefined ? v : [raw[k]].flat().concat(v);
      try {
        parseEventQuery(raw);
      } catch (err) {
        if (err instanceof VigilError) throw errors.validation(`filter "${f.name}": ${err.message}`, err.details);
        throw err;
      }
    }
    await this.deps.savedFilters.set(userId, filters, this.deps.clock.now());
    return filters;
  }

  /** Deletes events older than the retention, in bounded batches. Returns how many. */
  async enforceRetention(maxPerRun = 50_000): Promise<number> {
    const before = this.deps.clock.now() - this.options.retentionMs;
    let total = 0;
    while (total < maxPerRun) {
      const n = await this.deps.events.deleteBefore(before, 5000);
      total += n;
      if (n < 5000) break;
    }
    return total;
  }
}
