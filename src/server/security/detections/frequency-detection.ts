import type { DetectionRule, SecurityEvent } from '../../../protocol/security.js';
import { boundedSet, groupKey, groupOf, type DetectionEvaluator, type DetectionHit, type DetectionRuleType, type EvaluatorContext } from './detection-rule-type.js';

interface Group {
  group: Record<string, string>;
  /** The last `count` events of the group, oldest first. */
  recent: SecurityEvent[];
  /** Event time of the last firing; the group stays quiet for one window after it. */
  firedAt: number | null;
}

class FrequencyEvaluator implements DetectionEvaluator {
  private readonly groups = new Map<string, Group>();

  constructor(
    private readonly rule: DetectionRule,
    private readonly ctx: EvaluatorContext,
  ) {}

  async observe(e: SecurityEvent): Promise<DetectionHit[]> {
    const group = groupOf(e, this.rule.group_by);
    if (!group) return [];
    const key = groupKey(group);
    const g = this.groups.get(key) ?? { group, recent: [], firedAt: null };
    g.recent.push(e);
    g.recent.sort((a, b) => a.ts - b.ts);
    if (g.recent.length > this.rule.count) g.recent.splice(0, g.recent.length - this.rule.count);
    boundedSet(this.groups, key, g, this.ctx.maxEntries);
    const first = g.recent[0] as SecurityEvent;
    const last = g.recent[g.recent.length - 1] as SecurityEvent;
    const inWindow = g.recent.length >= this.rule.count && last.ts - first.ts <= this.rule.window_ms;
    const quiet = g.firedAt === null || last.ts - g.firedAt > this.rule.window_ms;
    if (!inWindow || !quiet) return [];
    g.firedAt = last.ts;
    const where = Object.entries(group).map(([k, v]) => `${k.replace('metadata.', '')}=${v}`).join(', ');
    return [{ group, inputs: [...g.recent], summary: `${g.recent.length} ${this.rule.match_type} events within ${Math.round((last.ts - first.ts) / 1000)} s (${where})` }];
  }

  prune(now: number): void {
    for (const [k, g] of this.groups) {
      const last = g.recent[g.recent.length - 1];
      if (!last || now - last.ts > this.rule.window_ms) this.groups.delete(k);
    }
  }

  size(): number {
    return this.groups.size;
  }
}

/**
 * Frequency within a sliding window, grouped by fields: fires when `count` events of the group
 * fall within `window_ms` (event time), then stays quiet for one window so a long burst is one
 * detection. State: at most `count` events per group and `maxEntries` groups.
 */
export const frequencyDetection: DetectionRuleType = {
  kind: 'frequency',
  create: (rule, ctx) => new FrequencyEvaluator(rule, ctx),
};
