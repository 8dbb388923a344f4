import { randomUUID } from 'node:crypto';
import type { AlertSeverity, DeliveryAttempt } from '../../protocol/alerting.js';
import type { AuditLog } from '../auth/audit-log.js';
import type { Clock } from '../core/clock.js';
import type { SecretBox } from '../secrets/secret-box.js';
import type { ChannelRepo, ReceiverRepo } from '../storage/channel-repo.js';
import type { PreferenceRepo } from '../storage/inbox-repo.js';
import type { OutboxRecord, OutboxRepo, TraceRecord } from '../storage/outbox-repo.js';
import type { SettingsRepo } from '../storage/settings-repo.js';
import { backoffDelay, DEFAULT_BACKOFF, type BackoffPolicy } from './backoff.js';
import type { AnyChannelType, ChannelContext, ChannelRegistry, SendResult } from './channel-type.js';
import type { NotificationBatch } from './notification-batch.js';
import { AVOID_CHANNEL_LABEL, PERSONAL_CHANNEL_SETTING } from './notify-pipeline.js';
import type { RoutingTree } from './routing-tree.js';

/** Raises and clears Vigil's own alerts (the alerting engine's `SystemAlerts`). */
export interface SelfAlerts {
  raise(name: string, labels: Record<string, string>, severity: AlertSeverity, summary: string, at: number): void;
  clear(name: string, labels: Record<string, string>, at: number): void;
}

/** Dispatcher tuning (config). */
export interface DispatcherOptions {
  backoff: BackoffPolicy;
  /** A notification still failing after this long is given up ("dead"), ms (default 24 h). */
  maxAgeMs: number;
  /** Claim lease, ms: longer than one send can take; after it another dispatcher may retry (default 20 s). */
  leaseMs: number;
  /** Notifications claimed per tick (default 100). */
  batch: number;
  /** Targets sent to in parallel (default 4); one target's notifications go out in order. */
  concurrency: number;
  /** Consecutive failures after which a channel raises the `NotificationChannelFailing` alert (default 5). */
  failingAfter: number;
  /** Timeout of one send, ms (default 10 s). */
  timeoutMs: number;
}

/** Default dispatcher options. */
export const DEFAULT_DISPATCHER_OPTIONS: DispatcherOptions = { backoff: DEFAULT_BACKOFF, maxAgeMs: 24 * 3_600_000, leaseMs: 20_000, batch: 100, concurrency: 4, failingAfter: 5, timeoutMs: 10_000 };

/** What the dispatcher needs. */
export interface DispatcherDeps {
  outbox: OutboxRepo;
  channels: ChannelRepo;
  receivers: ReceiverRepo;
  preferences: PreferenceRepo;
  settings: SettingsRepo;
  registry: ChannelRegistry;
  secrets: SecretBox;
  clock: Clock;
  audit: AuditLog;
  self: SelfAlerts;
  routing: () => RoutingTree;
  context: Omit<ChannelContext, 'timeoutMs'>;
  onError: (msg: string, err: unknown) => void;
  /** Jitter source, [0, 1) (tests pass a fixed one). */
  random?: () => number;
  /**
   * Checked right before each send (default: always true). With several replicas a dispatcher
   * whose leadership lapsed gives its claimed notifications back instead of sending them, so the
   * new leader's send is the only one.
   */
  stillLeader?: () => boolean;
}

/** Counters exported on `/metrics` (`vigil_notifications_*`). */
export interface DispatcherCounters {
  attempts: number;
  delivered: number;
  retried: number;
  /** Notifications that failed for good (4xx/config errors, or too old): `notifications_failed_total`. */
  failed: number;
  fallbacks: number;
}

/** Self-alert raised when a channel keeps failing. */
export const CHANNEL_FAILING_ALERT = 'NotificationChannelFailing';

/** Secret-box context of a channel's secrets (binds the ciphertext to its row). */
export function channelSecretContext(id: string): string {
  return `channel:${id}:secrets`;
}

/** Secret-box context of a user's personal Slack webhook. */
export function preferenceSecretContext(userId: string): string {
  return `prefs:${userId}:slack`;
}

