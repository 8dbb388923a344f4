import nodemailer from 'nodemailer';
import type { ChannelType, SendResult } from '../../channel-type.js';
import { ConfigReader } from '../../config-reader.js';
import type { NotificationBatch } from '../../notification-batch.js';
import { render } from '../../template/render-template.js';
import { DEFAULT_TEXT_TEMPLATE, templateData } from '../../template-data.js';

/** Validated SMTP settings. */
export interface EmailConfig {
  host: string;
  port: number;
  /** `tls`: implicit TLS (465); `starttls`: upgrade required (587); `none`: plaintext, for a local relay only. */
  security: 'starttls' | 'tls' | 'none';
  username: string | null;
  password: string | null;
  from: string;
  to: string[];
  subjectTemplate: string | null;
  textTemplate: string | null;
  htmlTemplate: string | null;
  /** Verify the server certificate (default true). */
  tlsVerify: boolean;
}

const DEFAULT_SUBJECT = '{{title}}';

/** Default HTML body: the same facts as the text part; values escaped by the template engine. */
export const DEFAULT_HTML_TEMPLATE = `<!doctype html><html><body style="font-family:sans-serif">
<h2>{{title}}</h2>
{{#isAcknowledged}}<p>Acknowledged by {{acknowledgedBy}}.</p>{{/isAcknowledged}}
{{#isTest}}<p>This is a test notification from Vigil.</p>{{/isTest}}
{{#alerts}}<table cellpadding="4" style="border:1px solid #ccc;margin-bottom:12px">
<tr><th align="left">Alert</th><td>{{labels.alertname}} <b>{{status}}</b></td></tr>
<tr><th align="left">Severity</th><td>{{severity}}</td></tr>
{{#labels.host}}<tr><th align="left">Host</th><td>{{labels.host}}</td></tr>{{/labels.host}}
{{#annotations.metric}}<tr><th align="left">Metric</th><td>{{annotations.metric}}</td></tr>{{/annotations.metric}}
{{#valueText}}<tr><th align="left">Current value</th><td>{{valueText}}</td></tr>{{/valueText}}
{{#annotations.explanation}}<tr><th align="left">Why</th><td>{{annotations.explanation}}</td></tr>{{/annotations.explanation}}
{{#thresholdText}}<tr><th align="left">Threshold</th><td>{{thresholdText}}</td></tr>{{/thresholdText}}
<tr><th align="left">Since</th><td>{{startsAtText}}</td></tr>
<tr><th align="left">Summary</th><td>{{annotations.summary}}</td></tr>
{{#annotations.suggested_fixes}}<tr><th align="left">Suggested fixes</th><td><pre>{{annotations.suggested_fixes}}</pre></td></tr>{{/annotations.suggested_fixes}}
<tr><th align="left">Dashboard</th><td><a href="{{url}}">{{url}}</a></td></tr>
</table>{{/alerts}}
</body></html>`;

/** Subject, text and HTML of a batch. */
export function emailContent(b: NotificationBatch, c: Pick<EmailConfig, 'subjectTemplate' | 'textTemplate' | 'htmlTemplate'>): { subject: string; text: string; html: string } {
  const data = templateData(b);
  return {
    subject: render(c.subjectTemplate ?? DEFAULT_SUBJECT, data, 'text').replace(/[\r\n]+/g, ' ').slice(0, 250),
    text: render(c.textTemplate ?? DEFAULT_TEXT_TEMPLATE, data, 'text'),
    html: render(c.htmlTemplate ?? DEFAULT_HTML_TEMPLATE, data, 'html'),
  };
}

