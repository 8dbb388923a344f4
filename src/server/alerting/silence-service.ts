import { randomUUID } from 'node:crypto';
import type { InhibitRule, MaintenanceWindowView, SilenceView } from '../../protocol/alerting.js';
import { isLabelName } from '../../protocol/selector.js';
import type { AuditLog } from '../auth/audit-log.js';
import type { Clock } from '../core/clock.js';
import { errors } from '../core/errors.js';
import type { EventBus } from '../live/event-bus.js';
import type { SettingsRepo } from '../storage/settings-repo.js';
import type { MaintenanceWindowRecord, MaintenanceWindowRepo, SilenceRecord, SilenceRepo } from '../storage/silence-repo.js';
import { INHIBIT_RULES_SETTING, type AlertEngine } from './alert-engine.js';
import { ALERTING_CONFIG_CHANGED, type AlertingConfigChanged } from './alerting-config-event.js';
import { formatMatchers, parseLabelMatchers } from './label-matchers.js';
import { compileSchedule } from './maintenance-schedule.js';
import { DEFAULT_INHIBIT_RULES } from './suppression.js';

/** Longest silence, ms (1 year). */
export const SILENCE_MAX_MS = 365 * 86_400_000;
/** Expired silences stay listed this long, ms (7 days). */
export const SILENCE_KEEP_EXPIRED_MS = 7 * 86_400_000;

function silenceView(s: SilenceRecord, now: number): SilenceView {
  return { id: s.id, matchers: s.matchers, startsAt: s.startsAt, endsAt: s.endsAt, comment: s.comment, createdBy: s.createdBy, createdAt: s.createdAt, status: s.endsAt <= now ? 'expired' : s.startsAt > now ? 'pending' : 'active' };
}

/** Silences, maintenance windows and inhibition rules, with validation and audit. */
export class SilenceService {
  constructor(private readonly deps: { silences: SilenceRepo; windows: MaintenanceWindowRepo; settings: SettingsRepo; engine: AlertEngine; audit: AuditLog; bus: EventBus; clock: Clock }) {}

  private async changed(): Promise<void> {
    await this.deps.engine.reloadSuppression();
    this.deps.bus.publish({ type: ALERTING_CONFIG_CHANGED, data: { origin: this.deps.engine.instanceId, kind: 'suppression' } satisfies AlertingConfigChanged });
  }

  async listSilences(): Promise<SilenceView[]> {
    const now = this.deps.clock.now();
    return (await this.deps.silences.list(now - SILENCE_KEEP_EXPIRED_MS)).map((s) => silenceView(s, now));
  }

  private parseSilence(raw: unknown): Pick<SilenceRecord, 'matchers' | 'startsAt' | 'endsAt' | 'comment'> {
    if (typeof raw !== 'object' || raw === null) throw errors.validation('a silence must be an object');
    const r = raw as Record<string, unknown>;
    const matchers = parseLabelMatchers(r.matchers, 'matchers');
    if (matchers.length === 0) throw errors.validation('matchers: at least one matcher (a silence of everything is not allowed)', { field: 'matchers' });
    if (matchers.every((m) => (m.op === '=~' && /^\.\*$/.test(m.value)) || (m.op === '!=' && m.value === ''))) throw errors.validation('matchers: the silence would match every alert', { field: 'matchers' });
    const now = this.deps.clock.now();
    const startsAt = r.startsAt === undefined ? now : r.startsAt;
    const endsAt = r.endsAt;
    if (typeof startsAt !== 'number' || !Number.isInteger(startsAt)) throw errors.validation('startsAt must be ms since epoch', { field: 'startsAt' });
    if (typeof endsAt !== 'number' || !Number.isInteger(endsAt) || endsAt <= startsAt || endsAt <= now) throw errors.validation('endsAt must be ms since epoch, after startsAt and in the future', { field: 'endsAt' });
    if (endsAt - startsAt > SILENCE_MAX_MS) throw errors.validation('a silence lasts at most 1 year', { field: 'endsAt' });
    const comment = r.comment;
    if (typeof comment !== 'string' || comment.trim() === '' || comment.length > 1000) throw errors.validation('comment is required (why, until when, ticket): 1-1000 characters', { field: 'comment' });
    return { matchers, startsAt, endsAt, comment };
  }

  async createSilence(raw: unknown, actor: string): Promise<SilenceView> {
    const now = this.deps.clock.now();
    const s: SilenceRecord = { id: randomUUID(), ...this.parseSilence(raw), createdBy: actor, createdAt: now, updatedAt: now };
    await this.deps.silences.upsert(s);
    await this.deps.audit.record({ actor, action: 'silence.create', target: `silence:${s.id}`, outcome: 'success', details: { matchers: formatMatchers(s.matchers), startsAt: s.startsAt, endsAt: s.endsAt, comment: s.comment.slice(0, 200) } });
    await this.changed();
    return silenceView(s, now);
  }

  async updateSilence(id: string, raw: unknown, actor: string): Promise<SilenceView> {
    const old = await this.deps.silences.get(id);
    if (!old) throw errors.notFound('silence');
    const now = this.deps.clock.now();
    if (old.endsAt <= now) throw errors.conflict('an expired silence cannot be changed; create a new one');
    const s: SilenceRecord = { ...old, ...this.parseSilence(raw), updatedAt: now };
    await this.deps.silences.upsert(s);
    await this.deps.audit.record({ actor, action: 'silence.update', target: `silence:${id}`, outcome: 'success', details: { matchers: formatMatchers(s.matchers), endsAt: s.endsAt } });
    await this.changed();
    return silenceView(s, now);
  }

