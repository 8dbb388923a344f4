import type { DetectionRule, SecurityEvent } from '../../../protocol/security.js';
import { boundedSet, groupKey, groupOf, type DetectionEvaluator, type DetectionHit, type DetectionRuleType, type EvaluatorContext } from './detection-rule-type.js';

/** Stored events read to learn a host's known values (per host, once per process). */
const HISTORY_LIMIT = 5000;

class FirstSeenEvaluator implements DetectionEvaluator {
  /** host → known group keys. */
  private readonly known = new Map<string, Set<string>>();
  private entries = 0;

  constructor(
    private readonly rule: DetectionRule,
    private readonly ctx: EvaluatorContext,
  ) {}

  /** Values the host already had, learnt from stored events the first time the host shows up. */
  private async knownFor(e: SecurityEvent): Promise<Set<string>> {
    let set = this.known.get(e.host);
    if (set) return set;
    set = new Set();
    for (const past of await this.ctx.history(e.host, this.rule.match_type, HISTORY_LIMIT)) {
      if (past.event_id === e.event_id || past.ts >= e.ts) continue;
      const g = groupOf(past, this.rule.group_by);
      if (g) set.add(groupKey(g));
    }
    this.entries += set.size;
    boundedSet(this.known, e.host, set, this.ctx.maxEntries);
    return set;
  }

  async observe(e: SecurityEvent): Promise<DetectionHit[]> {
    const group = groupOf(e, this.rule.group_by);
    if (!group) return [];
    const known = await this.knownFor(e);
    const key = groupKey(group);
    if (known.has(key)) return [];
    // Bounded: a host with an endless stream of new values stops being tracked beyond the cap.
    if (known.size >= this.ctx.maxEntries) return [];
    known.add(key);
    this.entries++;
    const what = Object.entries(group).map(([k, v]) => `${k.replace('metadata.', '')}=${v}`).join(', ');
    return [{ group, inputs: [e], summary: `first ${this.rule.match_type} with ${what} on ${e.host}` }];
  }

  prune(): void {
    // Known values are the point of this rule: they are kept (bounded by maxEntries per host and hosts).
  }

  size(): number {
    return this.entries;
  }
}

/**
 * First seen: fires when a host shows a value of the `group_by` fields it never showed before
 * (a new listening port, a new process name). What a host already had is learnt from the stored
 * events the first time the host is seen, so a restart does not re-announce everything.
 */
export const firstSeenDetection: DetectionRuleType = {
  kind: 'first_seen',
  create: (rule, ctx) => new FirstSeenEvaluator(rule, ctx),
};
