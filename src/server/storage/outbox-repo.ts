import type { AlertSeverity, DeliveryAttempt, ExplainStep, NotificationKind, NotificationStatus } from '../../protocol/alerting.js';

/** Where a notification goes: a configured channel, or one user through one medium of their preferences. */
export type NotifyTarget = { kind: 'channel'; channelId: string } | { kind: 'user'; userId: string; medium: 'email' | 'slack' | 'inapp' };

/** One notification in the persistent outbox (written before any send). */
export interface OutboxRecord {
  /** Unique id; doubles as the idempotency key sent to receivers. */
  id: string;
  /** Stable incident key (PagerDuty `dedup_key`): same for trigger, acknowledge and resolve. */
  dedupKey: string;
  kind: NotificationKind;
  status: NotificationStatus;
  target: NotifyTarget;
  channelType: string;
  groupKey: string;
  alertIds: string[];
  severity: AlertSeverity;
  title: string;
  /** The batch to render and send (JSON-serializable). */
  payload: unknown;
  attempts: number;
  createdAt: number;
  nextAttemptAt: number | null;
  /** While `sending`: the claim expires at this time (ms) and another dispatcher may retry. */
  leaseUntil: number | null;
  deliveredAt: number | null;
  lastError: string | null;
  /** Id of the notification this one replaces through the fallback receiver. */
  fallbackOf: string | null;
  /** True once a fallback copy was enqueued for this notification. */
  fallbackSent: boolean;
}

/** Persisted state of one aggregation group (Alertmanager's notification log, per group). */
export interface NotifyGroupRecord {
  key: string;
  routeId: string;
  groupLabels: Record<string, string>;
  /** Current episode (from first firing to all resolved); part of the incident key. */
  episodeId: string;
  episodeStart: number;
  firstSeenAt: number;
  lastFlushAt: number | null;
  nextFlushAt: number | null;
  /** Alerts announced as firing in this episode (ids). */
  sentFiring: string[];
  /** Alerts announced as resolved (ids). */
  sentResolved: string[];
  /** Hash of the firing set at the last flush, for repeat decisions. */
  lastHash: string | null;
  ackSent: boolean;
  /** Index of the last escalation step notified (−1 before the first). */
  escalationStep: number;
  /** Receivers notified in this episode (they get the resolve and acknowledge notices). */
  receiversNotified: string[];
  updatedAt: number;
}

/** One entry of the per-alert notification trace ("why was I (not) notified?"). */
export interface TraceRecord extends ExplainStep {
  alertId: string;
}

/** Filter of {@link OutboxRepo.list}. */
export interface OutboxQuery {
  status?: NotificationStatus;
  alertId?: string;
  limit: number;
  /** Only rows created before this (ms), for paging. */
  before?: number;
}

/** The outbox, its delivery log, aggregation-group state and the notification trace. */
export interface OutboxRepo {
  /**
   * Atomically: upsert (or delete) group states, insert notifications and trace entries. A flush
   * is all-or-nothing, so a crash never leaves a group marked sent without its notifications.
   */
  commit(change: { groups?: NotifyGroupRecord[]; deleteGroups?: string[]; notifications?: OutboxRecord[]; trace?: TraceRecord[] }): Promise<void>;
  groups(): Promise<NotifyGroupRecord[]>;
  /**
   * Claims up to `limit` due notifications (pending with `nextAttemptAt <= now`, or sending with an
   * expired lease), marks them `sending` with a lease until `now + leaseMs` and counts the attempt.
   */
  claimDue(now: number, leaseMs: number, limit: number): Promise<OutboxRecord[]>;
  /** Claims one notification by id regardless of its schedule (test sends); null if not claimable. */
  claim(id: string, now: number, leaseMs: number): Promise<OutboxRecord | null>;
  /** Gives a claimed notification back unsent (not counted as an attempt), due again at `nextAttemptAt`. */
  release(id: string, nextAttemptAt: number): Promise<void>;
  /** Records an attempt and the row's new status in one transaction. */
  complete(id: string, update: Pick<OutboxRecord, 'status' | 'nextAttemptAt' | 'lastError' | 'deliveredAt'>, attempt: DeliveryAttempt): Promise<void>;
  /** Marks that a fallback copy was enqueued. */
  markFallbackSent(id: string): Promise<void>;
  /** Pending notifications created before `before` (ms) without a fallback yet, oldest first. */
  overdue(before: number, limit: number): Promise<OutboxRecord[]>;
  get(id: string): Promise<OutboxRecord | null>;
  list(q: OutboxQuery): Promise<OutboxRecord[]>;
  attempts(id: string): Promise<DeliveryAttempt[]>;
  /** Trace of an alert, oldest first (the newest `limit`). */
  trace(alertId: string, limit: number): Promise<TraceRecord[]>;
  /** Counts by status (for `/metrics` and the UI). */
  countByStatus(): Promise<Record<string, number>>;
  /** Deletes finished notifications (delivered/failed/dead) and trace entries older than `before`. */
  prune(before: number): Promise<number>;
}
