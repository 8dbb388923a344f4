import type { DetectionRule, SecurityEvent } from '../../../protocol/security.js';
import { boundedSet, groupKey, groupOf, type DetectionEvaluator, type DetectionHit, type DetectionRuleType, type EvaluatorContext } from './detection-rule-type.js';

/** Inputs kept per bucket to link from the detection (the first ones). */
const INPUTS_KEPT = 20;

interface Bucket {
  group: Record<string, string>;
  start: number;
  count: number;
  inputs: SecurityEvent[];
  fired: boolean;
}

class ThresholdEvaluator implements DetectionEvaluator {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly rule: DetectionRule,
    private readonly ctx: EvaluatorContext,
  ) {}

  async observe(e: SecurityEvent): Promise<DetectionHit[]> {
    const group = groupOf(e, this.rule.group_by);
    if (!group) return [];
    const start = Math.floor(e.ts / this.rule.window_ms) * this.rule.window_ms;
    const key = `${groupKey(group)}@${start}`;
    const b = this.buckets.get(key) ?? { group, start, count: 0, inputs: [], fired: false };
    b.count++;
    if (b.inputs.length < INPUTS_KEPT) b.inputs.push(e);
    boundedSet(this.buckets, key, b, this.ctx.maxEntries);
    if (b.fired || b.count < this.rule.count) return [];
    b.fired = true;
    const where = Object.entries(group).map(([k, v]) => `${k.replace('metadata.', '')}=${v}`).join(', ') || 'all hosts';
    return [{ group, inputs: [...b.inputs], summary: `${b.count} ${this.rule.match_type} events in the window starting ${new Date(start).toISOString()} (${where})` }];
  }

  prune(now: number): void {
    for (const [k, b] of this.buckets) if (b.start + this.rule.window_ms < now) this.buckets.delete(k);
  }

  size(): number {
    return this.buckets.size;
  }
}

/**
 * Threshold on counts in fixed (tumbling) windows, grouped by fields (none: everything): fires
 * once per window when the count reaches `count`.
 */
export const thresholdDetection: DetectionRuleType = {
  kind: 'threshold',
  create: (rule, ctx) => new ThresholdEvaluator(rule, ctx),
};
