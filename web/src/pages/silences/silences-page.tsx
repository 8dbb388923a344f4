import { useState } from 'preact/hooks';
import type { InhibitRule, MaintenanceWindowView, SilenceView } from '../../../../src/protocol/alerting.js';
import { formatMatcherText, parseMatcherText } from '../../alerting/matcher-text.js';
import { Panel } from '../../components/panel.js';
import { useServices } from '../../hooks/app-services.js';
import { usePermissions } from '../../hooks/use-permissions.js';
import { useResource } from '../../hooks/use-resource.js';
import type { PageProps } from '../page-props.js';
import '../../styles/alerting.css';

const when = (ts: number | null) => (ts === null ? '–' : new Date(ts).toLocaleString());
const DURATIONS: [string, number][] = [
  ['1 hour', 3_600_000],
  ['2 hours', 7_200_000],
  ['8 hours', 28_800_000],
  ['1 day', 86_400_000],
  ['1 week', 604_800_000],
];

function SilenceForm({ initial, onDone }: { initial: string; onDone: () => void }) {
  const { api, serverClock } = useServices();
  const [matchers, setMatchers] = useState(initial);
  const [duration, setDuration] = useState(7_200_000);
  const [comment, setComment] = useState('');
  const [error, setError] = useState<string | null>(null);
  const parsed = parseMatcherText(matchers);
  const submit = (e: Event) => {
    e.preventDefault();
    if ('error' in parsed) return setError(parsed.error);
    api.post('/api/v1/silences', { matchers: parsed.matchers, endsAt: serverClock.serverNow() + duration, comment }).then(
      () => {
        setComment('');
        setError(null);
        onDone();
      },
      (err: Error) => setError(err.message),
    );
  };
  return (
    <form class="stack" onSubmit={submit} data-silence-form>
      <label class="field">
        <span class="field-label">Matchers (e.g. host="web-1", alertname=~"High.*")</span>
        <input class="input input-code" value={matchers} onInput={(e) => setMatchers((e.target as HTMLInputElement).value)} />
        {'error' in parsed ? <span class="field-error">{parsed.error}</span> : null}
      </label>
      <div class="form-row">
        <label class="field">
          <span class="field-label">Duration</span>
          <select class="input" value={String(duration)} onChange={(e) => setDuration(Number((e.target as HTMLSelectElement).value))}>
            {DURATIONS.map(([label, ms]) => (
              <option key={ms} value={String(ms)}>
                {label}
              </option>
            ))}
          </select>
        </label>
        <label class="field field-grow">
          <span class="field-label">Comment (required: why, ticket)</span>
          <input class="input" value={comment} maxLength={1000} onInput={(e) => setComment((e.target as HTMLInputElement).value)} />
        </label>
      </div>
      {error ? <p class="field-error" role="alert">{error}</p> : null}
      <div class="toolbar">
        <button type="submit" class="button button-primary" disabled={!comment.trim()}>
          Create silence
        </button>
      </div>
    </form>
  );
}

const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