interface Resolved {
  type: AnyChannelType;
  config: unknown;
  /** Key for per-target ordering and pacing. */
  targetKey: string;
  channelId: string | null;
  label: string;
}

/**
 * Sends what the outbox holds: claims due notifications under a lease, sends each through its
 * channel, and records every attempt. Retries use jittered exponential backoff with a cap and honour
 * Retry-After; configuration errors (4xx) are not retried, are shown on the channel and audited, and
 * go to the fallback receiver; a notification failing longer than `fallbackAfter` also goes there;
 * a channel failing repeatedly raises a self-alert. Delivery is at-least-once: a crash after sending
 * but before recording means the lease lapses and the same notification (same id and dedup key) is
 * sent again.
 */
export class OutboxDispatcher {
  readonly counters: DispatcherCounters = { attempts: 0, delivered: 0, retried: 0, failed: 0, fallbacks: 0 };
  private readonly lastSent = new Map<string, number>();
  private readonly pausedUntil = new Map<string, number>();
  private readonly opts: DispatcherOptions;

  constructor(
    private readonly deps: DispatcherDeps,
    opts: Partial<DispatcherOptions> = {},
  ) {
    this.opts = { ...DEFAULT_DISPATCHER_OPTIONS, ...opts };
  }

  /** One dispatch pass: send what is due, then route overdue notifications to the fallback receiver. */
  async tick(): Promise<void> {
    const now = this.deps.clock.now();
    const claimed = await this.deps.outbox.claimDue(now, this.opts.leaseMs, this.opts.batch);
    const byTarget = new Map<string, OutboxRecord[]>();
    for (const r of claimed) {
      const k = JSON.stringify(r.target);
      byTarget.set(k, [...(byTarget.get(k) ?? []), r]);
    }
    const queues = [...byTarget.values()];
    await Promise.all(
      Array.from({ length: Math.min(this.opts.concurrency, queues.length) }, async () => {
        for (let q = queues.shift(); q; q = queues.shift()) for (const r of q) await this.deliver(r);
      }),
    );
    await this.fallbackOverdue();
  }

  /** Claims and sends one notification now (test sends); returns its final record. */
  async deliverNow(id: string): Promise<OutboxRecord | null> {
    const r = await this.deps.outbox.claim(id, this.deps.clock.now(), this.opts.leaseMs);
    if (r) await this.deliver(r);
    return this.deps.outbox.get(id);
  }

  private async resolve(r: OutboxRecord): Promise<Resolved> {
    const t = r.target;
    if (t.kind === 'channel') {
      const c = await this.deps.channels.get(t.channelId);
      if (!c) throw new PermanentError('the channel was deleted');
      if (!c.enabled) throw new PermanentError(`channel "${c.name}" is disabled`);
      const type = this.deps.registry.get(c.type);
      if (!type) throw new PermanentError(`channel type ${c.type} is not available`);
      const secrets = c.secretsSealed ? (JSON.parse(this.deps.secrets.decrypt(c.secretsSealed, channelSecretContext(c.id))) as Record<string, string>) : {};
      return { type, config: type.validate(c.config, secrets), targetKey: `channel:${c.id}`, channelId: c.id, label: `${c.type} "${c.name}"` };
    }
    const type = this.deps.registry.get(t.medium);
    if (!type?.personal) throw new PermanentError(`personal delivery by ${t.medium} is not available`);
    const prefs = await this.deps.preferences.get(t.userId);
    let recipient: string;
    if (t.medium === 'inapp') recipient = t.userId;
    else if (t.medium === 'email') recipient = prefs?.email ?? '';
    else recipient = prefs?.slackWebhookSealed ? this.deps.secrets.decrypt(prefs.slackWebhookSealed, preferenceSecretContext(t.userId)) : '';
    if (!recipient) throw new PermanentError(`user ${t.userId} has no ${t.medium} address any more`);
    let base: unknown = null;
    if (type.personal.needsBase) {
      const baseId = await this.deps.settings.get<string>(`${PERSONAL_CHANNEL_SETTING}${t.medium}`);
      const c = baseId ? await this.deps.channels.get(baseId) : null;
      if (!c || c.type !== t.medium) throw new PermanentError(`no ${t.medium} channel is set for personal messages`);
      const secrets = c.secretsSealed ? (JSON.parse(this.deps.secrets.decrypt(c.secretsSealed, channelSecretContext(c.id))) as Record<string, string>) : {};
      base = type.validate(c.config, secrets);
    }
    return { type, config: type.personal.configure(base, recipient), targetKey: `user:${t.userId}:${t.medium}`, channelId: null, label: `${t.medium} to user ${t.userId}` };
  }

