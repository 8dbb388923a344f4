import { ALERT_SEVERITIES, type AlertSeverity, type AlertView } from '../../../protocol/alerting.js';
import { ALERT_CHANGED } from '../../alerting/alert-view.js';
import type { LiveTopic } from '../live-topic.js';

/** Filter of an `alerts` subscription: optional minimum severity. */
export interface AlertsFilter {
  severity?: AlertSeverity;
}

const RANK: Record<AlertSeverity, number> = { critical: 0, warning: 1, info: 2 };

/** Alert changes (state, severity, acknowledgement, suppression) as they are stored. */
export const alertsTopic: LiveTopic<AlertView, AlertsFilter> = {
  name: 'alerts',
  permission: 'read:incidents',
  eventTypes: [ALERT_CHANGED],
  parseFilter(raw) {
    if (typeof raw !== 'object' || raw === null) throw new Error('filter must be an object {severity?}');
    const { severity } = raw as Record<string, unknown>;
    if (severity === undefined) return {};
    if (!ALERT_SEVERITIES.includes(severity as AlertSeverity)) throw new Error(`filter.severity must be one of ${ALERT_SEVERITIES.join(', ')}`);
    return { severity: severity as AlertSeverity };
  },
  prepare: (event) => event.data as AlertView,
  select(alert, filter) {
    if (filter.severity && RANK[alert.severity] > RANK[filter.severity]) return null;
    return { type: 'event', topic: 'alerts', data: { alert } };
  },
};
