import { NoLeaderAnswer } from './leader-commands.js';
import { randomUUID } from 'node:crypto';
import type { AlertDetail, AlertSeverity, AlertState, AlertView, RuleDryRunResult, RuleView } from '../../protocol/alerting.js';
import type { AuditLog } from '../auth/audit-log.js';
import type { Clock } from '../core/clock.js';
import { errors, VigilError } from '../core/errors.js';
import type { EventBus } from '../live/event-bus.js';
import type { AlertRepo } from '../storage/alert-repo.js';
import type { AlertRuleRecord, AlertRuleRepo } from '../storage/alert-rule-repo.js';
import { compileRule, parseRuleInput, ruleView, type RuleFields } from './alert-rule.js';
import type { AlertEngine } from './alert-engine.js';
import { alertView } from './alert-view.js';
import { ALERTING_CONFIG_CHANGED, type AlertingConfigChanged } from './alerting-config-event.js';
import { compileLabelMatchers, matchersFromText } from './label-matchers.js';
import type { HistoryReader, RuleTypeRegistry } from './rule-type-registry.js';
import { simulateRule } from './rule-simulator.js';
import { parseRulesYaml, rulesToYaml } from './rules-yaml.js';


/** Limits of dry runs (config). */
export interface DryRunLimits {
  /** Longest range, ms (default 30 days). */
  maxRangeMs: number;
  /** Most samples read (default 2,000,000). */
  maxSamples: number;
}

/** Default dry-run limits. */
export const DEFAULT_DRY_RUN_LIMITS: DryRunLimits = { maxRangeMs: 30 * 86_400_000, maxSamples: 2_000_000 };

/** Filter of {@link AlertService.listAlerts}. */
export interface AlertFilter {
  states?: AlertState[];
  severities?: AlertSeverity[];
  /** Label matchers as selector text, e.g. `host="web-1"`. */
  match?: string;
  ruleId?: string;
  limit?: number;
}

/**
 * Alerts and rules for the API: rule CRUD with audit, rules as code, dry runs against stored
 * history, the alert list and detail, acknowledgement. Every change is audited and applied to
 * the engine before the call returns.
 */
export class AlertService {
  constructor(
    private readonly deps: {
      rules: AlertRuleRepo;
      alerts: AlertRepo;
      engine: AlertEngine;
      registry: RuleTypeRegistry;
      history: HistoryReader;
      audit: AuditLog;
      bus: EventBus;
      clock: Clock;
      dryRun?: DryRunLimits;
    },
  ) {}

  private announce(id: string): void {
    this.deps.bus.publish({ type: ALERTING_CONFIG_CHANGED, data: { origin: this.deps.engine.instanceId, kind: 'rule', id } satisfies AlertingConfigChanged });
  }

  ruleTypes(): { type: string; title: string }[] {
    return this.deps.registry.list().map((t) => ({ type: t.type, title: t.title }));
  }

  async listRules(): Promise<RuleView[]> {
    return (await this.deps.rules.list()).map(ruleView);
  }

  async getRule(id: string): Promise<RuleView> {
    const r = await this.deps.rules.get(id);
    if (!r) throw errors.notFound('rule');
    return ruleView(r);
  }

  private async store(fields: RuleFields, actor: string, existing: AlertRuleRecord | null): Promise<AlertRuleRecord> {
    const now = this.deps.clock.now();
    if (existing) {
      const next: AlertRuleRecord = { ...existing, ...fields, updatedAt: now, version: existing.version + 1 };
      if (!(await this.deps.rules.update(next, existing.version))) throw errors.conflict('the rule changed meanwhile; reload and try again');
      return next;
    }
    const rec: AlertRuleRecord = { ...fields, id: randomUUID(), createdAt: now, updatedAt: now, createdBy: actor, version: 1 };
    await this.deps.rules.create(rec);
    return rec;
  }