  private async deliver(r: OutboxRecord): Promise<void> {
    const started = this.deps.clock.now();
    let resolved: Resolved;
    try {
      resolved = await this.resolve(r);
    } catch (err) {
      await this.finish(r, null, started, { kind: 'permanent', error: err instanceof PermanentError ? err.message : `cannot prepare the channel: ${(err as Error).message}` });
      return;
    }
    if (this.deps.stillLeader && !this.deps.stillLeader()) {
      await this.deps.outbox.release(r.id, started);
      return;
    }
    const wait = Math.max(this.pausedUntil.get(resolved.targetKey) ?? 0, (this.lastSent.get(resolved.targetKey) ?? -Infinity) + (resolved.type.minIntervalMs ?? 0));
    if (wait > started) {
      await this.deps.outbox.release(r.id, wait);
      return;
    }
    let result: SendResult;
    const t0 = performance.now();
    try {
      result = await resolved.type.send(r.payload as NotificationBatch, resolved.config, { ...this.deps.context, timeoutMs: this.opts.timeoutMs });
    } catch (err) {
      result = { kind: 'retry', error: `send failed: ${(err as Error).message}` };
    }
    this.lastSent.set(resolved.targetKey, this.deps.clock.now());
    if (result.kind === 'retry' && result.retryAfterMs !== undefined) this.pausedUntil.set(resolved.targetKey, this.deps.clock.now() + result.retryAfterMs);
    await this.finish(r, resolved, started, result, Math.round(performance.now() - t0));
  }

  private async finish(r: OutboxRecord, target: Resolved | null, started: number, result: SendResult, durationMs = 0): Promise<void> {
    const now = this.deps.clock.now();
    this.counters.attempts++;
    const attempt: DeliveryAttempt = { ts: started, durationMs, outcome: result.kind, statusCode: result.statusCode ?? null, error: result.kind === 'ok' ? null : result.error.slice(0, 500), retryAfterMs: result.kind === 'retry' ? (result.retryAfterMs ?? null) : null };
    const trace: TraceRecord[] = [];
    const note = (step: TraceRecord['step'], message: string) => {
      for (const alertId of r.alertIds) trace.push({ alertId, ts: now, step, message });
    };
    const label = target?.label ?? r.channelType;
    if (result.kind === 'ok') {
      await this.deps.outbox.complete(r.id, { status: 'delivered', nextAttemptAt: null, lastError: null, deliveredAt: now }, attempt);
      this.counters.delivered++;
      note('delivery', `${r.kind} notification delivered via ${label} (attempt ${r.attempts}${result.statusCode ? `, status ${result.statusCode}` : ''})`);
    } else if (result.kind === 'retry' && now - r.createdAt < this.opts.maxAgeMs) {
      const next = now + Math.max(backoffDelay(r.attempts, this.opts.backoff, this.deps.random), result.retryAfterMs ?? 0);
      await this.deps.outbox.complete(r.id, { status: 'pending', nextAttemptAt: next, lastError: attempt.error, deliveredAt: null }, attempt);
      this.counters.retried++;
      if (r.attempts === 1) note('delivery', `attempt 1 via ${label} failed (${result.error}); retrying with backoff`);
    } else {
      const dead = result.kind === 'retry';
      await this.deps.outbox.complete(r.id, { status: dead ? 'dead' : 'failed', nextAttemptAt: null, lastError: attempt.error, deliveredAt: null }, attempt);
      this.counters.failed++;
      note('delivery', dead ? `gave up after ${r.attempts} attempts over ${Math.round((now - r.createdAt) / 60_000)} min via ${label}: ${result.error}` : `failed permanently via ${label}: ${result.error}`);
      await this.fallback(r, trace, now);
    }
    if (trace.length) await this.deps.outbox.commit({ trace });
    if (target?.channelId) await this.channelHealth(target.channelId, result, now);
  }

