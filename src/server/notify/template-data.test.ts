import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { NotificationBatch } from './notification-batch.js';
import { DEFAULT_TEXT_TEMPLATE, templateData } from './template-data.js';
import { render } from './template/render-template.js';

function batch(annotations: Record<string, string>): NotificationBatch {
  return {
    kind: 'firing',
    notificationId: 'n1',
    dedupKey: 'd1',
    groupKey: 'g1',
    receiver: 'ops',
    status: 'firing',
    groupLabels: {},
    commonLabels: {},
    commonAnnotations: {},
    alerts: [{ id: 'a1', status: 'firing', labels: { alertname: 'DiskFullSoon', host: 'web-1' }, annotations, severity: 'critical', value: 82.1, threshold: 100, startsAt: 0, endsAt: null, fingerprint: 'f', url: 'http://vigil/alerts/a1', ack: null }],
    severity: 'critical',
    title: '[FIRING] DiskFullSoon',
    externalUrl: 'http://vigil',
    createdAt: 0,
    acknowledgedBy: null,
  } as NotificationBatch;
}

describe('default notification text', () => {
  it('explains forecast and anomaly alerts under "Why"', () => {
    const why = 'linear trend (+0.75/h) forecast (95 % band) reaches 100 at 2026-01-08T21:05:00Z, in 23h55m; expected value then 99.3 (band 98.9 .. 100), now 82.1';
    const text = render(DEFAULT_TEXT_TEMPLATE, templateData(batch({ summary: 'DiskFullSoon: linear forecast …', explanation: why })), 'text');
    assert.ok(text.includes(`  Why: ${why}\n`), text);
    assert.ok(text.includes('Current value: 82.1 (threshold 100)'));
    const plain = render(DEFAULT_TEXT_TEMPLATE, templateData(batch({ summary: 'HighCPU' })), 'text');
    assert.ok(!plain.includes('Why:'), 'no "Why" line for rules without an explanation');
  });
});
