import { useEffect, useState } from 'preact/hooks';
import type { AlertSeverity, NotificationView, UserPreferencesView } from '../../../../src/protocol/alerting.js';
import { useServices } from '../../hooks/app-services.js';
import '../../styles/alerting.css';

/** The signed-in user's notification preferences and test notification. */
export function PreferencesPage() {
  const { api } = useServices();
  const [prefs, setPrefs] = useState<UserPreferencesView | null>(null);
  const [slack, setSlack] = useState('');
  const [quiet, setQuiet] = useState(false);
  const [status, setStatus] = useState<{ ok: boolean; text: string } | null>(null);
  useEffect(() => {
    api.get<UserPreferencesView>('/api/v1/me/preferences').then(
      (p) => {
        setPrefs(p);
        setQuiet(p.quietHours !== null);
      },
      (err: Error) => setStatus({ ok: false, text: err.message }),
    );
  }, [api]);
  if (!prefs) return <div class="page">{status ? <p class="field-error">{status.text}</p> : <p role="status">Loading…</p>}</div>;
  const q = prefs.quietHours ?? { start: '22:00', end: '07:00', timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC' };
  const save = (e: Event) => {
    e.preventDefault();
    const body = { email: prefs.email, channels: prefs.channels, minSeverity: prefs.minSeverity, quietHours: quiet ? q : null, ...(slack ? { slackWebhookUrl: slack } : {}) };
    api.request<UserPreferencesView>('PUT', '/api/v1/me/preferences', body).then(
      (p) => (setPrefs(p), setSlack(''), setStatus({ ok: true, text: 'Saved.' })),
      (err: Error) => setStatus({ ok: false, text: err.message }),
    );
  };
  const test = () => {
    api.post<{ notifications: NotificationView[] }>('/api/v1/me/test-notification').then(
      (r) => setStatus({ ok: true, text: `Test sent: ${r.notifications.map((n) => `${n.channelType} ${n.status}`).join(', ')}` }),
      (err: Error) => setStatus({ ok: false, text: err.message }),
    );
  };
  const ch = (k: 'email' | 'inapp' | 'slack') => (
    <label>
      <input type="checkbox" checked={prefs.channels[k]} onChange={(e) => setPrefs({ ...prefs, channels: { ...prefs.channels, [k]: (e.target as HTMLInputElement).checked } })} /> {k === 'inapp' ? 'in-app' : k}
    </label>
  );
  return (
    <div class="page" data-page="preferences">
      <h1>Notification preferences</h1>
      <form class="panel" onSubmit={save}>
        <div class="panel-body stack">
          <label class="field">
            <span class="field-label">E-mail address</span>
            <input class="input" type="email" value={prefs.email ?? ''} onInput={(e) => setPrefs({ ...prefs, email: (e.target as HTMLInputElement).value || null })} />
          </label>
          <div class="toolbar">
            <span class="field-label">Channels:</span>
            {ch('inapp')}
            {ch('email')}
            {ch('slack')}
          </div>
          <label class="field">
            <span class="field-label">Personal Slack webhook ({prefs.slackWebhookUrl.set ? 'set; enter a new one to replace it' : 'not set'})</span>
            <input class="input" type="password" autoComplete="off" value={slack} onInput={(e) => setSlack((e.target as HTMLInputElement).value)} />
          </label>
          <label class="field">
            <span class="field-label">Minimum severity</span>
            <select class="input" value={prefs.minSeverity} onChange={(e) => setPrefs({ ...prefs, minSeverity: (e.target as HTMLSelectElement).value as AlertSeverity })}>
              <option value="info">info (everything)</option>
              <option value="warning">warning and critical</option>
              <option value="critical">critical only</option>
            </select>
          </label>
          <label>
            <input type="checkbox" checked={quiet} onChange={(e) => setQuiet((e.target as HTMLInputElement).checked)} /> quiet hours (only critical alerts by e-mail or Slack; everything still lands in the in-app inbox)
          </label>
          {quiet ? (
            <div class="form-row">
              <input class="input" aria-label="Quiet from (HH:MM)" value={q.start} onInput={(e) => setPrefs({ ...prefs, quietHours: { ...q, start: (e.target as HTMLInputElement).value } })} />
              <input class="input" aria-label="Quiet until (HH:MM)" value={q.end} onInput={(e) => setPrefs({ ...prefs, quietHours: { ...q, end: (e.target as HTMLInputElement).value } })} />
              <input class="input" aria-label="Time zone" value={q.timeZone} onInput={(e) => setPrefs({ ...prefs, quietHours: { ...q, timeZone: (e.target as HTMLInputElement).value } })} />
            </div>
          ) : null}
          {status ? <p class={`form-status ${status.ok ? 'form-ok' : 'field-error'}`} role="status">{status.text}</p> : null}
          <div class="toolbar">
            <button type="submit" class="button button-primary">
              Save
            </button>
            <button type="button" class="button" onClick={test}>
              Send me a test notification
            </button>
          </div>
        </div>
      </form>
    </div>
  );
}
