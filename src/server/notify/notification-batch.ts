import { createHash } from 'node:crypto';
import type { AlertSeverity, NotificationKind } from '../../protocol/alerting.js';
import type { AlertRecord } from '../storage/alert-repo.js';

/** One alert as it appears in a notification. */
export interface BatchAlert {
  id: string;
  status: 'firing' | 'resolved';
  labels: Record<string, string>;
  annotations: Record<string, string>;
  severity: AlertSeverity;
  value: number | null;
  threshold: number | null;
  /** ms since epoch. */
  startsAt: number;
  /** ms since epoch, null while firing. */
  endsAt: number | null;
  fingerprint: string;
  /** Link to the alert in the dashboard. */
  url: string;
  ack: { by: string; comment: string } | null;
}

/**
 * The content of one notification, stored in the outbox before sending (so a retry after a
 * restart sends exactly the same thing). Channels render it with their templates.
 */
export interface NotificationBatch {
  kind: NotificationKind;
  /** Outbox id; the idempotency key receivers may deduplicate on. */
  notificationId: string;
  /** Stable incident key for trigger/acknowledge/resolve (PagerDuty `dedup_key`). */
  dedupKey: string;
  groupKey: string;
  receiver: string;
  /** `firing` while any alert of the group fires. */
  status: 'firing' | 'resolved';
  groupLabels: Record<string, string>;
  commonLabels: Record<string, string>;
  commonAnnotations: Record<string, string>;
  alerts: BatchAlert[];
  severity: AlertSeverity;
  title: string;
  /** Dashboard base URL. */
  externalUrl: string;
  /** ms since epoch. */
  createdAt: number;
  /** Set on `acknowledged` notifications. */
  acknowledgedBy: string | null;
}

const RANK: Record<AlertSeverity, number> = { critical: 0, warning: 1, info: 2 };

/** The most severe of `list` (info when empty). */
export function maxSeverity(list: readonly AlertSeverity[]): AlertSeverity {
  return list.reduce<AlertSeverity>((m, s) => (RANK[s] < RANK[m] ? s : m), 'info');
}

/** True when `s` is at least as severe as `min`. */
export function atLeast(s: AlertSeverity, min: AlertSeverity): boolean {
  return RANK[s] <= RANK[min];
}

/** Incident key of a group episode: the same for trigger, acknowledge and resolve. */
export function incidentKey(groupKey: string, episodeId: string): string {
  return `vigil-${createHash('sha256').update(`${groupKey}\n${episodeId}`).digest('hex').slice(0, 32)}`;
}

function common(maps: readonly Record<string, string>[]): Record<string, string> {
  if (maps.length === 0) return {};
  const out: Record<string, string> = { ...maps[0] };
  for (const m of maps.slice(1)) for (const k of Object.keys(out)) if (m[k] !== out[k]) delete out[k];
  return out;
}

/** Builds the batch of a group flush. `alerts` are the group's firing and newly resolved alerts. */
export function buildBatch(a: {
  kind: NotificationKind;
  notificationId: string;
  dedupKey: string;
  groupKey: string;
  receiver: string;
  groupLabels: Record<string, string>;
  alerts: readonly AlertRecord[];
  externalUrl: string;
  now: number;
  acknowledgedBy?: string | null;
}): NotificationBatch {
  const alerts: BatchAlert[] = a.alerts.map((x) => ({
    id: x.id,
    status: x.state === 'firing' ? 'firing' : 'resolved',
    labels: x.labels,
    annotations: x.annotations,
    severity: x.severity,
    value: x.value,
    threshold: x.threshold,
    startsAt: x.firingSince ?? x.activeSince ?? x.updatedAt,
    endsAt: x.state === 'firing' ? null : (x.resolvedAt ?? x.updatedAt),
    fingerprint: x.fingerprint,
    url: `${a.externalUrl}/alerts/${x.id}`,
    ack: x.ack ? { by: x.ack.by, comment: x.ack.comment } : null,
  }));
  const firing = alerts.filter((x) => x.status === 'firing');
  const status = firing.length > 0 ? 'firing' : 'resolved';
  const severity = maxSeverity((firing.length ? firing : alerts).map((x) => x.severity));
  const commonLabels = common(alerts.map((x) => x.labels));
  const name = commonLabels.alertname ?? a.groupLabels.alertname ?? 'alerts';
  const where = Object.entries(a.groupLabels)
    .filter(([k]) => k !== 'alertname')
    .map(([, v]) => v)
    .join(', ');
  const prefix = a.kind === 'acknowledged' ? 'ACKNOWLEDGED' : a.kind === 'test' ? 'TEST' : status === 'firing' ? `FIRING:${firing.length}` : 'RESOLVED';
  return {
    kind: a.kind,
    notificationId: a.notificationId,
    dedupKey: a.dedupKey,
    groupKey: a.groupKey,
    receiver: a.receiver,
    status,
    groupLabels: a.groupLabels,
    commonLabels,
    commonAnnotations: common(alerts.map((x) => x.annotations)),
    alerts,
    severity,
    title: `[${prefix}] ${name}${where ? ` (${where})` : ''}`.slice(0, 300),
    externalUrl: a.externalUrl,
    createdAt: a.now,
    acknowledgedBy: a.acknowledgedBy ?? null,
  };
}
