import { randomUUID } from 'node:crypto';
import type { AlertExplanation, ChannelView, NotificationView, ReceiverView, RoutingConfig } from '../../protocol/alerting.js';
import type { AuditLog } from '../auth/audit-log.js';
import type { Clock } from '../core/clock.js';
import { errors, VigilError } from '../core/errors.js';
import type { EventBus } from '../live/event-bus.js';
import type { SecretBox } from '../secrets/secret-box.js';
import type { AlertRepo } from '../storage/alert-repo.js';
import type { ChannelRecord, ChannelRepo, ReceiverRecord, ReceiverRepo } from '../storage/channel-repo.js';
import type { PreferenceRepo } from '../storage/inbox-repo.js';
import type { NotifyTarget, OutboxRecord, OutboxRepo } from '../storage/outbox-repo.js';
import type { SettingsRepo } from '../storage/settings-repo.js';
import type { UserRepo } from '../storage/user-repo.js';
import type { ChannelRegistry } from './channel-type.js';
import { buildBatch } from './notification-batch.js';
import { NOTIFY_CONFIG_CHANGED } from './notify-events.js';
import type { NotifyPipeline } from './notify-pipeline.js';
import { PERSONAL_CHANNEL_SETTING } from './notify-pipeline.js';
import { channelSecretContext, type OutboxDispatcher } from './outbox-dispatcher.js';
import { defaultRouting, groupOf, ROUTING_SETTING, RoutingTree } from './routing-tree.js';
import { defaultPreferences, mediaFor } from './user-preferences.js';
import { atLeast } from './notification-batch.js';

const NAME_RE = /^[\w .:-]{1,100}$/;

function notificationView(r: OutboxRecord): NotificationView {
  return {
    id: r.id,
    dedupKey: r.dedupKey,
    kind: r.kind,
    status: r.status,
    target: r.target.kind === 'channel' ? `channel:${r.target.channelId}` : `user:${r.target.userId}:${r.target.medium}`,
    channelType: r.channelType,
    groupKey: r.groupKey,
    alertIds: r.alertIds,
    severity: r.severity,
    title: r.title,
    attempts: r.attempts,
    createdAt: r.createdAt,
    nextAttemptAt: r.nextAttemptAt,
    deliveredAt: r.deliveredAt,
    lastError: r.lastError,
    fallbackOf: r.fallbackOf,
  };
}

/**
 * Channels, receivers, the routing tree and the notification log for the API: validation with
 * field names, secrets sealed and write-only, audit of every change, test sends, and the
 * "why was I (not) notified?" explanation.
 */
export class ChannelService {
  constructor(
    private readonly deps: {
      channels: ChannelRepo;
      receivers: ReceiverRepo;
      outbox: OutboxRepo;
      alerts: AlertRepo;
      preferences: PreferenceRepo;
      users: UserRepo;
      settings: SettingsRepo;
      registry: ChannelRegistry;
      secrets: SecretBox;
      pipeline: NotifyPipeline;
      dispatcher: OutboxDispatcher;
      audit: AuditLog;
      bus: EventBus;
      clock: Clock;
      externalUrl: () => string;
    },
  ) {}

  channelTypes(): { type: string; title: string; secretFields: readonly string[] }[] {
    return this.deps.registry.list().map((t) => ({ type: t.type, title: t.title, secretFields: t.secretFields }));
  }

  private view(c: ChannelRecord): ChannelView {
    const type = this.deps.registry.get(c.type);
    const stored = c.secretsSealed ? (JSON.parse(this.deps.secrets.decrypt(c.secretsSealed, channelSecretContext(c.id))) as Record<string, string>) : {};
    return {
      id: c.id,
      name: c.name,
      type: c.type,
      config: c.config,
      secrets: Object.fromEntries((type?.secretFields ?? []).map((f) => [f, { set: typeof stored[f] === 'string' && stored[f] !== '' }])),
      enabled: c.enabled,
      configError: c.configError,
      consecutiveFailures: c.consecutiveFailures,
      lastSuccessAt: c.lastSuccessAt,
      createdAt: c.createdAt,
      updatedAt: c.updatedAt,
    };
  }

