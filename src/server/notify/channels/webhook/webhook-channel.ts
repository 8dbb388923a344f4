import { createHmac } from 'node:crypto';
import type { ChannelType, SendResult } from '../../channel-type.js';
import { ConfigReader } from '../../config-reader.js';
import { errorSendResult, httpSendResult } from '../../http-send-result.js';
import type { NotificationBatch } from '../../notification-batch.js';

/** Validated webhook settings. */
export interface WebhookConfig {
  url: string;
  /** HMAC-SHA256 key for the `X-Vigil-Signature` header (optional). */
  hmacSecret: string | null;
  /** Most alerts per message (0 = all); the rest are counted in `truncatedAlerts`. */
  maxAlerts: number;
}

/** Alertmanager's "zero time" for `endsAt` of firing alerts. */
const ZERO_TIME = '0001-01-01T00:00:00Z';

/**
 * The body: Alertmanager's webhook format (version 4), so existing receivers work unchanged, plus
 * a `vigil` object (event kind, notification id, incident key, severity) they may ignore.
 */
export function webhookBody(b: NotificationBatch, maxAlerts: number): Record<string, unknown> {
  const alerts = maxAlerts > 0 ? b.alerts.slice(0, maxAlerts) : b.alerts;
  return {
    version: '4',
    groupKey: b.groupKey,
    truncatedAlerts: b.alerts.length - alerts.length,
    status: b.status,
    receiver: b.receiver,
    groupLabels: b.groupLabels,
    commonLabels: b.commonLabels,
    commonAnnotations: b.commonAnnotations,
    externalURL: b.externalUrl,
    alerts: alerts.map((a) => ({
      status: a.status,
      labels: a.labels,
      annotations: a.annotations,
      startsAt: new Date(a.startsAt).toISOString(),
      endsAt: a.endsAt === null ? ZERO_TIME : new Date(a.endsAt).toISOString(),
      generatorURL: a.url,
      fingerprint: a.fingerprint,
    })),
    vigil: { kind: b.kind, notificationId: b.notificationId, dedupKey: b.dedupKey, severity: b.severity, acknowledgedBy: b.acknowledgedBy },
  };
}

/** `sha256=<hex>` of HMAC-SHA256(secret, `<timestamp>.<body>`): receivers recompute it to authenticate the call. */
export function webhookSignature(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** Generic webhook: POST JSON (Alertmanager-compatible), idempotency key, optional HMAC signature. */
export const webhookChannel: ChannelType<WebhookConfig> = {
  type: 'webhook',
  title: 'Webhook',
  secretFields: ['url', 'hmacSecret'],
  requiredSecrets: ['url'],
  validate(config, secrets) {
    const c = new ConfigReader(config, 'config', ['maxAlerts']);
    const s = new ConfigReader(secrets, 'secrets', ['url', 'hmacSecret']);
    const hmac = s.string('hmacSecret', { max: 512 });
    if (hmac !== '' && hmac.length < 16) s.fail('hmacSecret', 'must be at least 16 characters');
    return { url: s.url('url', { required: true }), hmacSecret: hmac || null, maxAlerts: c.int('maxAlerts', 0, 0, 10_000) };
  },
  publicConfig: (c) => ({ maxAlerts: c.maxAlerts }),
  async send(batch, config, ctx): Promise<SendResult> {
    const body = JSON.stringify(webhookBody(batch, config.maxAlerts));
    const headers: Record<string, string> = { 'content-type': 'application/json', 'user-agent': 'Vigil-Alerting/1', 'idempotency-key': batch.notificationId, 'x-vigil-event': batch.kind };
    if (config.hmacSecret) {
      const ts = String(Math.floor(Date.now() / 1000));
      headers['x-vigil-timestamp'] = ts;
      headers['x-vigil-signature'] = webhookSignature(config.hmacSecret, ts, body);
    }
    try {
      return httpSendResult(await ctx.http.request({ url: config.url, method: 'POST', headers, body }), Date.now());
    } catch (err) {
      return errorSendResult(err);
    }
  },
};