  async createRule(input: unknown, actor: string): Promise<RuleView> {
    const rec = await this.store(parseRuleInput(input, this.deps.registry), actor, null);
    await this.deps.audit.record({ actor, action: 'rule.create', target: `rule:${rec.name}`, outcome: 'success', details: { id: rec.id, type: rec.type } });
    await this.deps.engine.reloadRule(rec.id);
    this.announce(rec.id);
    return ruleView(rec);
  }

  /** Replaces a rule; `expectedVersion` (when given) must match the stored version. */
  async updateRule(id: string, input: unknown, actor: string, expectedVersion?: number): Promise<RuleView> {
    const existing = await this.deps.rules.get(id);
    if (!existing) throw errors.notFound('rule');
    if (expectedVersion !== undefined && expectedVersion !== existing.version) throw errors.conflict(`the rule is at version ${existing.version}, not ${expectedVersion}; reload and try again`);
    const rec = await this.store(parseRuleInput(input, this.deps.registry), actor, existing);
    await this.deps.audit.record({ actor, action: 'rule.update', target: `rule:${rec.name}`, outcome: 'success', details: { id, version: rec.version } });
    await this.deps.engine.reloadRule(id);
    this.announce(id);
    return ruleView(rec);
  }

  async deleteRule(id: string, actor: string): Promise<void> {
    const existing = await this.deps.rules.get(id);
    if (!existing || !(await this.deps.rules.delete(id))) throw errors.notFound('rule');
    await this.deps.audit.record({ actor, action: 'rule.delete', target: `rule:${existing.name}`, outcome: 'success', details: { id } });
    await this.deps.engine.reloadRule(id);
    this.announce(id);
  }

  /** Rules as code: the YAML of every rule. */
  async exportYaml(): Promise<string> {
    return rulesToYaml(await this.deps.rules.list());
  }

  /**
   * Imports a YAML rules document: rules are matched by name, created or replaced; with
   * `prune`, rules missing from the document are deleted. Validation happens before any change.
   */
  async importYaml(text: string, actor: string, prune = false): Promise<{ created: number; updated: number; deleted: number; unchanged: number }> {
    const fields = parseRulesYaml(text, this.deps.registry);
    const existing = new Map((await this.deps.rules.list()).map((r) => [r.name, r]));
    const result = { created: 0, updated: 0, deleted: 0, unchanged: 0 };
    const touched: string[] = [];
    for (const f of fields) {
      const old = existing.get(f.name) ?? null;
      existing.delete(f.name);
      if (old && sameFields(old, f)) {
        result.unchanged++;
        continue;
      }
      const rec = await this.store(f, actor, old);
      touched.push(rec.id);
      if (old) result.updated++;
      else result.created++;
    }
    if (prune) {
      for (const r of existing.values()) {
        await this.deps.rules.delete(r.id);
        touched.push(r.id);
        result.deleted++;
      }
    }
    await this.deps.audit.record({ actor, action: 'rule.import', target: 'rules', outcome: 'success', details: { ...result, prune } });
    await this.deps.engine.reloadRules(touched);
    for (const id of touched) this.announce(id);
    return result;
  }

  /** Replays a (possibly unsaved) rule against stored history: how often it would have fired. */
  async dryRun(input: unknown, range: { start?: number; end?: number }): Promise<RuleDryRunResult> {
    const fields = parseRuleInput(input, this.deps.registry);
    const rule = compileRule({ ...fields, id: 'dry-run', createdAt: 0, updatedAt: 0, createdBy: 'dry-run', version: 1 }, this.deps.registry);
    const limits = this.deps.dryRun ?? DEFAULT_DRY_RUN_LIMITS;
    const end = range.end ?? this.deps.clock.now();
    const start = range.start ?? end - 7 * 86_400_000;
    if (!(start < end)) throw errors.validation('start must be before end', { field: 'start' });
    if (end - start > limits.maxRangeMs) throw new VigilError('VIGIL_ERR_QUERY_RANGE_TOO_LARGE', `a dry run covers at most ${Math.round(limits.maxRangeMs / 86_400_000)} days`);
    const evaluator = rule.type.createEvaluator(rule.spec, { severity: fields.severity, startedAt: start });
    const series = await this.deps.history.readRaw(rule.info.selector, start - evaluator.historyMs, end);
    const samples = series.reduce((n, s) => n + s.ts.length, 0);
    if (samples > limits.maxSamples) throw new VigilError('VIGIL_ERR_QUERY_TOO_MANY_POINTS', `the rule reads ${samples} samples in this range (limit ${limits.maxSamples}); shorten the range or narrow the selector`);
    const step = Math.max(fields.intervalMs, Math.ceil((end - start) / 2000 / 1000) * 1000);
    const { snapshots: _s, ...result } = await simulateRule(rule, series, { start, end, stepMs: step });
    return result;
  }