  async listChannels(): Promise<ChannelView[]> {
    return (await this.deps.channels.list()).map((c) => this.view(c));
  }

  async getChannel(id: string): Promise<ChannelView> {
    const c = await this.deps.channels.get(id);
    if (!c) throw errors.notFound('channel');
    return this.view(c);
  }

  /** Validates input against the type; secrets merge with the stored ones (absent = keep, null = clear). */
  private prepare(raw: unknown, id: string, old: ChannelRecord | null): Pick<ChannelRecord, 'name' | 'type' | 'config' | 'secretsSealed' | 'enabled'> {
    if (typeof raw !== 'object' || raw === null) throw errors.validation('a channel must be an object {name, type, config, secrets}');
    const r = raw as Record<string, unknown>;
    if (typeof r.name !== 'string' || !NAME_RE.test(r.name)) throw errors.validation('name must be 1-100 letters, digits, spaces or . _ : -', { field: 'name' });
    const typeName = typeof r.type === 'string' ? r.type : (old?.type ?? '');
    const type = this.deps.registry.get(typeName);
    if (!type) throw errors.validation(`type must be one of ${this.deps.registry.list().map((t) => t.type).join(', ')}`, { field: 'type' });
    if (old && old.type !== typeName) throw errors.validation('the type of a channel cannot change; create a new channel', { field: 'type' });
    const secrets = this.mergeSecrets(type.secretFields, old, id, r.secrets ?? {});
    for (const k of type.requiredSecrets) if (!secrets[k]) throw errors.validation(`secrets.${k} is required`, { field: `secrets.${k}` });
    const config = type.validate(r.config ?? {}, secrets);
    if (r.enabled !== undefined && typeof r.enabled !== 'boolean') throw errors.validation('enabled must be true or false', { field: 'enabled' });
    return {
      name: r.name,
      type: typeName,
      config: type.publicConfig(config),
      secretsSealed: Object.keys(secrets).length ? this.deps.secrets.encrypt(JSON.stringify(secrets), channelSecretContext(id)) : null,
      enabled: r.enabled === undefined ? (old?.enabled ?? true) : r.enabled,
    };
  }

  /** Stored secrets updated with the given ones: absent = keep, null or "" = clear. */
  private mergeSecrets(fields: readonly string[], old: ChannelRecord | null, id: string, given: unknown): Record<string, string> {
    const stored = old?.secretsSealed ? (JSON.parse(this.deps.secrets.decrypt(old.secretsSealed, channelSecretContext(id))) as Record<string, string>) : {};
    if (typeof given !== 'object' || given === null || Array.isArray(given)) throw errors.validation('secrets must be an object', { field: 'secrets' });
    const secrets: Record<string, string> = { ...stored };
    for (const [k, v] of Object.entries(given as Record<string, unknown>)) {
      if (!fields.includes(k)) throw errors.validation(`secrets: unknown field ${k}; allowed: ${fields.join(', ') || 'none'}`, { field: `secrets.${k}` });
      if (v === null || v === '') delete secrets[k];
      else if (typeof v === 'string') secrets[k] = v;
      else throw errors.validation(`secrets.${k} must be a string (or null to clear it)`, { field: `secrets.${k}` });
    }
    return secrets;
  }

  async createChannel(raw: unknown, actor: string): Promise<ChannelView> {
    const id = randomUUID();
    const now = this.deps.clock.now();
    const c: ChannelRecord = { id, ...this.prepare(raw, id, null), configError: null, consecutiveFailures: 0, lastSuccessAt: null, lastFailureAt: null, createdAt: now, updatedAt: now };
    await this.deps.channels.create(c);
    await this.deps.audit.record({ actor, action: 'channel.create', target: `channel:${c.name}`, outcome: 'success', details: { id, type: c.type, secretsChanged: Object.keys(((raw as { secrets?: object }).secrets ?? {}) as object) } });
    return this.view(c);
  }

