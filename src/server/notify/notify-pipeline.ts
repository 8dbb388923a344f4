import { createHash, randomUUID } from 'node:crypto';
import type { NotificationKind, RoutingConfig } from '../../protocol/alerting.js';
import { formatDuration } from '../../protocol/duration.js';
import type { Clock } from '../core/clock.js';
import type { AlertRecord, AlertRepo } from '../storage/alert-repo.js';
import type { ChannelRepo, ReceiverRecord, ReceiverRepo } from '../storage/channel-repo.js';
import type { PreferenceRepo } from '../storage/inbox-repo.js';
import type { NotifyGroupRecord, OutboxRecord, OutboxRepo, TraceRecord } from '../storage/outbox-repo.js';
import type { SettingsRepo } from '../storage/settings-repo.js';
import { atLeast, buildBatch, incidentKey } from './notification-batch.js';

/** Label of a system alert naming a channel id it must not be sent through (see the dispatcher's self-alerts). */
export const AVOID_CHANNEL_LABEL = 'vigil_avoid_channel';
import { defaultRouting, groupOf, ROUTING_SETTING, RoutingTree, type EffectiveRoute } from './routing-tree.js';
import { defaultPreferences, mediaFor } from './user-preferences.js';

/** Settings key prefix of the channel used for personal messages of a type, e.g. `notify.personal_channel.email`. */
export const PERSONAL_CHANNEL_SETTING = 'notify.personal_channel.';
/** Settings key of the SMTP channel used to e-mail users who want e-mail. */
export const USER_EMAIL_CHANNEL_SETTING = `${PERSONAL_CHANNEL_SETTING}email`;

/** What the pipeline needs. */
export interface NotifyPipelineDeps {
  alerts: AlertRepo;
  outbox: OutboxRepo;
  receivers: ReceiverRepo;
  channels: ChannelRepo;
  preferences: PreferenceRepo;
  settings: SettingsRepo;
  clock: Clock;
  /** Dashboard base URL for links (read at flush time: known only once the server listens). */
  externalUrl: () => string;
  /** Called after notifications were committed (wakes the dispatcher). */
  onEnqueued: () => void;
  onError: (msg: string, err: unknown) => void;
}

/** Counters exported on `/metrics`. */
export interface PipelineCounters {
  ticks: number;
  flushes: number;
  notificationsQueued: number;
}

interface GroupView {
  key: string;
  route: EffectiveRoute;
  labels: Record<string, string>;
  members: AlertRecord[];
}

/** Resolved alerts stay in the pipeline's view this long after resolving, ms (enough for a resolve notice). */
const RESOLVED_VIEW_MS = 24 * 3_600_000;

function hashIds(ids: readonly string[]): string {
  return createHash('sha256').update([...ids].sort().join(',')).digest('hex').slice(0, 16);
}

/**
 * The notification pipeline, level-triggered like Alertmanager's dispatcher: each tick it reads
 * the current alerts (incrementally, by change counter), routes them through the tree into
 * aggregation groups, and decides per group — group_wait, group_interval, repeat_interval,
 * escalation steps, acknowledgement, resolve — against the group's persisted notification log.
 * A flush writes the group state, the notifications (outbox) and the trace in one transaction,
 * so a crash can neither lose a notification nor send one twice beyond at-least-once.
 */
export class NotifyPipeline {
  readonly counters: PipelineCounters = { ticks: 0, flushes: 0, notificationsQueued: 0 };
  private readonly view = new Map<string, AlertRecord>();
  private groups = new Map<string, NotifyGroupRecord>();
  private seq = 0;
  private tree: RoutingTree = new RoutingTree(defaultRouting());
  private loaded = false;
  /** Last hold reason traced per alert, so a held alert is traced once, not every tick. */
  private readonly holdTraced = new Map<string, string>();

  constructor(private readonly deps: NotifyPipelineDeps) {}

  /** The routing tree in use. */
  routing(): RoutingTree {
    return this.tree;
  }