  /** Ends a silence now. */
  async expireSilence(id: string, actor: string): Promise<SilenceView> {
    const old = await this.deps.silences.get(id);
    if (!old) throw errors.notFound('silence');
    const now = this.deps.clock.now();
    const s = { ...old, endsAt: Math.min(old.endsAt, now), startsAt: Math.min(old.startsAt, now), updatedAt: now };
    await this.deps.silences.upsert(s);
    await this.deps.audit.record({ actor, action: 'silence.expire', target: `silence:${id}`, outcome: 'success' });
    await this.changed();
    return silenceView(s, now);
  }

  private windowView(w: MaintenanceWindowRecord): MaintenanceWindowView {
    const now = this.deps.clock.now();
    const c = compileSchedule(w.schedule, w.timeZone);
    return { ...w, activeNow: w.enabled && c.activeAt(now), nextStart: w.enabled ? c.nextStart(now) : null };
  }

  async listWindows(): Promise<MaintenanceWindowView[]> {
    return (await this.deps.windows.list()).map((w) => this.windowView(w));
  }

  private parseWindow(raw: unknown): Pick<MaintenanceWindowRecord, 'name' | 'schedule' | 'timeZone' | 'matchers' | 'enabled'> {
    if (typeof raw !== 'object' || raw === null) throw errors.validation('a maintenance window must be an object');
    const r = raw as Record<string, unknown>;
    if (typeof r.name !== 'string' || r.name.trim() === '' || r.name.length > 200) throw errors.validation('name must be 1-200 characters', { field: 'name' });
    if (typeof r.timeZone !== 'string') throw errors.validation('timeZone is required, e.g. "Europe/Berlin"', { field: 'timeZone' });
    compileSchedule(r.schedule as MaintenanceWindowRecord['schedule'], r.timeZone);
    if (r.enabled !== undefined && typeof r.enabled !== 'boolean') throw errors.validation('enabled must be true or false', { field: 'enabled' });
    const s = r.schedule as MaintenanceWindowRecord['schedule'];
    const schedule: MaintenanceWindowRecord['schedule'] = s.kind === 'weekly' ? { kind: 'weekly', days: s.days, start: s.start, end: s.end } : { kind: 'cron', cron: s.cron, duration: s.duration };
    return { name: r.name.trim(), schedule, timeZone: r.timeZone, matchers: parseLabelMatchers(r.matchers, 'matchers'), enabled: r.enabled !== false };
  }

  async createWindow(raw: unknown, actor: string): Promise<MaintenanceWindowView> {
    const now = this.deps.clock.now();
    const w: MaintenanceWindowRecord = { id: randomUUID(), ...this.parseWindow(raw), createdBy: actor, createdAt: now, updatedAt: now };
    await this.deps.windows.upsert(w);
    await this.deps.audit.record({ actor, action: 'maintenance.create', target: `maintenance:${w.name}`, outcome: 'success', details: { id: w.id, schedule: w.schedule, timeZone: w.timeZone, matchers: formatMatchers(w.matchers) } });
    await this.changed();
    return this.windowView(w);
  }

  async updateWindow(id: string, raw: unknown, actor: string): Promise<MaintenanceWindowView> {
    const old = await this.deps.windows.get(id);
    if (!old) throw errors.notFound('maintenance window');
    const w: MaintenanceWindowRecord = { ...old, ...this.parseWindow(raw), updatedAt: this.deps.clock.now() };
    await this.deps.windows.upsert(w);
    await this.deps.audit.record({ actor, action: 'maintenance.update', target: `maintenance:${w.name}`, outcome: 'success', details: { id, schedule: w.schedule, enabled: w.enabled } });
    await this.changed();
    return this.windowView(w);
  }

  async deleteWindow(id: string, actor: string): Promise<void> {
    const old = await this.deps.windows.get(id);
    if (!old || !(await this.deps.windows.delete(id))) throw errors.notFound('maintenance window');
    await this.deps.audit.record({ actor, action: 'maintenance.delete', target: `maintenance:${old.name}`, outcome: 'success', details: { id } });
    await this.changed();
  }

  async inhibitRules(): Promise<InhibitRule[]> {
    return (await this.deps.settings.get<InhibitRule[]>(INHIBIT_RULES_SETTING)) ?? DEFAULT_INHIBIT_RULES;
  }

  async setInhibitRules(raw: unknown, actor: string): Promise<InhibitRule[]> {
    if (!Array.isArray(raw) || raw.length > 100) throw errors.validation('inhibit rules must be a list of at most 100 {source, target, equal}');
    const rules: InhibitRule[] = raw.map((r: unknown, i) => {
      const x = (r ?? {}) as Record<string, unknown>;
      const source = parseLabelMatchers(x.source, `[${i}].source`);
      const target = parseLabelMatchers(x.target, `[${i}].target`);
      if (source.length === 0 || target.length === 0) throw errors.validation(`[${i}]: source and target need at least one matcher each`, { field: `[${i}]` });
      const equal = x.equal ?? [];
      if (!Array.isArray(equal) || equal.some((n) => typeof n !== 'string' || !isLabelName(n))) throw errors.validation(`[${i}].equal must be a list of label names`, { field: `[${i}].equal` });
      return { source, target, equal: equal as string[] };
    });
    await this.deps.settings.set(INHIBIT_RULES_SETTING, rules, this.deps.clock.now());
    await this.deps.audit.record({ actor, action: 'inhibition.update', target: 'inhibit_rules', outcome: 'success', details: { count: rules.length } });
    await this.changed();
    return rules;
  }
}
