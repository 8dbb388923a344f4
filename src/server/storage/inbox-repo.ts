import type { AlertSeverity, NotificationKind } from '../../protocol/alerting.js';

/** One in-app inbox entry of a user. */
export interface InboxRecord {
  id: string;
  userId: string;
  alertId: string | null;
  notificationId: string | null;
  severity: AlertSeverity;
  kind: NotificationKind;
  title: string;
  body: string;
  createdAt: number;
  readAt: number | null;
}

/** Per-user in-app inboxes, each trimmed to the newest N entries. */
export interface InboxRepo {
  /**
   * Adds an entry (a second add of the same `notificationId` for the user is ignored, so a
   * redelivered notification shows once) and trims the inbox to `keep` entries.
   * Returns false when it was a duplicate.
   */
  add(item: InboxRecord, keep: number): Promise<boolean>;
  list(userId: string, limit: number): Promise<InboxRecord[]>;
  unreadCount(userId: string): Promise<number>;
  markRead(userId: string, id: string, at: number): Promise<boolean>;
  markAllRead(userId: string, at: number): Promise<number>;
  /** Removes one entry of the user. */
  dismiss(userId: string, id: string): Promise<boolean>;
}

/** A user's stored notification preferences (the Slack webhook sealed with the secret box). */
export interface PreferenceRecord {
  userId: string;
  email: string | null;
  channels: { email: boolean; inapp: boolean; slack: boolean };
  minSeverity: AlertSeverity;
  quietHours: { start: string; end: string; timeZone: string } | null;
  slackWebhookSealed: string | null;
  updatedAt: number;
}

/** Per-user notification preferences. */
export interface PreferenceRepo {
  get(userId: string): Promise<PreferenceRecord | null>;
  set(p: PreferenceRecord): Promise<void>;
}