  /** Reloads the routing configuration (after a change). */
  async reloadRouting(): Promise<void> {
    const cfg = (await this.deps.settings.get<RoutingConfig>(ROUTING_SETTING)) ?? defaultRouting();
    try {
      this.tree = new RoutingTree(cfg);
    } catch (err) {
      this.deps.onError('stored routing configuration is invalid; keeping the previous one', err);
    }
  }

  /** Forgets in-memory state so the next tick reloads from storage (leadership changes). */
  reset(): void {
    this.loaded = false;
  }

  private async load(): Promise<void> {
    await this.reloadRouting();
    this.view.clear();
    this.seq = 0;
    this.groups = new Map((await this.deps.outbox.groups()).map((g) => [g.key, g]));
    await this.refresh();
    this.loaded = true;
  }

  private async refresh(): Promise<void> {
    for (;;) {
      const batch = await this.deps.alerts.changedSince(this.seq, 5000);
      for (const a of batch) {
        this.seq = Math.max(this.seq, a.seq);
        if (a.state === 'firing' || a.state === 'resolved') this.view.set(a.id, a);
        else this.view.delete(a.id);
      }
      if (batch.length < 5000) break;
    }
  }

  /** One pass over all groups at the current time. */
  async tick(): Promise<void> {
    if (!this.loaded) await this.load();
    else await this.refresh();
    this.counters.ticks++;
    const now = this.deps.clock.now();
    const receivers = new Map((await this.deps.receivers.list()).map((r) => [r.name, r]));
    const current = this.membership(now);
    const keys = new Set([...current.keys(), ...this.groups.keys()]);
    const change: { groups: NotifyGroupRecord[]; deleteGroups: string[]; notifications: OutboxRecord[]; trace: TraceRecord[] } = { groups: [], deleteGroups: [], notifications: [], trace: [] };
    for (const key of keys) {
      const g = current.get(key);
      const state = this.groups.get(key) ?? null;
      const route = g?.route ?? (state ? this.tree.route(state.routeId) : undefined);
      if (!route) {
        change.deleteGroups.push(key);
        continue;
      }
      await this.decide(key, g ?? { key, route, labels: state?.groupLabels ?? {}, members: [] }, state, receivers, now, change);
    }
    this.pruneView(now);
    if (change.groups.length + change.deleteGroups.length + change.notifications.length + change.trace.length === 0) return;
    try {
      await this.deps.outbox.commit(change);
    } catch (err) {
      // Nothing was applied: reload so the next tick decides again from what is stored.
      this.loaded = false;
      throw err;
    }
    for (const g of change.groups) this.groups.set(g.key, g);
    for (const k of change.deleteGroups) this.groups.delete(k);
    if (change.notifications.length > 0) {
      this.counters.notificationsQueued += change.notifications.length;
      this.deps.onEnqueued();
    }
  }

  /** Groups of the alerts in view (firing ones, and resolved ones some group announced as firing). */
  private membership(now: number): Map<string, GroupView> {
    const sent = new Set<string>();
    for (const g of this.groups.values()) for (const id of g.sentFiring) sent.add(id);
    const out = new Map<string, GroupView>();
    for (const a of this.view.values()) {
      if (a.state === 'resolved' && !sent.has(a.id)) continue;
      if (a.state === 'resolved' && now - (a.resolvedAt ?? now) > RESOLVED_VIEW_MS) continue;
      for (const route of this.tree.match(a.labels)) {
        const { key, labels } = groupOf(route, a.labels);
        let g = out.get(key);
        if (!g) out.set(key, (g = { key, route, labels, members: [] }));
        g.members.push(a);
      }
    }
    return out;
  }

  private pruneView(now: number): void {
    const sent = new Set<string>();
    for (const g of this.groups.values()) for (const id of g.sentFiring) sent.add(id);
    for (const [id, a] of this.view) if (a.state === 'resolved' && !sent.has(id) && now - (a.resolvedAt ?? now) > 60_000) this.view.delete(id);
  }

  private trace(change: { trace: TraceRecord[] }, alertIds: readonly string[], step: TraceRecord['step'], message: string, now: number, details?: Record<string, unknown>): void {
    for (const alertId of alertIds) change.trace.push({ alertId, ts: now, step, message, ...(details ? { details } : {}) });
  }

