import type { AlertAck, AlertSeverity, AlertState, Suppression, TransitionKind } from '../../protocol/alerting.js';

/** The persisted lifecycle state of one alert instance (rule × label set). */
export interface AlertRecord {
  id: string;
  ruleId: string;
  /** Key of the candidate within the rule (evaluator's observation key). */
  key: string;
  fingerprint: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  state: AlertState;
  severity: AlertSeverity;
  value: number | null;
  threshold: number | null;
  /** When the condition became true for this episode (pending or firing), ms. */
  activeSince: number | null;
  firingSince: number | null;
  resolvedAt: number | null;
  /** Last evaluation at which the condition held (keep_firing_for, no-data timeout), ms. */
  lastTrueAt: number | null;
  lastEvalAt: number;
  ack: AlertAck | null;
  suppressedBy: Suppression[];
  flapping: boolean;
  /** Times of recent firing↔resolved changes (bounded), for flap detection. */
  flapHistory: number[];
  updatedAt: number;
  /** Monotonic change counter assigned by the repository on every save (readers poll by it). */
  seq: number;
}

/** A stored lifecycle event (see `AlertTransition` in the protocol). */
export interface TransitionRecord {
  alertId: string;
  ts: number;
  kind: TransitionKind;
  from: AlertState;
  to: AlertState;
  severity: AlertSeverity;
  value: number | null;
  reason: string;
  actor: string | null;
}

/** Filter of {@link AlertRepo.list}. */
export interface AlertQuery {
  states?: AlertState[];
  severities?: AlertSeverity[];
  ruleId?: string;
  limit: number;
}

/** Alert instances and their transitions. */
export interface AlertRepo {
  /** Every stored alert (the engine's state at startup). */
  loadAll(): Promise<AlertRecord[]>;
  get(id: string): Promise<AlertRecord | null>;
  /** Newest first by `updatedAt`. */
  list(q: AlertQuery): Promise<AlertRecord[]>;
  /** Alerts saved after change counter `seq`, in counter order (incremental readers). */
  changedSince(seq: number, limit: number): Promise<AlertRecord[]>;
  /**
   * Upserts alerts and appends transitions in one transaction; assigns and returns each alert's
   * new `seq` (parallel to `alerts`).
   */
  save(alerts: readonly Omit<AlertRecord, 'seq'>[], transitions: readonly TransitionRecord[]): Promise<number[]>;
  /** Transitions of an alert, newest first. */
  transitions(alertId: string, limit: number): Promise<(TransitionRecord & { id: number })[]>;
  /** Deletes alerts of a rule (rule deleted) with their transitions; returns how many. */
  deleteForRule(ruleId: string): Promise<number>;
  /** Deletes inactive/resolved alerts not updated since `before` (ms) with their transitions. */
  prune(before: number): Promise<number>;
}