  async updateChannel(id: string, raw: unknown, actor: string): Promise<ChannelView> {
    const old = await this.deps.channels.get(id);
    if (!old) throw errors.notFound('channel');
    const c: ChannelRecord = { ...old, ...this.prepare(raw, id, old), configError: null, updatedAt: this.deps.clock.now() };
    await this.deps.channels.update(c);
    await this.deps.audit.record({ actor, action: 'channel.update', target: `channel:${c.name}`, outcome: 'success', details: { id, secretsChanged: Object.keys(((raw as { secrets?: object }).secrets ?? {}) as object) } });
    return this.view(c);
  }

  async deleteChannel(id: string, actor: string): Promise<void> {
    const old = await this.deps.channels.get(id);
    if (!old) throw errors.notFound('channel');
    const users = (await this.deps.receivers.list()).filter((r) => r.channelIds.includes(id));
    if (users.length) throw errors.conflict(`the channel is used by receiver ${users.map((r) => `"${r.name}"`).join(', ')}; remove it there first`);
    await this.deps.channels.delete(id);
    await this.deps.audit.record({ actor, action: 'channel.delete', target: `channel:${old.name}`, outcome: 'success', details: { id } });
  }

  /** Sends a test notification through a channel now and returns its delivery record. */
  async testChannel(id: string, actor: string): Promise<NotificationView> {
    const c = await this.deps.channels.get(id);
    if (!c) throw errors.notFound('channel');
    const view = await this.sendTest([{ kind: 'channel', channelId: id }], c.type, actor);
    await this.deps.audit.record({ actor, action: 'channel.test', target: `channel:${c.name}`, outcome: view[0]?.status === 'delivered' ? 'success' : 'failure', details: { id, error: view[0]?.lastError ?? null } });
    return view[0] as NotificationView;
  }

  /** Sends a test notification to the caller through each medium of their preferences. */
  async testUser(userId: string, actor: string): Promise<NotificationView[]> {
    const prefs = (await this.deps.preferences.get(userId)) ?? defaultPreferences(userId);
    const { media, skipped } = mediaFor(prefs, 'critical', this.deps.clock.now(), atLeast);
    const mail = await this.deps.settings.get<string>(`${PERSONAL_CHANNEL_SETTING}email`);
    const targets: NotifyTarget[] = media.filter((m) => m !== 'email' || mail).map((medium) => ({ kind: 'user', userId, medium }));
    if (targets.length === 0) throw errors.validation(`no medium to test: ${skipped.join('; ') || 'enable in-app, e-mail or Slack in your preferences'}`);
    return this.sendTest(targets, null, actor);
  }

  private async sendTest(targets: NotifyTarget[], channelType: string | null, actor: string): Promise<NotificationView[]> {
    const now = this.deps.clock.now();
    const records: OutboxRecord[] = targets.map((target) => {
      const id = randomUUID();
      const fake = { id: `test-${id}`, ruleId: 'test', key: 'test', fingerprint: 'test', labels: { alertname: 'VigilTestNotification', severity: 'info', requested_by: actor }, annotations: { summary: `Test notification requested by ${actor}. If you can read this, the channel works.` }, state: 'firing' as const, severity: 'info' as const, value: null, threshold: null, activeSince: now, firingSince: now, resolvedAt: null, lastTrueAt: now, lastEvalAt: now, ack: null, suppressedBy: [], flapping: false, flapHistory: [], updatedAt: now, seq: 0 };
      const dedupKey = `vigil-test-${id}`;
      const batch = buildBatch({ kind: 'test', notificationId: id, dedupKey, groupKey: 'test', receiver: 'test', groupLabels: {}, alerts: [fake], externalUrl: this.deps.externalUrl(), now });
      return { id, dedupKey, kind: 'test', status: 'pending', target, channelType: channelType ?? (target.kind === 'user' ? target.medium : 'unknown'), groupKey: 'test', alertIds: [], severity: 'info', title: batch.title, payload: batch, attempts: 0, createdAt: now, nextAttemptAt: null, leaseUntil: null, deliveredAt: null, lastError: null, fallbackOf: null, fallbackSent: false };
    });
    await this.deps.outbox.commit({ notifications: records });
    const out: NotificationView[] = [];
    for (const r of records) {
      const done = await this.deps.dispatcher.deliverNow(r.id);
      out.push({ ...notificationView(done ?? r), log: await this.deps.outbox.attempts(r.id) });
    }
    return out;
  }