  private async channelHealth(channelId: string, result: SendResult, now: number): Promise<void> {
    const before = await this.deps.channels.get(channelId);
    if (!before) return;
    // vigil_avoid_channel: the pipeline never sends this alert through the channel it is about.
    const labels = { channel: before.name, channel_type: before.type, [AVOID_CHANNEL_LABEL]: channelId };
    if (result.kind === 'ok') {
      await this.deps.channels.recordOutcome(channelId, { ok: true, at: now });
      this.deps.self.clear(CHANNEL_FAILING_ALERT, labels, now);
      return;
    }
    const configError = result.kind === 'permanent' ? result.error : null;
    const failures = await this.deps.channels.recordOutcome(channelId, { ok: false, at: now, configError });
    if (configError && configError !== before.configError) {
      await this.deps.audit.record({ actor: 'system', action: 'notify.channel_config_error', target: `channel:${before.name}`, outcome: 'failure', details: { channelId, error: configError } });
    }
    if (failures >= this.opts.failingAfter) {
      this.deps.self.raise(CHANNEL_FAILING_ALERT, labels, 'critical', `Notification channel ${before.type} "${before.name}" failed ${failures} times in a row: ${result.error}`, now);
    }
  }

  /** Sends a copy of a failing notification to the fallback receiver, once. */
  private async fallback(r: OutboxRecord, trace: TraceRecord[], now: number): Promise<void> {
    if (r.fallbackOf || r.fallbackSent || r.kind === 'test') return;
    const tree = this.deps.routing();
    const name = tree.fallbackReceiver;
    const receiver = name ? await this.deps.receivers.getByName(name) : null;
    if (!receiver) return;
    const copies: OutboxRecord[] = [];
    for (const channelId of receiver.channelIds) {
      const c = await this.deps.channels.get(channelId);
      if (!c || !c.enabled || (r.target.kind === 'channel' && r.target.channelId === channelId)) continue;
      const id = randomUUID();
      const payload = { ...(r.payload as NotificationBatch), notificationId: id, receiver: receiver.name };
      copies.push({ ...r, id, status: 'pending', target: { kind: 'channel', channelId }, channelType: c.type, payload, attempts: 0, createdAt: now, nextAttemptAt: now, leaseUntil: null, deliveredAt: null, lastError: null, fallbackOf: r.id, fallbackSent: false });
    }
    for (const uid of receiver.userIds) {
      const id = randomUUID();
      copies.push({ ...r, id, status: 'pending', target: { kind: 'user', userId: uid, medium: 'inapp' }, channelType: 'inapp', payload: { ...(r.payload as NotificationBatch), notificationId: id, receiver: receiver.name }, attempts: 0, createdAt: now, nextAttemptAt: now, leaseUntil: null, deliveredAt: null, lastError: null, fallbackOf: r.id, fallbackSent: false });
    }
    await this.deps.outbox.commit({ notifications: copies });
    await this.deps.outbox.markFallbackSent(r.id);
    this.counters.fallbacks += copies.length;
    for (const alertId of r.alertIds) trace.push({ alertId, ts: now, step: 'fallback', message: `sent to fallback receiver "${receiver.name}" (${copies.length} target${copies.length === 1 ? '' : 's'}) because ${r.channelType} delivery failed` });
  }

  private async fallbackOverdue(): Promise<void> {
    const now = this.deps.clock.now();
    const tree = this.deps.routing();
    if (!tree.fallbackReceiver) return;
    for (const r of await this.deps.outbox.overdue(now - tree.fallbackAfterMs, 50)) {
      const trace: TraceRecord[] = [];
      await this.fallback(r, trace, now);
      if (trace.length) await this.deps.outbox.commit({ trace });
    }
  }
}

/** A delivery problem no retry can fix (deleted channel, missing address). */
class PermanentError extends Error {}
