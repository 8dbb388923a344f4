import type { AlertSeverity } from '../../../../protocol/alerting.js';
import type { ChannelType, SendResult } from '../../channel-type.js';
import { ConfigReader } from '../../config-reader.js';
import { errorSendResult, httpSendResult } from '../../http-send-result.js';
import type { NotificationBatch } from '../../notification-batch.js';

/** PagerDuty Events API v2 severities. */
export const PD_SEVERITIES = ['critical', 'error', 'warning', 'info'] as const;
/** A PagerDuty severity. */
export type PdSeverity = (typeof PD_SEVERITIES)[number];

/** Validated PagerDuty settings. */
export interface PagerDutyConfig {
  routingKey: string;
  /** Events API base URL (default `https://events.pagerduty.com`; tests point it at loopback). */
  baseUrl: string;
  severityMap: Record<AlertSeverity, PdSeverity>;
  component: string | null;
  group: string | null;
  class: string | null;
}

/** Default severity mapping (Vigil → PagerDuty). */
export const DEFAULT_PD_SEVERITY: Record<AlertSeverity, PdSeverity> = { critical: 'critical', warning: 'warning', info: 'info' };

/**
 * The Events API v2 body (https://developer.pagerduty.com/docs/events-api-v2/trigger-events/):
 * `trigger` with payload for firing, `acknowledge` / `resolve` with only routing and dedup keys.
 * The dedup key is the group episode's incident key, identical for all three.
 */
export function pagerDutyEvent(b: NotificationBatch, c: PagerDutyConfig): Record<string, unknown> {
  const action = b.kind === 'acknowledged' ? 'acknowledge' : b.kind !== 'test' && b.status === 'resolved' ? 'resolve' : 'trigger';
  const base = { routing_key: c.routingKey, event_action: action, dedup_key: b.dedupKey };
  if (action !== 'trigger') return base;
  const firing = b.alerts.filter((a) => a.status === 'firing');
  const first = firing[0] ?? b.alerts[0];
  const summary = [b.title, first?.annotations.summary].filter(Boolean).join(': ').slice(0, 1024);
  return {
    ...base,
    payload: {
      summary,
      source: first?.labels.host ?? b.commonLabels.host ?? 'vigil',
      severity: c.severityMap[b.severity],
      timestamp: new Date(first?.startsAt ?? b.createdAt).toISOString(),
      ...(c.component ? { component: c.component } : {}),
      ...(c.group ? { group: c.group } : {}),
      ...(c.class ? { class: c.class } : {}),
      custom_details: {
        firing: firing.length,
        group_labels: b.groupLabels,
        alerts: b.alerts.slice(0, 20).map((a) => ({ status: a.status, labels: a.labels, value: a.value, threshold: a.threshold, summary: a.annotations.summary ?? null, suggested_fixes: a.annotations.suggested_fixes ?? null })),
      },
    },
    client: 'Vigil',
    client_url: b.externalUrl,
    links: b.alerts.slice(0, 5).map((a) => ({ href: a.url, text: `${a.labels.alertname ?? 'alert'} in Vigil` })),
  };
}

/** PagerDuty Events API v2. */
export const pagerDutyChannel: ChannelType<PagerDutyConfig> = {
  type: 'pagerduty',
  title: 'PagerDuty',
  secretFields: ['routingKey'],
  requiredSecrets: ['routingKey'],
  validate(config, secrets) {
    const c = new ConfigReader(config, 'config', ['baseUrl', 'severityMap', 'component', 'group', 'class']);
    const s = new ConfigReader(secrets, 'secrets', ['routingKey']);
    const routingKey = s.string('routingKey', { required: true, max: 64 });
    if (!/^[A-Za-z0-9]{32}$/.test(routingKey)) s.fail('routingKey', 'must be the 32-character integration key');
    const raw = (config as Record<string, unknown> | null)?.severityMap;
    const severityMap = { ...DEFAULT_PD_SEVERITY };
    if (raw !== undefined && raw !== null) {
      if (typeof raw !== 'object') c.fail('severityMap', 'must map critical/warning/info to critical/error/warning/info');
      for (const [k, v] of Object.entries(raw as Record<string, unknown>)) {
        if (!(k in severityMap) || !PD_SEVERITIES.includes(v as PdSeverity)) c.fail('severityMap', 'must map critical/warning/info to critical/error/warning/info');
        severityMap[k as AlertSeverity] = v as PdSeverity;
      }
    }
    return {
      routingKey,
      baseUrl: c.url('baseUrl', { fallback: 'https://events.pagerduty.com' }).replace(/\/$/, ''),
      severityMap,
      component: c.string('component', { max: 200 }) || null,
      group: c.string('group', { max: 200 }) || null,
      class: c.string('class', { max: 200 }) || null,
    };
  },
  publicConfig: (c) => ({ baseUrl: c.baseUrl, severityMap: c.severityMap, component: c.component, group: c.group, class: c.class }),
  async send(batch, config, ctx): Promise<SendResult> {
    try {
      const res = await ctx.http.request({ url: `${config.baseUrl}/v2/enqueue`, method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(pagerDutyEvent(batch, config)) });
      return httpSendResult(res, Date.now());
    } catch (err) {
      return errorSendResult(err);
    }
  },
};