  /** Traces why a firing alert is held back, once per distinct reason. */
  private traceHold(change: { trace: TraceRecord[] }, a: AlertRecord, now: number): void {
    const reason = a.suppressedBy.length ? a.suppressedBy.map((s) => `${s.kind}: ${s.description}`).join('; ') : a.flapping ? 'flapping' : '';
    if (this.holdTraced.get(a.id) === reason) return;
    this.holdTraced.set(a.id, reason);
    if (!reason) return;
    const kind = a.suppressedBy[0]?.kind ?? 'flapping';
    this.trace(change, [a.id], kind, `not notified while ${reason}`, now);
  }

  private async decide(key: string, g: GroupView, state: NotifyGroupRecord | null, receivers: Map<string, ReceiverRecord>, now: number, change: { groups: NotifyGroupRecord[]; deleteGroups: string[]; notifications: OutboxRecord[]; trace: TraceRecord[] }): Promise<void> {
    const route = g.route;
    const firing = g.members.filter((a) => a.state === 'firing');
    for (const a of firing) if (a.suppressedBy.length || a.flapping) this.traceHold(change, a, now);
    const notifiable = firing.filter((a) => a.suppressedBy.length === 0 && !a.flapping);
    const heldFlapping = new Set(g.members.filter((a) => a.flapping).map((a) => a.id));
    if (!state) {
      if (notifiable.length === 0) return;
      const s: NotifyGroupRecord = { key, routeId: route.id, groupLabels: g.labels, episodeId: randomUUID(), episodeStart: now, firstSeenAt: now, lastFlushAt: null, nextFlushAt: now + route.groupWaitMs, sentFiring: [], sentResolved: [], lastHash: null, ackSent: false, escalationStep: -1, receiversNotified: [], updatedAt: now };
      this.trace(change, notifiable.map((a) => a.id), 'route', `matched route "${route.id}" (receiver ${route.receiver}); group ${JSON.stringify(g.labels)}; first notification after group_wait ${formatDuration(route.groupWaitMs)}`, now, { routeId: route.id, groupKey: key });
      state = s;
    }
    const s: NotifyGroupRecord = { ...state, sentFiring: [...state.sentFiring], sentResolved: [...state.sentResolved], receiversNotified: [...state.receiversNotified] };
    // A suppressed alert counts as not announced: when the silence or window ends it is notified again.
    const suppressed = new Set(firing.filter((a) => a.suppressedBy.length > 0).map((a) => a.id));
    s.sentFiring = s.sentFiring.filter((id) => !suppressed.has(id));
    const sentFiring = new Set(s.sentFiring);
    const newFiring = notifiable.filter((a) => !sentFiring.has(a.id));
    const resolved = g.members.filter((a) => a.state === 'resolved' && sentFiring.has(a.id) && !heldFlapping.has(a.id));
    const changed = newFiring.length > 0 || (route.sendResolved && resolved.length > 0);
    const allAcked = notifiable.length > 0 && notifiable.every((a) => a.ack !== null);
    await this.regular(change, s, g, { notifiable, resolved, newFiring: newFiring.length, changed, allAcked }, receivers, now);
    await this.escalate(change, s, g, route, notifiable, allAcked, receivers, now);
    await this.acknowledgement(change, s, g, notifiable, allAcked, receivers, now);

    const anyFiring = firing.length > 0;
    const pendingResolve = g.members.some((a) => a.state === 'resolved' && s.sentFiring.includes(a.id));
    if (!anyFiring && !pendingResolve) {
      if (this.groups.has(key)) change.deleteGroups.push(key);
      return;
    }
    if (JSON.stringify(s) !== JSON.stringify(this.groups.get(key))) change.groups.push({ ...s, updatedAt: now });
  }