  async listReceivers(): Promise<ReceiverView[]> {
    return this.deps.receivers.list();
  }

  private async prepareReceiver(raw: unknown): Promise<Pick<ReceiverRecord, 'name' | 'channelIds' | 'userIds'>> {
    if (typeof raw !== 'object' || raw === null) throw errors.validation('a receiver must be an object {name, channelIds, userIds}');
    const r = raw as Record<string, unknown>;
    if (typeof r.name !== 'string' || !NAME_RE.test(r.name)) throw errors.validation('name must be 1-100 letters, digits, spaces or . _ : -', { field: 'name' });
    const list = (v: unknown, field: string) => {
      if (v === undefined) return [];
      if (!Array.isArray(v) || v.length > 100 || v.some((x) => typeof x !== 'string')) throw errors.validation(`${field} must be a list of ids`, { field });
      return [...new Set(v as string[])];
    };
    const channelIds = list(r.channelIds, 'channelIds');
    const userIds = list(r.userIds, 'userIds');
    for (const id of channelIds) if (!(await this.deps.channels.get(id))) throw errors.validation(`channelIds: no channel ${id}`, { field: 'channelIds' });
    for (const id of userIds) if (!(await this.deps.users.get(id))) throw errors.validation(`userIds: no user ${id}`, { field: 'userIds' });
    return { name: r.name, channelIds, userIds };
  }

  async createReceiver(raw: unknown, actor: string): Promise<ReceiverView> {
    const now = this.deps.clock.now();
    const r: ReceiverRecord = { id: randomUUID(), ...(await this.prepareReceiver(raw)), createdAt: now, updatedAt: now };
    await this.deps.receivers.create(r);
    await this.deps.audit.record({ actor, action: 'receiver.create', target: `receiver:${r.name}`, outcome: 'success', details: { id: r.id, channels: r.channelIds.length, users: r.userIds.length } });
    return r;
  }

  async updateReceiver(id: string, raw: unknown, actor: string): Promise<ReceiverView> {
    const old = await this.deps.receivers.get(id);
    if (!old) throw errors.notFound('receiver');
    const r: ReceiverRecord = { ...old, ...(await this.prepareReceiver(raw)), updatedAt: this.deps.clock.now() };
    if (r.name !== old.name && this.deps.pipeline.routing().receivers.has(old.name)) throw errors.conflict(`the routing tree refers to "${old.name}"; change the routes first`);
    await this.deps.receivers.update(r);
    await this.deps.audit.record({ actor, action: 'receiver.update', target: `receiver:${r.name}`, outcome: 'success', details: { id } });
    return r;
  }

  async deleteReceiver(id: string, actor: string): Promise<void> {
    const old = await this.deps.receivers.get(id);
    if (!old) throw errors.notFound('receiver');
    if (this.deps.pipeline.routing().receivers.has(old.name)) throw errors.conflict(`the routing tree refers to "${old.name}"; change the routes first`);
    await this.deps.receivers.delete(id);
    await this.deps.audit.record({ actor, action: 'receiver.delete', target: `receiver:${old.name}`, outcome: 'success', details: { id } });
  }

  async getRouting(): Promise<RoutingConfig> {
    return (await this.deps.settings.get<RoutingConfig>(ROUTING_SETTING)) ?? defaultRouting();
  }

