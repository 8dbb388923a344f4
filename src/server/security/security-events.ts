import type { SecurityEvent } from '../../protocol/security.js';

/** Bus event type: security events were stored (after commit). */
export const SECURITY_EVENT_RECORDED = 'security_event_recorded';

/** Payload of {@link SECURITY_EVENT_RECORDED}: the events one write stored, in batch order. */
export interface SecurityEventRecorded {
  events: SecurityEvent[];
  /** True when the events came from a detection (detections never feed on their own output). */
  fromDetection: boolean;
}

/** Bus event: the detection rules were replaced; other replicas reload them from settings. */
export const SECURITY_DETECTIONS_CHANGED = 'security_detections_changed';

/** Payload of {@link SECURITY_DETECTIONS_CHANGED}; `origin` is the announcing engine's instance id. */
export interface SecurityDetectionsChanged {
  origin: string;
}