/** SMTP reply codes and nodemailer error codes that a retry cannot fix. */
function classify(err: unknown): SendResult {
  const e = err as { responseCode?: number; code?: string; message?: string };
  const msg = (e.message ?? String(err)).slice(0, 300);
  if (e.code === 'EAUTH' || e.code === 'EENVELOPE' || (typeof e.responseCode === 'number' && e.responseCode >= 500)) {
    return { kind: 'permanent', error: `SMTP: ${msg}`, ...(e.responseCode ? { statusCode: e.responseCode } : {}) };
  }
  return { kind: 'retry', error: `SMTP: ${msg}`, ...(e.responseCode ? { statusCode: e.responseCode } : {}) };
}

/** E-mail over SMTP (nodemailer): HTML and plain-text parts; the SMTP host passes the outbound policy. */
export const emailChannel: ChannelType<EmailConfig> = {
  type: 'email',
  title: 'E-mail (SMTP)',
  secretFields: ['password'],
  requiredSecrets: [],
  validate(config, secrets) {
    const c = new ConfigReader(config, 'config', ['host', 'port', 'security', 'username', 'from', 'to', 'subjectTemplate', 'textTemplate', 'htmlTemplate', 'tlsVerify']);
    const s = new ConfigReader(secrets, 'secrets', ['password']);
    const host = c.string('host', { required: true, max: 253 });
    if (!/^[A-Za-z0-9.-]+$|^\[[0-9a-fA-F:]+\]$/.test(host)) c.fail('host', 'must be a host name or IP address');
    const from = c.emails('from', { required: true });
    if (from.length !== 1) c.fail('from', 'must be one address');
    const security = c.choice('security', ['starttls', 'tls', 'none'] as const, 'starttls');
    return {
      host,
      port: c.int('port', security === 'tls' ? 465 : 587, 1, 65535),
      security,
      username: c.string('username', { max: 200 }) || null,
      password: s.string('password', { max: 500 }) || null,
      from: from[0] as string,
      to: c.emails('to'),
      subjectTemplate: c.template('subjectTemplate'),
      textTemplate: c.template('textTemplate'),
      htmlTemplate: c.template('htmlTemplate'),
      tlsVerify: c.bool('tlsVerify', true),
    };
  },
  publicConfig: (c) => ({ host: c.host, port: c.port, security: c.security, username: c.username, from: c.from, to: c.to, subjectTemplate: c.subjectTemplate, textTemplate: c.textTemplate, htmlTemplate: c.htmlTemplate, tlsVerify: c.tlsVerify }),
  personal: {
    needsBase: true,
    configure(base, recipient) {
      if (!base) throw new Error('no SMTP channel is set for personal e-mail');
      return { ...base, to: [recipient] };
    },
  },
  async send(batch, config, ctx): Promise<SendResult> {
    if (config.to.length === 0) return { kind: 'permanent', error: 'no recipient address configured' };
    let address: string;
    try {
      address = await ctx.resolveSmtpHost(config.host);
    } catch (err) {
      return { kind: 'permanent', error: `SMTP host blocked: ${(err as Error).message}` };
    }
    const transport = nodemailer.createTransport({
      host: address,
      port: config.port,
      secure: config.security === 'tls',
      requireTLS: config.security === 'starttls',
      ignoreTLS: config.security === 'none',
      tls: { servername: config.host, rejectUnauthorized: config.tlsVerify },
      ...(config.username ? { auth: { user: config.username, pass: config.password ?? '' } } : {}),
      connectionTimeout: ctx.timeoutMs,
      greetingTimeout: ctx.timeoutMs,
      socketTimeout: ctx.timeoutMs,
    });
    try {
      const { subject, text, html } = emailContent(batch, config);
      await transport.sendMail({
        from: config.from,
        to: config.to,
        subject,
        text,
        html,
        messageId: `<${batch.notificationId}@vigil>`,
        headers: { 'X-Vigil-Notification-Id': batch.notificationId, 'X-Vigil-Dedup-Key': batch.dedupKey },
      });
      return { kind: 'ok', statusCode: 250 };
    } catch (err) {
      return classify(err);
    } finally {
      transport.close();
    }
  },
};
