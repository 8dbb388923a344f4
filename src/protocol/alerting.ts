/**
 * API shapes of alerting and notifications (`/api/v1/rules`, `/alerts`, `/silences`,
 * `/maintenance-windows`, `/channels`, `/receivers`, `/routing`, `/notifications`, `/me/inbox`,
 * `/me/preferences`), shared by the server and the dashboard. Durations are strings such as
 * `5m` (see `parseDuration`); times are ms since the Unix epoch.
 */

/** Severity of an alert or notification, most severe first. */
export type AlertSeverity = 'critical' | 'warning' | 'info';

/** Severities in order, most severe first. */
export const ALERT_SEVERITIES: readonly AlertSeverity[] = ['critical', 'warning', 'info'];

/** Lifecycle state of one alert instance (rule × label set). */
export type AlertState = 'inactive' | 'pending' | 'firing' | 'resolved';

/** Lifecycle states in display order. */
export const ALERT_STATES: readonly AlertState[] = ['firing', 'pending', 'resolved', 'inactive'];

/** A rule as written by a user (API body, YAML rules-as-code entry). */
export interface RuleInput {
  name: string;
  description?: string;
  /** Registered rule type: `threshold`, `absence`, `rate_of_change` (more types may be registered). */
  type: string;
  /** Type-specific settings, validated by the rule type. */
  spec: Record<string, unknown>;
  /** Severity for types without per-level thresholds (default `warning`). */
  severity?: AlertSeverity;
  /** Extra labels added to every alert of the rule. */
  labels?: Record<string, string>;
  /** How long the condition must hold before firing (default `0s`). */
  for?: string;
  /** How long an alert keeps firing after the condition cleared (default `0s`). */
  keepFiringFor?: string;
  /** Evaluation interval for periodic evaluation (default `30s`). */
  interval?: string;
  runbookUrl?: string;
  /** Operator guidance shown in notifications; defaults exist for CPU, memory, disk, network, agent-down. */
  suggestedFixes?: string;
  enabled?: boolean;
}

/** A stored rule. */
export interface RuleView extends Required<Omit<RuleInput, 'runbookUrl' | 'suggestedFixes'>> {
  id: string;
  runbookUrl: string | null;
  suggestedFixes: string | null;
  createdAt: number;
  updatedAt: number;
  createdBy: string;
  /** Increments on every change (optimistic concurrency on PUT). */
  version: number;
}

/** Acknowledgement of an alert. */
export interface AlertAck {
  by: string;
  comment: string;
  at: number;
  /** When the acknowledgement lapses (null: until resolved). */
  expiresAt: number | null;
}

/** Why an alert is currently not notified. */
export interface Suppression {
  kind: 'silence' | 'maintenance' | 'inhibition';
  id: string;
  /** Human-readable: silence comment, window name, or the inhibiting alert. */
  description: string;
}

/** One alert instance. */
export interface AlertView {
  id: string;
  ruleId: string;
  ruleName: string;
  fingerprint: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  state: AlertState;
  severity: AlertSeverity;
  /** Latest evaluated value (null when the condition has no numeric value, e.g. absence). */
  value: number | null;
  /** The threshold that was crossed, when the rule type has one. */
  threshold: number | null;
  activeSince: number | null;
  firingSince: number | null;
  resolvedAt: number | null;
  lastEvalAt: number;
  ack: AlertAck | null;
  suppressedBy: Suppression[];
  flapping: boolean;
  updatedAt: number;
}

/** Kind of a stored lifecycle event. */
export type TransitionKind = 'state' | 'severity' | 'ack' | 'unack' | 'suppressed' | 'unsuppressed' | 'flapping' | 'stable';

/** One stored lifecycle event of an alert (every state change and flag change). */
export interface AlertTransition {
  id: number;
  alertId: string;
  ts: number;
  kind: TransitionKind;
  from: AlertState;
  to: AlertState;
  severity: AlertSeverity;
  value: number | null;
  reason: string;
  actor: string | null;
}

