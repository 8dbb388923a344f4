import { ChannelRegistry } from '../channel-type.js';
import { emailChannel } from './email/email-channel.js';
import { inAppChannel } from './inapp/inapp-channel.js';
import { pagerDutyChannel } from './pagerduty/pagerduty-channel.js';
import { slackChannel } from './slack/slack-channel.js';
import { webhookChannel } from './webhook/webhook-channel.js';

/** The built-in channel types (the one place besides `main.ts` that imports concrete channels). */
export function builtinChannels(): ChannelRegistry {
  return new ChannelRegistry([emailChannel, slackChannel, pagerDutyChannel, webhookChannel, inAppChannel]);
}