  /** The regular decisions: first/changed notification when due, silent resolve, repeat. */
  private async regular(change: { notifications: OutboxRecord[]; trace: TraceRecord[] }, s: NotifyGroupRecord, g: GroupView, m: { notifiable: AlertRecord[]; resolved: AlertRecord[]; newFiring: number; changed: boolean; allAcked: boolean }, receivers: Map<string, ReceiverRecord>, now: number): Promise<void> {
    const route = g.route;
    const due = s.nextFlushAt ?? s.firstSeenAt + route.groupWaitMs;
    if (m.changed && now >= due) {
      const kind: NotificationKind = m.notifiable.length > 0 ? 'firing' : 'resolved';
      if (s.lastFlushAt === null) s.episodeStart = now;
      const names = kind === 'resolved' ? s.receiversNotified : this.currentReceivers(route, s);
      await this.flush(change, s, g, kind, names, [...m.notifiable, ...m.resolved], receivers, now, kind === 'firing' ? `${m.newFiring} new firing alert(s)` : 'all alerts resolved');
      if (kind === 'firing' && s.escalationStep < 0) s.escalationStep = 0;
      this.markSent(s, m.notifiable, m.resolved, route, now);
    } else if (!m.changed && m.resolved.length > 0) {
      // Resolved but the route does not announce resolves: just remember it.
      this.markSent(s, m.notifiable, m.resolved, route, now);
    } else if (!m.changed && m.notifiable.length > 0 && !m.allAcked && s.lastFlushAt !== null && now >= s.lastFlushAt + route.repeatIntervalMs) {
      await this.flush(change, s, g, 'firing', this.currentReceivers(route, s), m.notifiable, receivers, now, `repeat after ${formatDuration(route.repeatIntervalMs)} unacknowledged`);
      this.markSent(s, m.notifiable, [], route, now);
    }
  }

  private currentReceivers(route: EffectiveRoute, s: NotifyGroupRecord): string[] {
    if (route.escalation.length === 0) return [route.receiver];
    return route.escalation.slice(0, Math.max(0, s.escalationStep) + 1).map((x) => x.receiver);
  }

  private markSent(s: NotifyGroupRecord, firing: readonly AlertRecord[], resolved: readonly AlertRecord[], route: EffectiveRoute, now: number): void {
    const resolvedIds = new Set(resolved.map((a) => a.id));
    s.sentFiring = [...new Set([...s.sentFiring.filter((id) => !resolvedIds.has(id)), ...firing.map((a) => a.id)])];
    s.sentResolved = [...new Set([...s.sentResolved.filter((id) => !firing.some((a) => a.id === id)), ...resolvedIds])].slice(-500);
    s.lastHash = hashIds(s.sentFiring);
    s.nextFlushAt = now + route.groupIntervalMs;
  }

  private async escalate(change: { notifications: OutboxRecord[]; trace: TraceRecord[] }, s: NotifyGroupRecord, g: GroupView, route: EffectiveRoute, notifiable: AlertRecord[], allAcked: boolean, receivers: Map<string, ReceiverRecord>, now: number): Promise<void> {
    if (route.escalation.length === 0 || notifiable.length === 0 || allAcked || s.lastFlushAt === null) return;
    const next = route.escalation[s.escalationStep + 1];
    if (!next || now < s.episodeStart + next.afterMs) return;
    s.escalationStep++;
    await this.flush(change, s, g, 'firing', [next.receiver], notifiable, receivers, now, `escalation step ${s.escalationStep + 1}: not acknowledged ${formatDuration(next.afterMs)} after the first notification`);
    this.trace(change, notifiable.map((a) => a.id), 'escalation', `escalated to step ${s.escalationStep + 1} (receiver ${next.receiver}) after ${formatDuration(next.afterMs)} without acknowledgement`, now);
  }

  private async acknowledgement(change: { notifications: OutboxRecord[]; trace: TraceRecord[] }, s: NotifyGroupRecord, g: GroupView, notifiable: AlertRecord[], allAcked: boolean, receivers: Map<string, ReceiverRecord>, now: number): Promise<void> {
    if (allAcked && !s.ackSent && s.receiversNotified.length > 0) {
      const by = [...new Set(notifiable.map((a) => a.ack?.by).filter((x): x is string => !!x))].join(', ');
      await this.flush(change, s, g, 'acknowledged', s.receiversNotified, notifiable, receivers, now, `acknowledged by ${by}`, by);
      s.ackSent = true;
      this.trace(change, notifiable.map((a) => a.id), 'ack', `acknowledged by ${by}: acknowledgement sent to ${s.receiversNotified.join(', ')}; repeats and escalation stop`, now);
    } else if (!allAcked && s.ackSent) s.ackSent = false;
  }