function WindowForm({ onDone }: { onDone: () => void }) {
  const { api } = useServices();
  const [name, setName] = useState('');
  const [kind, setKind] = useState<'weekly' | 'cron'>('weekly');
  const [days, setDays] = useState<string[]>(['sun']);
  const [start, setStart] = useState('02:00');
  const [end, setEnd] = useState('04:00');
  const [cron, setCron] = useState('0 2 * * 0');
  const [duration, setDuration] = useState('2h');
  const [timeZone, setTimeZone] = useState(Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC');
  const [matchers, setMatchers] = useState('');
  const [error, setError] = useState<string | null>(null);
  const submit = (e: Event) => {
    e.preventDefault();
    const m = parseMatcherText(matchers);
    if ('error' in m) return setError(m.error);
    const schedule = kind === 'weekly' ? { kind, days, start, end } : { kind, cron, duration };
    api.post('/api/v1/maintenance-windows', { name, timeZone, schedule, matchers: m.matchers }).then(
      () => {
        setError(null);
        onDone();
      },
      (err: Error) => setError(err.message),
    );
  };
  return (
    <form class="stack" onSubmit={submit}>
      <div class="form-row">
        <label class="field">
          <span class="field-label">Name</span>
          <input class="input" value={name} onInput={(e) => setName((e.target as HTMLInputElement).value)} />
        </label>
        <label class="field">
          <span class="field-label">Schedule</span>
          <select class="input" value={kind} onChange={(e) => setKind((e.target as HTMLSelectElement).value as 'weekly' | 'cron')}>
            <option value="weekly">weekly</option>
            <option value="cron">cron + duration</option>
          </select>
        </label>
        <label class="field">
          <span class="field-label">Time zone</span>
          <input class="input" value={timeZone} onInput={(e) => setTimeZone((e.target as HTMLInputElement).value)} />
        </label>
      </div>
      {kind === 'weekly' ? (
        <div class="toolbar">
          {DAYS.map((d) => (
            <label key={d}>
              <input type="checkbox" checked={days.includes(d)} onChange={(e) => setDays((e.target as HTMLInputElement).checked ? [...days, d] : days.filter((x) => x !== d))} /> {d}
            </label>
          ))}
          <input class="input input-op" aria-label="Start (HH:MM)" value={start} onInput={(e) => setStart((e.target as HTMLInputElement).value)} />
          <span>–</span>
          <input class="input input-op" aria-label="End (HH:MM)" value={end} onInput={(e) => setEnd((e.target as HTMLInputElement).value)} />
        </div>
      ) : (
        <div class="form-row">
          <label class="field">
            <span class="field-label">Cron (minute hour day month weekday)</span>
            <input class="input input-code" value={cron} onInput={(e) => setCron((e.target as HTMLInputElement).value)} />
          </label>
          <label class="field">
            <span class="field-label">Duration</span>
            <input class="input" value={duration} onInput={(e) => setDuration((e.target as HTMLInputElement).value)} />
          </label>
        </div>
      )}
      <label class="field">
        <span class="field-label">Scope: matchers (empty = every alert)</span>
        <input class="input input-code" value={matchers} onInput={(e) => setMatchers((e.target as HTMLInputElement).value)} placeholder='host=~"db-.*"' />
      </label>
      {error ? <p class="field-error" role="alert">{error}</p> : null}
      <div class="toolbar">
        <button type="submit" class="button button-primary" disabled={!name.trim()}>
          Create window
        </button>
      </div>
    </form>
  );
}

function InhibitEditor({ rules, onDone, canEdit }: { rules: InhibitRule[]; onDone: () => void; canEdit: boolean }) {
  const { api } = useServices();
  const [text, setText] = useState(JSON.stringify(rules, null, 2));
  const [status, setStatus] = useState<{ ok: boolean; text: string } | null>(null);
  const save = () => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return setStatus({ ok: false, text: 'not valid JSON' });
    }
    api.request('PUT', '/api/v1/inhibit-rules', { rules: parsed }).then(
      () => (setStatus({ ok: true, text: 'Saved.' }), onDone()),
      (err: Error) => setStatus({ ok: false, text: err.message }),
    );
  };
  return (
    <div class="stack">
      <textarea class="input code-area" aria-label="Inhibition rules (JSON)" value={text} readOnly={!canEdit} onInput={(e) => setText((e.target as HTMLTextAreaElement).value)} />
      {status ? <p class={`form-status ${status.ok ? 'form-ok' : 'field-error'}`}>{status.text}</p> : null}
      {canEdit ? (
        <div class="toolbar">
          <button type="button" class="button" onClick={save}>
            Save inhibition rules
          </button>
        </div>
      ) : null}
    </div>
  );
}

