import type { AlertSeverity } from '../../../../protocol/alerting.js';
import type { ChannelType, SendResult } from '../../channel-type.js';
import { ConfigReader } from '../../config-reader.js';
import { errorSendResult, httpSendResult } from '../../http-send-result.js';
import type { NotificationBatch } from '../../notification-batch.js';
import { render } from '../../template/render-template.js';
import { templateData } from '../../template-data.js';

/** Validated Slack settings. */
export interface SlackConfig {
  webhookUrl: string;
  /** Channel override (legacy webhooks only), e.g. `#ops`. */
  channel: string | null;
  username: string | null;
  /** Custom message text template (plain text with Slack mrkdwn). */
  template: string | null;
}

/** Attachment colour by severity (resolved and acknowledged are green / grey). */
export const SLACK_COLORS: Record<AlertSeverity | 'resolved' | 'acknowledged', string> = { critical: '#d00000', warning: '#f2c744', info: '#439fe0', resolved: '#2eb886', acknowledged: '#8d8d8d' };

/** Slack escapes: &, < and > in text (https://api.slack.com/reference/surfaces/formatting#escaping). */
export function slackEscape(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

const DEFAULT_TEMPLATE = `{{#alerts}}• *{{labels.alertname}}* ({{severity}}){{#labels.host}} on {{labels.host}}{{/labels.host}}: {{annotations.summary}}{{#valueText}} — value {{valueText}}{{/valueText}}
{{/alerts}}`;

/** The incoming-webhook payload: `text` plus one attachment coloured by severity. */
export function slackPayload(b: NotificationBatch, c: SlackConfig): Record<string, unknown> {
  const color = b.kind === 'acknowledged' ? SLACK_COLORS.acknowledged : b.status === 'resolved' ? SLACK_COLORS.resolved : SLACK_COLORS[b.severity];
  const text = slackText(b, c.template ?? DEFAULT_TEMPLATE);
  const first = b.alerts[0];
  const attachment: Record<string, unknown> = {
    color,
    fallback: slackEscape(b.title),
    title: slackEscape(b.title),
    ...(first ? { title_link: first.url } : {}),
    text,
    fields: [
      { title: 'Severity', value: b.severity, short: true },
      { title: 'Alerts', value: `${b.alerts.filter((a) => a.status === 'firing').length} firing, ${b.alerts.filter((a) => a.status === 'resolved').length} resolved`, short: true },
      ...(b.acknowledgedBy ? [{ title: 'Acknowledged by', value: slackEscape(b.acknowledgedBy), short: true }] : []),
    ],
    footer: 'Vigil',
    ts: Math.floor(b.createdAt / 1000),
  };
  return { text: slackEscape(b.title), attachments: [attachment], ...(c.channel ? { channel: c.channel } : {}), ...(c.username ? { username: c.username } : {}) };
}

/** Longest attachment text we send (Slack truncates long messages). */
const TEXT_MAX = 3000;

/**
 * The attachment text listing as many alerts as fit in {@link TEXT_MAX} characters, then
 * "…and N more", so every alert of a large group is accounted for in one message.
 */
function slackText(b: NotificationBatch, template: string): string {
  const escaped = b.alerts.map((a) => ({ ...a, labels: mapValues(a.labels, slackEscape), annotations: mapValues(a.annotations, slackEscape) }));
  const at = (n: number) => render(template, templateData({ ...b, title: slackEscape(b.title), alerts: escaped.slice(0, n) }), 'text');
  let n = escaped.length;
  let text = at(n);
  while (text.length > TEXT_MAX && n > 1) {
    n = Math.max(1, Math.min(n - 1, Math.floor((n * (TEXT_MAX - 100)) / text.length)));
    text = at(n);
  }
  const more = escaped.length - n;
  return (more > 0 ? `${text.slice(0, TEXT_MAX - 60)}\n…and ${more} more (see the dashboard)` : text).slice(0, TEXT_MAX);
}

function mapValues(o: Record<string, string>, f: (s: string) => string): Record<string, string> {
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, f(v)]));
}

/** Slack incoming webhook; 429 answers are retried after their Retry-After. */
export const slackChannel: ChannelType<SlackConfig> = {
  type: 'slack',
  title: 'Slack',
  secretFields: ['webhookUrl'],
  requiredSecrets: ['webhookUrl'],
  validate(config, secrets) {
    const c = new ConfigReader(config, 'config', ['channel', 'username', 'template']);
    const s = new ConfigReader(secrets, 'secrets', ['webhookUrl']);
    const channel = c.string('channel', { max: 80 });
    if (channel && !/^[#@]?[\w.-]{1,80}$/.test(channel)) c.fail('channel', 'must look like #ops');
    return { webhookUrl: s.url('webhookUrl', { required: true }), channel: channel || null, username: c.string('username', { max: 80 }) || null, template: c.template('template') };
  },
  publicConfig: (c) => ({ channel: c.channel, username: c.username, template: c.template }),
  minIntervalMs: 1000,
  personal: { needsBase: false, configure: (_base, webhookUrl) => ({ webhookUrl, channel: null, username: null, template: null }) },
  async send(batch, config, ctx): Promise<SendResult> {
    try {
      const res = await ctx.http.request({ url: config.webhookUrl, method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(slackPayload(batch, config)) });
      return httpSendResult(res, Date.now());
    } catch (err) {
      return errorSendResult(err);
    }
  },
};
