import type { SavedFilters, SecurityEvent, SecurityEventFacets, SecurityEventSort, SecurityEventType, Severity, Suppression, TriageHistoryEntry, TriageState } from '../../protocol/security.js';

/** Filter of an event search; every field narrows (absent = no condition). Times in ms, `to` exclusive. */
export interface SecurityEventFilter {
  eventTypes?: readonly SecurityEventType[];
  severities?: readonly Severity[];
  hosts?: readonly string[];
  agentIds?: readonly string[];
  from?: number;
  to?: number;
  /** Free text over `description` (all words must occur; FTS5 on SQLite, ILIKE elsewhere). */
  text?: string;
  triage?: readonly TriageState[];
  correlationId?: string;
  /** Include events stored with `suppressed_by` set (default false). */
  includeSuppressed?: boolean;
}

/** Position after the last row of a page: sort keys of that row. */
export interface SecurityEventCursor {
  sort: SecurityEventSort;
  ts: number;
  severityRank: number;
  eventId: string;
}

/** What a suppression matches: the type, and optionally host and `metadata.src_ip`. */
export interface SuppressionMatch {
  eventType: SecurityEventType;
  host: string | null;
  srcIp: string | null;
}

/** Stored security events (issue 6), their triage history and retention. */
export interface SecurityEventRepo {
  /** Inserts the events; an `event_id` already stored is skipped. Returns the ids actually inserted. */
  insert(events: readonly SecurityEvent[]): Promise<string[]>;
  get(eventId: string): Promise<SecurityEvent | null>;
  /** One page of matching events in `sort` order after `cursor`. */
  search(filter: SecurityEventFilter, sort: SecurityEventSort, cursor: SecurityEventCursor | null, limit: number): Promise<SecurityEvent[]>;
  /** Exact number of matching events. */
  count(filter: SecurityEventFilter): Promise<number>;
  /** Counts per severity, type and triage state over every matching event. */
  facets(filter: SecurityEventFilter): Promise<SecurityEventFacets>;
  /** Events matching a suppression since `since` (ms), whether already suppressed or not. */
  countMatching(match: SuppressionMatch, since: number): Promise<number>;
  /**
   * Moves an event from `from` to `to` and appends the history entry, atomically; false when the
   * event is missing or no longer in `from` (a concurrent change).
   */
  setTriage(eventId: string, from: TriageState, to: TriageState, actor: string, note: string | null, at: number): Promise<boolean>;
  triageHistory(eventId: string): Promise<TriageHistoryEntry[]>;
  /** Sets `correlation_id` on those of the events that have none (links a detection's inputs). */
  linkCorrelation(eventIds: readonly string[], correlationId: string): Promise<number>;
  /** The stored events among `eventIds` (any order). */
  getMany(eventIds: readonly string[]): Promise<SecurityEvent[]>;
  /** Deletes events with `ts` before `before` (ms) and their history, at most `max` per call. Returns how many. */
  deleteBefore(before: number, max: number): Promise<number>;
}

/** Suppressions (exceptions) of security events. */
export interface SuppressionRepo {
  add(s: Suppression): Promise<void>;
  get(id: string): Promise<Suppression | null>;
  /** Suppressions not ended and expiring after `at` (ms), newest first. */
  active(at: number): Promise<Suppression[]>;
  /** Every suppression, newest first, at most `limit`. */
  list(limit: number): Promise<Suppression[]>;
  /** Ends a suppression now; false when missing or already ended. */
  end(id: string, at: number): Promise<boolean>;
}

/** Saved SOC filters per user. */
export interface SavedFilterRepo {
  get(userId: string): Promise<SavedFilters | null>;
  set(userId: string, filters: SavedFilters, at: number): Promise<void>;
}
