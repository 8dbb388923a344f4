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
    const next: PreferenceRecord = {
      userId,
      email: parseEmail(r.email, old.email),
      channels: parseChannels(r.channels ?? old.channels),
      minSeverity: parseSeverity(r.minSeverity ?? old.minSeverity),
      quietHours: parseQuietHours(r.quietHours === undefined ? old.quietHours : r.quietHours),
      slackWebhookSealed: r.slackWebhookUrl === undefined ? old.slackWebhookSealed : this.sealSlack(userId, r.slackWebhookUrl),
      updatedAt: this.deps.clock.now(),
    };
    await this.deps.preferences.set(next);
    return view(next);
  }

  private sealSlack(userId: string, raw: unknown): string | null {
    if (raw === null || raw === '') return null;
    let url: URL | null = null;
    try {
      url = typeof raw === 'string' ? new URL(raw) : null;
    } catch {
      url = null;
    }
    if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:') || url.username || url.password) throw errors.validation('slackWebhookUrl must be an http(s) URL', { field: 'slackWebhookUrl' });
    return this.deps.secrets.encrypt(url.toString(), preferenceSecretContext(userId));
  }
}

function parseEmail(raw: unknown, old: string | null): string | null {
  const email = raw === undefined ? old : raw === null || raw === '' ? null : raw;
  if (email !== null && !isEmail(email)) throw errors.validation('email is not a valid e-mail address', { field: 'email' });
  return email as string | null;
}

function parseChannels(raw: unknown): PreferenceRecord['channels'] {
  const ch = raw as Record<string, unknown> | null;
  if (typeof ch !== 'object' || ch === null || ['email', 'inapp', 'slack'].some((k) => typeof ch[k] !== 'boolean')) throw errors.validation('channels must be {email, inapp, slack} booleans', { field: 'channels' });
  return { email: ch.email as boolean, inapp: ch.inapp as boolean, slack: ch.slack as boolean };
}

function parseSeverity(raw: unknown): AlertSeverity {
  if (!ALERT_SEVERITIES.includes(raw as AlertSeverity)) throw errors.validation(`minSeverity must be one of ${ALERT_SEVERITIES.join(', ')}`, { field: 'minSeverity' });
  return raw as AlertSeverity;
}

function parseQuietHours(raw: unknown): PreferenceRecord['quietHours'] {
  if (raw === null) return null;
  const q = raw as Record<string, unknown>;
  if (typeof q !== 'object' || !HHMM.test(String(q.start)) || !HHMM.test(String(q.end)) || !isTimeZone(String(q.timeZone))) {
    throw errors.validation('quietHours must be {start: "HH:MM", end: "HH:MM", timeZone: "Europe/Berlin"} or null', { field: 'quietHours' });
  }
  return { start: String(q.start), end: String(q.end), timeZone: String(q.timeZone) };
}
