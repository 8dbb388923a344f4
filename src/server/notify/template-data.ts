import type { NotificationBatch } from './notification-batch.js';

function num(v: number | null): string {
  if (v === null) return '';
  const r = Math.round(v * 100) / 100;
  return Math.abs(r) >= 1e6 ? v.toExponential(3) : String(r);
}

/**
 * The data templates see: the batch plus pre-formatted text fields (`valueText`, `startsAtText`,
 * `firingCount`, …) so templates stay logic-less.
 */
export function templateData(b: NotificationBatch): Record<string, unknown> {
  const firing = b.alerts.filter((a) => a.status === 'firing');
  return {
    ...b,
    firingCount: firing.length,
    resolvedCount: b.alerts.length - firing.length,
    isFiring: b.status === 'firing',
    isResolved: b.status === 'resolved' && b.kind !== 'acknowledged',
    isAcknowledged: b.kind === 'acknowledged',
    isTest: b.kind === 'test',
    createdAtText: new Date(b.createdAt).toISOString(),
    alerts: b.alerts.map((a) => ({
      ...a,
      isFiring: a.status === 'firing',
      valueText: num(a.value),
      thresholdText: num(a.threshold),
      startsAtText: new Date(a.startsAt).toISOString(),
      endsAtText: a.endsAt === null ? '' : new Date(a.endsAt).toISOString(),
      labelList: Object.entries(a.labels).map(([name, value]) => ({ name, value })),
    })),
  };
}

/** Default plain-text body (e-mail text part, in-app body, Slack fallback). */
export const DEFAULT_TEXT_TEMPLATE = `{{title}}
{{#isAcknowledged}}Acknowledged by {{acknowledgedBy}}.
{{/isAcknowledged}}{{#isTest}}This is a test notification from Vigil.
{{/isTest}}
{{#alerts}}- [{{status}}] {{labels.alertname}} ({{severity}}){{#labels.host}} on {{labels.host}}{{/labels.host}}
  {{annotations.summary}}
{{#annotations.metric}}  Metric: {{annotations.metric}}
{{/annotations.metric}}{{#valueText}}  Current value: {{valueText}}{{#thresholdText}} (threshold {{thresholdText}}){{/thresholdText}}
{{/valueText}}{{#annotations.explanation}}  Why: {{annotations.explanation}}
{{/annotations.explanation}}  Since: {{startsAtText}}{{#endsAtText}}, resolved {{endsAtText}}{{/endsAtText}}
{{#annotations.description}}  {{annotations.description}}
{{/annotations.description}}{{#annotations.suggested_fixes}}  Suggested fixes:
{{annotations.suggested_fixes}}
{{/annotations.suggested_fixes}}{{#annotations.runbook_url}}  Runbook: {{annotations.runbook_url}}
{{/annotations.runbook_url}}  Dashboard: {{url}}

{{/alerts}}`;