  async listAlerts(f: AlertFilter): Promise<AlertView[]> {
    let match: ((l: Record<string, string>) => boolean) | null = null;
    if (f.match) {
      try {
        match = compileLabelMatchers(matchersFromText(f.match));
      } catch (err) {
        throw errors.validation(`match: ${(err as Error).message}`, { field: 'match' });
      }
    }
    const limit = Math.min(f.limit ?? 500, 5000);
    const rows = await this.deps.alerts.list({ states: f.states ?? ['firing', 'pending', 'resolved'], severities: f.severities, ruleId: f.ruleId, limit: match ? 5000 : limit });
    return rows
      .filter((a) => !match || match(a.labels))
      .slice(0, limit)
      .map(alertView);
  }

  async getAlert(id: string): Promise<AlertDetail> {
    const a = await this.deps.alerts.get(id);
    if (!a) throw errors.notFound('alert');
    const transitions = await this.deps.alerts.transitions(id, 500);
    const rule = await this.deps.rules.get(a.ruleId);
    return { ...alertView(a), transitions, rule: rule ? ruleView(rule) : null };
  }

  /** Acknowledges an active alert (optionally until `expiresAt`, ms). */
  async acknowledge(id: string, actor: string, comment: string, expiresAt: number | null): Promise<AlertView> {
    if (expiresAt !== null && expiresAt <= this.deps.clock.now()) throw errors.validation('expiresAt must be in the future', { field: 'expiresAt' });
    if (!(await this.deps.alerts.get(id))) throw errors.notFound('alert');
    if (!(await leaderAnswer(this.deps.engine.acknowledge(id, actor, comment, expiresAt)))) throw errors.conflict('only a pending or firing alert can be acknowledged');
    await this.deps.audit.record({ actor, action: 'alert.ack', target: `alert:${id}`, outcome: 'success', details: { comment: comment.slice(0, 200), expiresAt } });
    return alertView((await this.deps.alerts.get(id)) as NonNullable<Awaited<ReturnType<AlertRepo['get']>>>);
  }

  async unacknowledge(id: string, actor: string): Promise<AlertView> {
    if (!(await this.deps.alerts.get(id))) throw errors.notFound('alert');
    if (!(await leaderAnswer(this.deps.engine.unacknowledge(id, actor)))) throw errors.conflict('the alert is not acknowledged');
    await this.deps.audit.record({ actor, action: 'alert.unack', target: `alert:${id}`, outcome: 'success' });
    return alertView((await this.deps.alerts.get(id)) as NonNullable<Awaited<ReturnType<AlertRepo['get']>>>);
  }
}

function sameFields(r: AlertRuleRecord, f: RuleFields): boolean {
  const { id: _i, createdAt: _c, updatedAt: _u, createdBy: _b, version: _v, ...rest } = r;
  return JSON.stringify(rest) === JSON.stringify({ ...rest, ...f });
}

/** Maps "no replica leads alert evaluation right now" (forwarded command unanswered) to a retryable 503. */
async function leaderAnswer(p: Promise<boolean>): Promise<boolean> {
  try {
    return await p;
  } catch (err) {
    if (err instanceof NoLeaderAnswer) throw new VigilError('VIGIL_ERR_LEADER_UNAVAILABLE', 'no replica is evaluating alerts right now (leader election in progress, or Redis unreachable); retry shortly', undefined, 5);
    throw err;
  }
}
