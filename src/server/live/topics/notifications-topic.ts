import { INBOX_ITEM_ADDED, type InboxItemAdded } from '../../notify/notify-events.js';
import type { LiveTopic } from '../live-topic.js';

/**
 * A user's own in-app notifications (new items and unread count). Every signed-in user may
 * subscribe (`read:overview` is granted to every role); each event goes only to its owner.
 */
export const notificationsTopic: LiveTopic<InboxItemAdded, Record<string, never>> = {
  name: 'notifications',
  permission: 'read:overview',
  eventTypes: [INBOX_ITEM_ADDED],
  parseFilter: () => ({}),
  prepare: (event) => event.data as InboxItemAdded,
  select(data, _filter, principal) {
    if (principal.kind !== 'user' || principal.userId !== data.userId) return null;
    return { type: 'event', topic: 'notifications', data: data.item ? { item: data.item, unread: data.unread } : { unread: data.unread } };
  },
};
