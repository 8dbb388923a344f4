import type { AlertSeverity, UserPreferencesView } from '../../protocol/alerting.js';
import { ALERT_SEVERITIES } from '../../protocol/alerting.js';
import { isTimeZone } from '../alerting/zoned-time.js';
import type { Clock } from '../core/clock.js';
import { errors } from '../core/errors.js';
import type { SecretBox } from '../secrets/secret-box.js';
import type { PreferenceRecord, PreferenceRepo } from '../storage/inbox-repo.js';
import { isEmail } from './config-reader.js';
import { preferenceSecretContext } from './outbox-dispatcher.js';
import { defaultPreferences } from './user-preferences.js';

const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;

function view(p: PreferenceRecord): UserPreferencesView {
  return { email: p.email, channels: p.channels, minSeverity: p.minSeverity, quietHours: p.quietHours, slackWebhookUrl: { set: p.slackWebhookSealed !== null } };
}

/** Per-user notification preferences (each user manages their own). */
export class PreferenceService {
  constructor(private readonly deps: { preferences: PreferenceRepo; secrets: SecretBox; clock: Clock }) {}

  async get(userId: string): Promise<UserPreferencesView> {
    return view((await this.deps.preferences.get(userId)) ?? defaultPreferences(userId));
  }

  /** Replaces the preferences; an absent `slackWebhookUrl` keeps the stored one, `null` clears it. */
  async set(userId: string, raw: unknown): Promise<UserPreferencesView> {
    if (typeof raw !== 'object' || raw === null) throw errors.validation('preferences must be an object');
    const r = raw as Record<string, unknown>;
    const old = (await this.deps.preferences.get(userId)) ?? defaultPreferences(userId);
    const email = r.email === undefined ? old.email : r.email === null || r.email === '' ? null : r.email;
    if (email !== null && !isEmail(email)) throw errors.validation('email is not a valid e-mail address', { field: 'email' });
    const ch = (r.channels ?? old.channels) as Record<string, unknown>;
    if (typeof ch !== 'object' || ch === null || ['email', 'inapp', 'slack'].some((k) => typeof ch[k] !== 'boolean')) throw errors.validation('channels must be {email, inapp, slack} booleans', { field: 'channels' });
    const minSeverity = (r.minSeverity ?? old.minSeverity) as AlertSeverity;
    if (!ALERT_SEVERITIES.includes(minSeverity)) throw errors.validation(`minSeverity must be one of ${ALERT_SEVERITIES.join(', ')}`, { field: 'minSeverity' });
    const q = r.quietHours === undefined ? old.quietHours : (r.quietHours as PreferenceRecord['quietHours']);
    if (q !== null && (typeof q !== 'object' || !HHMM.test(String(q.start)) || !HHMM.test(String(q.end)) || !isTimeZone(String(q.timeZone)))) {
      throw errors.validation('quietHours must be {start: "HH:MM", end: "HH:MM", timeZone: "Europe/Berlin"} or null', { field: 'quietHours' });
    }
    let slackWebhookSealed = old.slackWebhookSealed;
    if (r.slackWebhookUrl === null || r.slackWebhookUrl === '') slackWebhookSealed = null;
    else if (r.slackWebhookUrl !== undefined) {
      let url: URL | null = null;
      try {
        url = typeof r.slackWebhookUrl === 'string' ? new URL(r.slackWebhookUrl) : null;
      } catch {
        url = null;
      }
      if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:') || url.username || url.password) throw errors.validation('slackWebhookUrl must be an http(s) URL', { field: 'slackWebhookUrl' });
      slackWebhookSealed = this.deps.secrets.encrypt(url.toString(), preferenceSecretContext(userId));
    }
    const next: PreferenceRecord = { userId, email: email as string | null, channels: { email: ch.email as boolean, inapp: ch.inapp as boolean, slack: ch.slack as boolean }, minSeverity, quietHours: q ? { start: q.start, end: q.end, timeZone: q.timeZone } : null, slackWebhookSealed, updatedAt: this.deps.clock.now() };
    await this.deps.preferences.set(next);
    return view(next);
  }
}
