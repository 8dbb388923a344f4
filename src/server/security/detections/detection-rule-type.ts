import type { DetectionKind, DetectionRule, SecurityEvent } from '../../../protocol/security.js';

/** A detection firing: the events that made it fire (oldest first) and the group they share. */
export interface DetectionHit {
  /** Group values, e.g. `{ "metadata.src_ip": "203.0.113.45" }`. */
  group: Record<string, string>;
  /** Events that triggered it (bounded by the rule's count), oldest first. */
  inputs: SecurityEvent[];
  /** Human sentence for the emitted event's description. */
  summary: string;
}

/** Where a first-seen rule learns what a host already had (stored events of that type). */
export type HostHistory = (host: string, eventType: SecurityEvent['event_type'], limit: number) => Promise<SecurityEvent[]>;

/** Per-rule state, bounded; fed events in arrival order. */
export interface DetectionEvaluator {
  /** Feeds one event of the rule's `match_type`; returns the hits it causes. */
  observe(e: SecurityEvent): Promise<DetectionHit[]>;
  /** Drops state older than the rule's window relative to `now` (event time, ms). */
  prune(now: number): void;
  /** Entries of state held (groups, seen values), for bounds checks and metrics. */
  size(): number;
}

/** What every evaluator gets besides its rule. */
export interface EvaluatorContext {
  history: HostHistory;
  /** Most groups / values one rule keeps (default 10,000); the oldest are forgotten beyond it. */
  maxEntries: number;
}

/** A registered detection rule type (extension point: the engine never switches on `kind`). */
export interface DetectionRuleType {
  kind: DetectionKind;
  create(rule: DetectionRule, ctx: EvaluatorContext): DetectionEvaluator;
}

/** Value of a `group_by` field (`host` or `metadata.<key>`) of an event, or null when absent. */
export function fieldValue(e: SecurityEvent, field: string): string | null {
  if (field === 'host') return e.host;
  const v = field.startsWith('metadata.') ? e.metadata?.[field.slice('metadata.'.length)] : undefined;
  return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? String(v) : null;
}

/** Group values of an event, or null when a field is missing (the event is not grouped). */
export function groupOf(e: SecurityEvent, fields: readonly string[]): Record<string, string> | null {
  const out: Record<string, string> = {};
  for (const f of fields) {
    const v = fieldValue(e, f);
    if (v === null) return null;
    out[f] = v;
  }
  return out;
}

/** Stable map key of a group. */
export function groupKey(group: Record<string, string>): string {
  return JSON.stringify(Object.entries(group).sort());
}

/** Adds `key` to an insertion-ordered map, forgetting the oldest entries beyond `max`. */
export function boundedSet<V>(map: Map<string, V>, key: string, value: V, max: number): void {
  map.delete(key);
  map.set(key, value);
  while (map.size > max) map.delete(map.keys().next().value as string);
}