/** `GET /api/v1/alerts/:id`. */
export interface AlertDetail extends AlertView {
  transitions: AlertTransition[];
  rule: RuleView | null;
}

/** A label matcher as used by silences, routes, inhibition and maintenance windows. */
export interface LabelMatcher {
  name: string;
  op: '=' | '!=' | '=~' | '!~';
  value: string;
}

/** A silence as written by a user. */
export interface SilenceInput {
  matchers: LabelMatcher[];
  startsAt: number;
  endsAt: number;
  comment: string;
}

/** A stored silence. */
export interface SilenceView extends SilenceInput {
  id: string;
  createdBy: string;
  createdAt: number;
  /** `active`, `pending` (starts later) or `expired`. */
  status: 'active' | 'pending' | 'expired';
}

/** Recurring schedule of a maintenance window. */
export type MaintenanceSchedule =
  | { kind: 'weekly'; days: ('mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun')[]; start: string; end: string }
  | { kind: 'cron'; cron: string; duration: string };

/** A maintenance window as written by a user. */
export interface MaintenanceWindowInput {
  name: string;
  schedule: MaintenanceSchedule;
  /** IANA time zone, e.g. `Europe/Berlin`. */
  timeZone: string;
  /** Which alerts it covers (empty: all alerts). */
  matchers: LabelMatcher[];
  enabled?: boolean;
}

/** A stored maintenance window. */
export interface MaintenanceWindowView extends Required<MaintenanceWindowInput> {
  id: string;
  createdBy: string;
  createdAt: number;
  updatedAt: number;
  activeNow: boolean;
  /** Next start (ms) within the next 35 days, or null. */
  nextStart: number | null;
}

/** An inhibition rule: alerts matching `source` suppress alerts matching `target` with equal `equal` labels. */
export interface InhibitRule {
  source: LabelMatcher[];
  target: LabelMatcher[];
  equal: string[];
}

/** Result of a dry run or preview of a rule against stored history. */
export interface RuleDryRunResult {
  start: number;
  end: number;
  step: number;
  /** Number of pending→firing (or inactive→firing) transitions. */
  fires: number;
  events: { ts: number; labels: Record<string, string>; to: AlertState; severity: AlertSeverity; value: number | null }[];
  /** Evaluated value per series over time (for the chart), at most `maxSeries` series. */
  series: { labels: Record<string, string>; timestamps: number[]; values: (number | null)[] }[];
  thresholds: { warning: number | null; critical: number | null; recovery: number | null };
  truncated: boolean;
}

/** A notification channel as written by a user. Secret fields are write-only. */
export interface ChannelInput {
  name: string;
  /** Registered channel type: `email`, `slack`, `pagerduty`, `webhook`, `inapp`. */
  type: string;
  /** Non-secret settings. */
  config: Record<string, unknown>;
  /** Secret settings (omit a field to keep its stored value, `null` to clear it). */
  secrets?: Record<string, string | null>;
  enabled?: boolean;
}

/** A stored channel; secrets appear only as `{set: boolean}`. */
export interface ChannelView {
  id: string;
  name: string;
  type: string;
  config: Record<string, unknown>;
  secrets: Record<string, { set: boolean }>;
  enabled: boolean;
  /** Last permanent (configuration) error, e.g. a 4xx answer; cleared by a successful send. */
  configError: string | null;
  /** Consecutive failed attempts (reset by a success). */
  consecutiveFailures: number;
  lastSuccessAt: number | null;
  createdAt: number;
  updatedAt: number;
}

/** A receiver: a named set of channels and users. */
export interface ReceiverInput {
  name: string;
  channelIds: string[];
  /** Users notified through their own preferences (in-app, e-mail, Slack). */
  userIds: string[];
}

/** A stored receiver. */
export interface ReceiverView extends ReceiverInput {
  id: string;
  createdAt: number;
  updatedAt: number;
}

/** One escalation step: notify `receiver` when the group is still unacknowledged `after` its start. */
export interface EscalationStep {
  after: string;
  receiver: string;
}

