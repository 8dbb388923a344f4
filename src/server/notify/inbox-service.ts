import { randomUUID } from 'node:crypto';
import type { InboxItem } from '../../protocol/alerting.js';
import type { Clock } from '../core/clock.js';
import { errors } from '../core/errors.js';
import type { EventBus } from '../live/event-bus.js';
import type { InboxRecord, InboxRepo, PreferenceRepo } from '../storage/inbox-repo.js';
import type { UserRepo } from '../storage/user-repo.js';
import type { InboxDelivery } from './channel-type.js';
import { atLeast } from './notification-batch.js';
import { INBOX_ITEM_ADDED, type InboxItemAdded } from './notify-events.js';
import { defaultPreferences } from './user-preferences.js';

/** Inbox entries kept per user (default 50). */
export const DEFAULT_INBOX_KEEP = 50;

function toItem(r: InboxRecord): InboxItem {
  return { id: r.id, alertId: r.alertId, notificationId: r.notificationId, severity: r.severity, kind: r.kind, title: r.title, body: r.body, createdAt: r.createdAt, readAt: r.readAt };
}

/**
 * Per-user in-app inboxes: delivery (respecting each user's preferences), listing and read state.
 * Every change is pushed to the owner only, through the `notifications` live topic.
 */
export class InboxService {
  constructor(
    private readonly deps: { inbox: InboxRepo; preferences: PreferenceRepo; users: UserRepo; bus: EventBus; clock: Clock },
    private readonly keep = DEFAULT_INBOX_KEEP,
  ) {}

  private async push(userId: string, item: InboxItem | null): Promise<void> {
    const unread = await this.deps.inbox.unreadCount(userId);
    this.deps.bus.publish({ type: INBOX_ITEM_ADDED, data: { userId, item, unread } satisfies InboxItemAdded });
  }

  /** Delivers an item to the given users and to every enabled user of `roles`; returns how many received it. */
  async deliver(userIds: readonly string[], roles: readonly string[], d: InboxDelivery): Promise<number> {
    const ids = new Set(userIds);
    if (roles.length) for (const u of await this.deps.users.list()) if (!u.disabled && roles.includes(u.role)) ids.add(u.id);
    let n = 0;
    for (const userId of ids) {
      const user = await this.deps.users.get(userId);
      if (!user || user.disabled) continue;
      const prefs = (await this.deps.preferences.get(userId)) ?? defaultPreferences(userId);
      if (!prefs.channels.inapp || !atLeast(d.severity, prefs.minSeverity)) continue;
      const rec: InboxRecord = { id: randomUUID(), userId, alertId: d.alertId, notificationId: d.notificationId, severity: d.severity, kind: d.kind, title: d.title.slice(0, 300), body: d.body.slice(0, 4000), createdAt: this.deps.clock.now(), readAt: null };
      if (await this.deps.inbox.add(rec, this.keep)) {
        n++;
        await this.push(userId, toItem(rec));
      }
    }
    return n;
  }

  async list(userId: string, limit = this.keep): Promise<{ items: InboxItem[]; unread: number }> {
    return { items: (await this.deps.inbox.list(userId, Math.min(limit, this.keep))).map(toItem), unread: await this.deps.inbox.unreadCount(userId) };
  }

  async markRead(userId: string, id: string): Promise<void> {
    if (!(await this.deps.inbox.markRead(userId, id, this.deps.clock.now()))) {
      const exists = (await this.deps.inbox.list(userId, this.keep)).some((i) => i.id === id);
      if (!exists) throw errors.notFound('inbox item');
      return;
    }
    await this.push(userId, null);
  }

  async markAllRead(userId: string): Promise<number> {
    const n = await this.deps.inbox.markAllRead(userId, this.deps.clock.now());
    if (n > 0) await this.push(userId, null);
    return n;
  }

  async dismiss(userId: string, id: string): Promise<void> {
    if (!(await this.deps.inbox.dismiss(userId, id))) throw errors.notFound('inbox item');
    await this.push(userId, null);
  }
}
