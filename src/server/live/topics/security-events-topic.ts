import { SEVERITIES, severityRank, type SecurityEvent, type Severity } from '../../../protocol/security.js';
import { SECURITY_EVENT_RECORDED, type SecurityEventRecorded } from '../../security/security-events.js';
import type { LiveTopic } from '../live-topic.js';

/** Filter of a `security_events` subscription: minimum severity (default `high`) and optional host. */
export interface SecurityEventsFilter {
  minSeverity: Severity;
  host?: string;
}

/**
 * New security events as they are stored (suppressed ones never), for the SOC view. By default
 * only high and critical events are pushed; `{minSeverity: "low"}` subscribes to everything.
 */
export const securityEventsTopic: LiveTopic<SecurityEvent[], SecurityEventsFilter> = {
  name: 'security_events',
  permission: 'read:incidents',
  eventTypes: [SECURITY_EVENT_RECORDED],
  parseFilter(raw) {
    if (raw === undefined || raw === null) return { minSeverity: 'high' };
    if (typeof raw !== 'object') throw new Error('filter must be an object {minSeverity?, host?}');
    const { minSeverity, host } = raw as Record<string, unknown>;
    if (minSeverity !== undefined && !SEVERITIES.includes(minSeverity as Severity)) throw new Error(`filter.minSeverity must be one of ${SEVERITIES.join(', ')}`);
    if (host !== undefined && (typeof host !== 'string' || host.length > 255)) throw new Error('filter.host must be a host name');
    return { minSeverity: (minSeverity as Severity | undefined) ?? 'high', ...(host !== undefined ? { host: host as string } : {}) };
  },
  prepare: (event) => (event.data as SecurityEventRecorded).events.filter((e) => e.suppressed_by === null),
  select(events, filter) {
    const min = severityRank(filter.minSeverity);
    const picked = events.filter((e) => severityRank(e.severity) >= min && (filter.host === undefined || e.host === filter.host));
    return picked.length ? { type: 'event', topic: 'security_events', data: { events: picked } } : null;
  },
};