/** Silences, recurring maintenance windows and inhibition rules. */
export function SilencesPage({ search }: PageProps) {
  const { api } = useServices();
  const { can } = usePermissions();
  const silences = useResource((s) => api.get<{ silences: SilenceView[] }>('/api/v1/silences', undefined, s).then((r) => r.silences), []);
  const windows = useResource((s) => api.get<{ windows: MaintenanceWindowView[] }>('/api/v1/maintenance-windows', undefined, s).then((r) => r.windows), []);
  const inhibit = useResource((s) => api.get<{ rules: InhibitRule[] }>('/api/v1/inhibit-rules', undefined, s).then((r) => r.rules), []);
  const expire = (id: string) => void api.request('DELETE', `/api/v1/silences/${id}`).then(silences.reload, silences.reload);
  const removeWindow = (id: string) => void api.request('DELETE', `/api/v1/maintenance-windows/${id}`).then(windows.reload, windows.reload);
  const write = can('write:incidents');
  return (
    <div class="page" data-page="silences">
      <div class="page-head">
        <div>
          <h1>Silences and maintenance</h1>
          <p class="page-summary">Silenced alerts stay visible but are not notified. When a window ends, alerts still firing are notified.</p>
        </div>
      </div>
      {write ? (
        <section class="panel">
          <header class="panel-header">
            <h2 class="panel-title">New silence</h2>
          </header>
          <div class="panel-body">
            <SilenceForm initial={search.get('matchers') ?? ''} onDone={silences.reload} />
          </div>
        </section>
      ) : null}
      <Panel title="Silences" id="silences" resource={silences} isEmpty={(l) => l.length === 0} empty="No silences.">
        {(list) => (
          <table class="data-table">
            <thead>
              <tr>
                <th scope="col">Matchers</th>
                <th scope="col">Status</th>
                <th scope="col">Ends</th>
                <th scope="col">By</th>
                <th scope="col">Comment</th>
                <th scope="col" />
              </tr>
            </thead>
            <tbody>
              {list.map((s) => (
                <tr key={s.id} data-silence={s.id}>
                  <td>
                    <code>{formatMatcherText(s.matchers)}</code>
                  </td>
                  <td>{s.status}</td>
                  <td>{when(s.endsAt)}</td>
                  <td>{s.createdBy}</td>
                  <td>{s.comment}</td>
                  <td>
                    {write && s.status !== 'expired' ? (
                      <button type="button" class="button button-small" onClick={() => expire(s.id)}>
                        Expire
                      </button>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Panel>
      <Panel title="Maintenance windows" id="windows" resource={windows} isEmpty={(l) => l.length === 0} empty="No maintenance windows.">
        {(list) => (
          <table class="data-table">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Schedule</th>
                <th scope="col">Scope</th>
                <th scope="col">Now</th>
                <th scope="col">Next start</th>
                <th scope="col" />
              </tr>
            </thead>
            <tbody>
              {list.map((w) => (
                <tr key={w.id}>
                  <td>{w.name}</td>
                  <td>
                    {w.schedule.kind === 'weekly' ? `${w.schedule.days.join(',')} ${w.schedule.start}–${w.schedule.end}` : `${w.schedule.cron} for ${w.schedule.duration}`} ({w.timeZone})
                  </td>
                  <td>
                    <code>{w.matchers.length ? formatMatcherText(w.matchers) : 'all alerts'}</code>
                  </td>
                  <td>{w.activeNow ? 'active' : '–'}</td>
                  <td>{when(w.nextStart)}</td>
                  <td>
                    {write ? (
                      <button type="button" class="button button-small button-ghost" onClick={() => removeWindow(w.id)}>
                        Delete
                      </button>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Panel>
      {write ? (
        <section class="panel">
          <header class="panel-header">
            <h2 class="panel-title">New maintenance window</h2>
          </header>
          <div class="panel-body">
            <WindowForm onDone={windows.reload} />
          </div>
        </section>
      ) : null}
      <Panel title="Inhibition rules" id="inhibit" resource={inhibit}>
        {(rules) => <InhibitEditor rules={rules} onDone={inhibit.reload} canEdit={write} />}
      </Panel>
    </div>
  );
}