  /** Replaces the routing tree (optimistic: `version` must be the stored one). */
  async setRouting(raw: unknown, actor: string): Promise<RoutingConfig> {
    if (typeof raw !== 'object' || raw === null) throw errors.validation('routing must be an object {root, fallbackReceiver, fallbackAfter, version}');
    const current = await this.getRouting();
    const r = raw as RoutingConfig;
    if (r.version !== undefined && r.version !== current.version) throw errors.conflict(`the routing changed meanwhile (version ${current.version}); reload and try again`);
    const next: RoutingConfig = { root: r.root, fallbackReceiver: r.fallbackReceiver ?? null, fallbackAfter: r.fallbackAfter ?? '10m', version: current.version + 1 };
    let tree: RoutingTree;
    try {
      tree = new RoutingTree(next);
    } catch (err) {
      if (err instanceof VigilError) throw err;
      throw errors.validation(`invalid routing: ${(err as Error).message}`);
    }
    const known = new Set((await this.deps.receivers.list()).map((x) => x.name));
    for (const name of tree.receivers) if (!known.has(name)) throw errors.validation(`receiver "${name}" does not exist; create it first`, { field: 'receiver' });
    await this.deps.settings.set(ROUTING_SETTING, next, this.deps.clock.now());
    await this.deps.audit.record({ actor, action: 'routing.update', target: 'routing', outcome: 'success', details: { version: next.version, receivers: [...tree.receivers] } });
    await this.deps.pipeline.reloadRouting();
    this.deps.bus.publish({ type: NOTIFY_CONFIG_CHANGED, data: { kind: 'routing' } });
    return next;
  }

  /** Sets the channel used for personal messages of its type (e.g. the SMTP server for users' e-mail). */
  async setPersonalChannel(type: string, channelId: string | null, actor: string): Promise<void> {
    if (channelId !== null) {
      const c = await this.deps.channels.get(channelId);
      if (!c || c.type !== type) throw errors.validation(`channel ${channelId} is not a ${type} channel`, { field: 'channelId' });
    }
    await this.deps.settings.set(`${PERSONAL_CHANNEL_SETTING}${type}`, channelId, this.deps.clock.now());
    await this.deps.audit.record({ actor, action: 'notify.personal_channel', target: `type:${type}`, outcome: 'success', details: { channelId } });
  }

  async getPersonalChannel(type: string): Promise<string | null> {
    return this.deps.settings.get<string>(`${PERSONAL_CHANNEL_SETTING}${type}`);
  }

  async listNotifications(q: { status?: NotificationView['status']; alertId?: string; limit?: number; before?: number }): Promise<NotificationView[]> {
    return (await this.deps.outbox.list({ ...q, limit: Math.min(q.limit ?? 100, 1000) })).map(notificationView);
  }

  async getNotification(id: string): Promise<NotificationView> {
    const r = await this.deps.outbox.get(id);
    if (!r) throw errors.notFound('notification');
    return { ...notificationView(r), log: await this.deps.outbox.attempts(id) };
  }

  async counts(): Promise<Record<string, number>> {
    return this.deps.outbox.countByStatus();
  }

  /** "Why was I (not) notified?": routes, group, suppressions, escalation and every delivery attempt. */
  async explain(alertId: string): Promise<AlertExplanation> {
    const a = await this.deps.alerts.get(alertId);
    if (!a) throw errors.notFound('alert');
    const tree = this.deps.pipeline.routing();
    const matchedRoutes = tree.match(a.labels).map((r) => ({ id: r.id, receiver: r.escalation.length ? r.escalation.map((s) => s.receiver).join(' → ') : r.receiver, groupKey: groupOf(r, a.labels).key }));
    const notifications: NotificationView[] = [];
    for (const n of await this.deps.outbox.list({ alertId, limit: 200 })) notifications.push({ ...notificationView(n), log: await this.deps.outbox.attempts(n.id) });
    const steps = (await this.deps.outbox.trace(alertId, 500)).map(({ alertId: _a, ...s }) => s);
    if (a.state === 'pending') steps.push({ ts: this.deps.clock.now(), step: 'route', message: 'pending: not notified until it has been firing for the rule\'s "for" duration' });
    return { alertId, matchedRoutes, suppressedBy: a.suppressedBy, steps, notifications };
  }
}
