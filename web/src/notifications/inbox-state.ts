import type { InboxItem } from '../../../src/protocol/alerting.js';
import { SECURITY_EVENT_TYPES, type SecurityEventType } from '../../../src/protocol/security.js';

/** The notification center's data: newest first. */
export interface InboxState {
  items: InboxItem[];
  unread: number;
}

/** Changes to the inbox, from the API and from the `notifications` live topic. */
export type InboxEvent =
  | { kind: 'loaded'; items: InboxItem[]; unread: number }
  | { kind: 'added'; item: InboxItem; unread: number }
  | { kind: 'unread'; unread: number }
  | { kind: 'read'; id: string; at: number }
  | { kind: 'all-read'; at: number }
  | { kind: 'dismissed'; id: string };

/** Entries kept in the browser (the server keeps the same number per user). */
export const INBOX_KEEP = 50;

/** Applies one event (pure; the server's unread count wins whenever it is sent). */
export function reduceInbox(s: InboxState, e: InboxEvent): InboxState {
  switch (e.kind) {
    case 'loaded':
      return { items: e.items.slice(0, INBOX_KEEP), unread: e.unread };
    case 'added':
      return { items: [e.item, ...s.items.filter((i) => i.id !== e.item.id)].slice(0, INBOX_KEEP), unread: e.unread };
    case 'unread':
      return { ...s, unread: e.unread };
    case 'read': {
      const wasUnread = s.items.some((i) => i.id === e.id && i.readAt === null);
      return { items: s.items.map((i) => (i.id === e.id && i.readAt === null ? { ...i, readAt: e.at } : i)), unread: Math.max(0, s.unread - (wasUnread ? 1 : 0)) };
    }
    case 'all-read':
      return { items: s.items.map((i) => (i.readAt === null ? { ...i, readAt: e.at } : i)), unread: 0 };
    case 'dismissed': {
      const gone = s.items.find((i) => i.id === e.id);
      return { items: s.items.filter((i) => i.id !== e.id), unread: Math.max(0, s.unread - (gone && gone.readAt === null ? 1 : 0)) };
    }
  }
}

/** Whether a new item pops up as a toast: critical firing alerts only. */
export function toastsFor(item: InboxItem): boolean {
  return item.severity === 'critical' && (item.kind === 'firing' || item.kind === 'test');
}

/** Label of the bell for screen readers and tooltips. */
export function bellLabel(unread: number): string {
  return unread === 0 ? 'Notifications: none unread' : `Notifications: ${unread} unread`;
}

/**
 * Where opening an inbox item leads: the alert for alert notifications, the SOC list filtered to
 * the type and host for security notices (their `notificationId` is
 * `security:<event_type>:<host>:<10-min bucket>`), or nowhere (test notifications).
 */
export function inboxTarget(item: InboxItem): string | null {
  if (item.alertId) return item.alertId.startsWith('test-') ? null : `/alerts/${item.alertId}`;
  const parts = item.notificationId?.split(':') ?? [];
  if (parts.length < 4 || parts[0] !== 'security') return null;
  const type = parts[1] as SecurityEventType;
  const host = parts.slice(2, -1).join(':');
  if (!SECURITY_EVENT_TYPES.includes(type) || !host) return '/security';
  return `/security?${new URLSearchParams({ type, host }).toString()}`;
}
