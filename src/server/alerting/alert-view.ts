import type { AlertView } from '../../protocol/alerting.js';
import type { AlertInstance } from './alert-lifecycle.js';

/** Bus event type published after alert changes are stored; payload is an {@link AlertView}. */
export const ALERT_CHANGED = 'alert_changed';

/** The API/live view of an alert instance. */
export function alertView(a: AlertInstance): AlertView {
  return {
    id: a.id,
    ruleId: a.ruleId,
    ruleName: a.labels.alertname ?? '',
    fingerprint: a.fingerprint,
    labels: a.labels,
    annotations: a.annotations,
    state: a.state,
    severity: a.severity,
    value: a.value,
    threshold: a.threshold,
    activeSince: a.activeSince,
    firingSince: a.firingSince,
    resolvedAt: a.resolvedAt,
    lastEvalAt: a.lastEvalAt,
    ack: a.ack,
    suppressedBy: a.suppressedBy,
    flapping: a.flapping,
    updatedAt: a.updatedAt,
  };
}