  /** Queues one notification per target of each receiver (the flush itself is committed by the caller). */
  private async flush(
    change: { notifications: OutboxRecord[]; trace: TraceRecord[] },
    s: NotifyGroupRecord,
    g: GroupView,
    kind: NotificationKind,
    receiverNames: readonly string[],
    alerts: readonly AlertRecord[],
    receivers: Map<string, ReceiverRecord>,
    now: number,
    why: string,
    acknowledgedBy: string | null = null,
  ): Promise<void> {
    this.counters.flushes++;
    s.lastFlushAt = now;
    const dedupKey = incidentKey(s.key, s.episodeId);
    const ids = alerts.map((a) => a.id);
    for (const name of receiverNames) {
      const receiver = receivers.get(name);
      if (!receiver) {
        this.trace(change, ids, 'notification', `receiver "${name}" does not exist: nothing sent (${why})`, now);
        continue;
      }
      const queued = await this.targetsOf(receiver, kind, alerts, now, change);
      for (const t of queued) {
        const id = randomUUID();
        const batch = buildBatch({ kind, notificationId: id, dedupKey, groupKey: s.key, receiver: name, groupLabels: g.labels, alerts, externalUrl: this.deps.externalUrl(), now, acknowledgedBy });
        change.notifications.push({ id, dedupKey, kind, status: 'pending', target: t.target, channelType: t.channelType, groupKey: s.key, alertIds: ids, severity: batch.severity, title: batch.title, payload: batch, attempts: 0, createdAt: now, nextAttemptAt: now, leaseUntil: null, deliveredAt: null, lastError: null, fallbackOf: null, fallbackSent: false });
      }
      if (!s.receiversNotified.includes(name)) s.receiversNotified.push(name);
      this.trace(change, ids, 'notification', `${kind} notification to receiver "${name}" (${queued.length} target${queued.length === 1 ? '' : 's'}: ${queued.map((t) => t.label).join(', ') || 'none'}): ${why}`, now, { receiver: name, kind });
    }
  }

  private async targetsOf(r: ReceiverRecord, kind: NotificationKind, alerts: readonly AlertRecord[], now: number, change: { trace: TraceRecord[] }) {
    const out: { target: OutboxRecord['target']; channelType: string; label: string }[] = [];
    const ids = alerts.map((a) => a.id);
    for (const channelId of r.channelIds) {
      if (alerts.length > 0 && alerts.every((a) => a.labels[AVOID_CHANNEL_LABEL] === channelId)) {
        this.trace(change, ids, 'notification', 'skipped the channel this alert is about (it is failing); route vigil_system="true" alerts to another receiver', now);
        continue;
      }
      const c = await this.deps.channels.get(channelId);
      if (!c || !c.enabled) {
        this.trace(change, ids, 'notification', `channel ${c ? `"${c.name}" is disabled` : `${channelId} no longer exists`}: skipped`, now);
        continue;
      }
      out.push({ target: { kind: 'channel', channelId }, channelType: c.type, label: `${c.type} "${c.name}"` });
    }
    const severity = alerts.filter((a) => a.state === 'firing').map((a) => a.severity)[0] ?? alerts[0]?.severity ?? 'info';
    const mailChannel = await this.deps.settings.get<string>(USER_EMAIL_CHANNEL_SETTING);
    for (const userId of r.userIds) {
      const prefs = (await this.deps.preferences.get(userId)) ?? defaultPreferences(userId);
      const { media, skipped } = mediaFor(prefs, severity, now, atLeast);
      for (const why of skipped) this.trace(change, ids, 'preference', `user ${userId}: ${why}`, now);
      for (const m of media) {
        if (m === 'email' && !mailChannel) {
          this.trace(change, ids, 'preference', `user ${userId}: e-mail skipped, no SMTP channel is set for personal e-mail`, now);
          continue;
        }
        out.push({ target: { kind: 'user', userId, medium: m }, channelType: m, label: `${m} to user ${userId}` });
      }
    }
    return out;
  }
}
