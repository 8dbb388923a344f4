import type { InboxItem } from '../../protocol/alerting.js';

/** Bus event: an in-app notification landed in a user's inbox (the `notifications` topic sends it to that user only). */
export const INBOX_ITEM_ADDED = 'inbox_item_added';
/** Payload of {@link INBOX_ITEM_ADDED} (or of a read-state change when `item` is absent). */
export interface InboxItemAdded {
  userId: string;
  item: InboxItem | null;
  unread: number;
}

/** Bus event: the routing configuration or a receiver changed (pipelines on other replicas reload). */
export const NOTIFY_CONFIG_CHANGED = 'notify_config_changed';