/** A node of the routing tree (Alertmanager-style; the root matches everything). */
export interface RouteNode {
  id: string;
  matchers: LabelMatcher[];
  /** Receiver name; inherited from the parent when absent. */
  receiver?: string;
  groupBy?: string[];
  groupWait?: string;
  groupInterval?: string;
  repeatInterval?: string;
  /** Keep matching siblings after this route matched. */
  continue?: boolean;
  /** Ordered escalation; when set, replaces `receiver` for firing notifications. */
  escalation?: EscalationStep[];
  sendResolved?: boolean;
  routes?: RouteNode[];
}

/** The routing configuration (`GET/PUT /api/v1/routing`). */
export interface RoutingConfig {
  root: RouteNode;
  /** Receiver used when a notification to its own receiver keeps failing. */
  fallbackReceiver: string | null;
  /** How long a notification may fail before the fallback receiver is used (default `10m`). */
  fallbackAfter: string;
  version: number;
}

/** Delivery status of one notification. */
export type NotificationStatus = 'pending' | 'sending' | 'delivered' | 'failed' | 'dead';

/** Kind of a notification. */
export type NotificationKind = 'firing' | 'resolved' | 'acknowledged' | 'test';

/** One delivery attempt. */
export interface DeliveryAttempt {
  ts: number;
  durationMs: number;
  outcome: 'ok' | 'retry' | 'permanent';
  statusCode: number | null;
  error: string | null;
  retryAfterMs: number | null;
}

/** A notification of the outbox with its delivery log. */
export interface NotificationView {
  id: string;
  /** Stable incident key sent to receivers that deduplicate (PagerDuty `dedup_key`). */
  dedupKey: string;
  kind: NotificationKind;
  status: NotificationStatus;
  target: string;
  channelType: string;
  groupKey: string;
  alertIds: string[];
  severity: AlertSeverity;
  title: string;
  attempts: number;
  createdAt: number;
  nextAttemptAt: number | null;
  deliveredAt: number | null;
  lastError: string | null;
  fallbackOf: string | null;
  log?: DeliveryAttempt[];
}

/** One step of the "why was I (not) notified?" path. */
export interface ExplainStep {
  ts: number;
  step: 'route' | 'group' | 'silence' | 'maintenance' | 'inhibition' | 'escalation' | 'preference' | 'flapping' | 'ack' | 'notification' | 'delivery' | 'fallback';
  message: string;
  details?: Record<string, unknown>;
}

/** `GET /api/v1/alerts/:id/explain`. */
export interface AlertExplanation {
  alertId: string;
  /** Routes that match the alert's labels now (ids, root first). */
  matchedRoutes: { id: string; receiver: string | null; groupKey: string }[];
  suppressedBy: Suppression[];
  steps: ExplainStep[];
  notifications: NotificationView[];
}

/** One entry of a user's in-app inbox. */
export interface InboxItem {
  id: string;
  alertId: string | null;
  notificationId: string | null;
  severity: AlertSeverity;
  kind: NotificationKind;
  title: string;
  body: string;
  createdAt: number;
  readAt: number | null;
}

/** Per-user notification preferences. */
export interface UserPreferences {
  email: string | null;
  channels: { email: boolean; inapp: boolean; slack: boolean };
  /** Least severe alert the user wants (default `info`: everything). */
  minSeverity: AlertSeverity;
  /** Outside critical alerts, nothing but the in-app inbox during these hours. */
  quietHours: { start: string; end: string; timeZone: string } | null;
  /** Slack incoming webhook for personal messages; write-only (`{set}` when read). */
  slackWebhookUrl?: string | null;
}

/** Preferences as returned by the API. */
export interface UserPreferencesView extends Omit<UserPreferences, 'slackWebhookUrl'> {
  slackWebhookUrl: { set: boolean };
}

/** Live message payloads of the `alerts` and `notifications` topics (`{type:'event', topic, data}`). */
export type AlertsLiveData = { alert: AlertView };
/** Payload of the `notifications` topic, sent only to the inbox owner. */
export type NotificationsLiveData = { item: InboxItem; unread: number } | { unread: number };
