import type { AlertSeverity } from '../../protocol/alerting.js';
import { localFields } from '../alerting/zoned-time.js';
import type { PreferenceRecord } from '../storage/inbox-repo.js';

/** Preferences of a user who never saved any: every severity, in-app and e-mail (when an address is set). */
export function defaultPreferences(userId: string): PreferenceRecord {
  return { userId, email: null, channels: { email: true, inapp: true, slack: false }, minSeverity: 'info', quietHours: null, slackWebhookSealed: null, updatedAt: 0 };
}

function minutes(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return (h as number) * 60 + (m as number);
}

/** True when `at` (ms) falls in the user's quiet hours (which may run overnight). */
export function inQuietHours(p: PreferenceRecord, at: number): boolean {
  const q = p.quietHours;
  if (!q) return false;
  const f = localFields(at, q.timeZone);
  const m = f.hour * 60 + f.minute;
  const s = minutes(q.start);
  const e = minutes(q.end);
  return s <= e ? m >= s && m < e : m >= s || m < e;
}

/** Media a user gets a notification of `severity` on at `at`, with the reasons for the others. */
export function mediaFor(p: PreferenceRecord, severity: AlertSeverity, at: number, rank: (s: AlertSeverity, min: AlertSeverity) => boolean): { media: ('inapp' | 'email' | 'slack')[]; skipped: string[] } {
  const skipped: string[] = [];
  if (!rank(severity, p.minSeverity)) return { media: [], skipped: [`below the minimum severity ${p.minSeverity}`] };
  const media: ('inapp' | 'email' | 'slack')[] = [];
  if (p.channels.inapp) media.push('inapp');
  const quiet = severity !== 'critical' && inQuietHours(p, at);
  if (p.channels.email) {
    if (!p.email) skipped.push('e-mail wanted but no address set');
    else if (quiet) skipped.push('e-mail held: quiet hours (only critical alerts break through)');
    else media.push('email');
  }
  if (p.channels.slack) {
    if (!p.slackWebhookSealed) skipped.push('Slack wanted but no webhook set');
    else if (quiet) skipped.push('Slack held: quiet hours (only critical alerts break through)');
    else media.push('slack');
  }
  return { media, skipped };
}
