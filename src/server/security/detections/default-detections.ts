import type { DetectionRule } from '../../../protocol/security.js';

/**
 * Detections that ship enabled (editable through `PUT /api/v1/detections`):
 * - brute_force: ≥ 5 `auth_failure` from one source IP within 2 min → `brute_force`, high, T1110 (alerts);
 * - Vigil login brute force: ≥ 10 failed Vigil logins from one IP within 5 min → `brute_force`, high (alerts);
 * - new listening port: a port never seen on the host → `anomaly_detected`, medium (Wazuh rule 533);
 * - new process: a process name never seen on the host → `anomaly_detected`, medium;
 * - denied API calls: ≥ 20 `permission_denied` for one actor within 10 min → `anomaly_detected`, high.
 */
export const DEFAULT_DETECTIONS: readonly DetectionRule[] = [
  {
    id: 'brute_force',
    kind: 'frequency',
    enabled: true,
    description: '5 or more failed logins from one source IP within 2 minutes',
    match_type: 'auth_failure',
    group_by: ['metadata.src_ip'],
    count: 5,
    window_ms: 120_000,
    emit_type: 'brute_force',
    severity: 'high',
    mitre_technique: 'T1110',
    alert: true,
  },
  {
    id: 'login_brute_force',
    kind: 'frequency',
    enabled: true,
    description: '10 or more failed Vigil logins from one source IP within 5 minutes',
    match_type: 'login_failed',
    group_by: ['metadata.src_ip'],
    count: 10,
    window_ms: 300_000,
    emit_type: 'brute_force',
    severity: 'high',
    mitre_technique: 'T1110',
    alert: true,
  },
  {
    id: 'new_listening_port',
    kind: 'first_seen',
    enabled: true,
    description: 'A listening port never seen on this host before',
    match_type: 'port_opened',
    group_by: ['metadata.proto', 'metadata.port'],
    count: 1,
    window_ms: 86_400_000,
    emit_type: 'anomaly_detected',
    severity: 'medium',
    mitre_technique: 'T1571',
    alert: false,
  },
  {
    id: 'new_process',
    kind: 'first_seen',
    enabled: true,
    description: 'A process name never seen on this host before',
    match_type: 'process_started',
    group_by: ['metadata.comm'],
    count: 1,
    window_ms: 86_400_000,
    emit_type: 'anomaly_detected',
    severity: 'medium',
    alert: false,
  },
  {
    id: 'api_denials',
    kind: 'threshold',
    enabled: true,
    description: '20 or more denied API calls by one actor within 10 minutes',
    match_type: 'permission_denied',
    group_by: ['metadata.actor'],
    count: 20,
    window_ms: 600_000,
    emit_type: 'anomaly_detected',
    severity: 'high',
    mitre_technique: 'T1078',
    alert: false,
  },
];
