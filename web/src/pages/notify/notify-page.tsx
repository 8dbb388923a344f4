import { useState } from 'preact/hooks';
import type { ChannelView, NotificationView, ReceiverView, RoutingConfig } from '../../../../src/protocol/alerting.js';
import { Panel } from '../../components/panel.js';
import { useServices } from '../../hooks/app-services.js';
import { usePermissions } from '../../hooks/use-permissions.js';
import { useResource } from '../../hooks/use-resource.js';
import { CHANNEL_CONFIG_TEMPLATES } from './channel-templates.js';
import '../../styles/alerting.css';

type ChannelType = { type: string; title: string; secretFields: string[] };
const when = (ts: number | null) => (ts === null ? '–' : new Date(ts).toLocaleString());

function ChannelForm({ types, onDone }: { types: ChannelType[]; onDone: () => void }) {
  const { api } = useServices();
  const [type, setType] = useState(types[0]?.type ?? 'webhook');
  const [name, setName] = useState('');
  const [config, setConfig] = useState(JSON.stringify(CHANNEL_CONFIG_TEMPLATES[types[0]?.type ?? 'webhook'] ?? {}, null, 2));
  const [secrets, setSecrets] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const fields = types.find((t) => t.type === type)?.secretFields ?? [];
  const pick = (t: string) => {
    setType(t);
    setConfig(JSON.stringify(CHANNEL_CONFIG_TEMPLATES[t] ?? {}, null, 2));
    setSecrets({});
  };
  const submit = (e: Event) => {
    e.preventDefault();
    let parsed: unknown;
    try {
      parsed = JSON.parse(config);
    } catch {
      return setError('config is not valid JSON');
    }
    const given = Object.fromEntries(Object.entries(secrets).filter(([, v]) => v !== ''));
    api.post('/api/v1/channels', { name, type, config: parsed, secrets: given }).then(
      () => {
        setError(null);
        setName('');
        setSecrets({});
        onDone();
      },
      (err: Error) => setError(err.message),
    );
  };
  return (
    <form class="stack" onSubmit={submit} data-channel-form>
      <div class="form-row">
        <label class="field">
          <span class="field-label">Name</span>
          <input class="input" value={name} onInput={(e) => setName((e.target as HTMLInputElement).value)} />
        </label>
        <label class="field">
          <span class="field-label">Type</span>
          <select class="input" value={type} onChange={(e) => pick((e.target as HTMLSelectElement).value)}>
            {types.map((t) => (
              <option key={t.type} value={t.type}>
                {t.title}
              </option>
            ))}
          </select>
        </label>
      </div>
      <label class="field">
        <span class="field-label">Settings (JSON)</span>
        <textarea class="input code-area" value={config} onInput={(e) => setConfig((e.target as HTMLTextAreaElement).value)} />
      </label>
      {fields.map((f) => (
        <label key={f} class="field">
          <span class="field-label">{f} (secret: stored encrypted, never shown again)</span>
          <input class="input" type="password" autoComplete="off" value={secrets[f] ?? ''} onInput={(e) => setSecrets({ ...secrets, [f]: (e.target as HTMLInputElement).value })} />
        </label>
      ))}
      {error ? <p class="field-error" role="alert">{error}</p> : null}
      <div class="toolbar">
        <button type="submit" class="button button-primary" disabled={!name.trim()}>
          Create channel
        </button>
      </div>
    </form>
  );
}

function ChannelRow({ c, canTest, canEdit, onChange }: { c: ChannelView; canTest: boolean; canEdit: boolean; onChange: () => void }) {
  const { api } = useServices();
  const [test, setTest] = useState<string | null>(null);
  const runTest = () => {
    setTest('sending…');
    api.post<NotificationView>(`/api/v1/channels/${c.id}/test`).then(
      (n) => setTest(n.status === 'delivered' ? 'delivered ✓' : `${n.status}: ${n.lastError ?? ''}`),
      (err: Error) => setTest(err.message),
    );
  };
  const remove = () => void api.request('DELETE', `/api/v1/channels/${c.id}`).then(onChange, (err: Error) => setTest(err.message));
  return (
    <tr data-channel={c.name}>
      <td class="cell-strong">{c.name}</td>
      <td>{c.type}</td>
      <td>
        {Object.entries(c.secrets).map(([k, v]) => (
          <span key={k} class="tag">
            {k}: {v.set ? 'set' : 'not set'}
          </span>
        ))}
      </td>
      <td>
        {c.configError ? <span class="text-offline">config error: {c.configError}</span> : c.consecutiveFailures > 0 ? <span class="text-stale">{c.consecutiveFailures} failures in a row</span> : <span class="text-online">ok</span>}
        <div class="muted small">last success {when(c.lastSuccessAt)}</div>
      </td>
      <td>
        {canTest ? (
          <button type="button" class="button button-small" onClick={runTest} data-test-channel={c.name}>
            Send test
          </button>
        ) : null}{' '}
        {canEdit ? (
          <button type="button" class="button button-small button-ghost" onClick={remove}>
            Delete
          </button>
        ) : null}
        {test ? <div class="small" role="status" data-test-result>{test}</div> : null}
      </td>
    </tr>
  );
}

function ReceiverForm({ channels, onDone }: { channels: ChannelView[]; onDone: () => void }) {
  const { api } = useServices();
  const [name, setName] = useState('');
  const [selected, setSelected] = useState<string[]>([]);
  const [users, setUsers] = useState('');
  const [error, setError] = useState<string | null>(null);
  const submit = (e: Event) => {
    e.preventDefault();
    const userIds = users.split(/[\s,]+/).filter(Boolean);
    api.post('/api/v1/receivers', { name, channelIds: selected, userIds }).then(
      () => (setName(''), setSelected([]), setUsers(''), setError(null), onDone()),
      (err: Error) => setError(err.message),
    );
  };
  return (
    <form class="stack" onSubmit={submit}>
      <label class="field">
        <span class="field-label">Receiver name</span>
        <input class="input" value={name} onInput={(e) => setName((e.target as HTMLInputElement).value)} />
      </label>
      <div class="toolbar">
        {channels.map((c) => (
          <label key={c.id}>
            <input type="checkbox" checked={selected.includes(c.id)} onChange={(e) => setSelected((e.target as HTMLInputElement).checked ? [...selected, c.id] : selected.filter((x) => x !== c.id))} /> {c.name}
          </label>
        ))}
      </div>
      <label class="field">
        <span class="field-label">User ids notified through their own preferences (optional)</span>
        <input class="input" value={users} onInput={(e) => setUsers((e.target as HTMLInputElement).value)} />
      </label>
      {error ? <p class="field-error" role="alert">{error}</p> : null}
      <div class="toolbar">
        <button type="submit" class="button" disabled={!name.trim()}>
          Create receiver
        </button>
      </div>
    </form>
  );
}

function RoutingEditor({ routing, onDone, canEdit }: { routing: RoutingConfig; onDone: () => void; canEdit: boolean }) {
  const { api } = useServices();
  const [text, setText] = useState(JSON.stringify(routing, null, 2));
  const [status, setStatus] = useState<{ ok: boolean; text: string } | null>(null);
  const save = () => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return setStatus({ ok: false, text: 'not valid JSON' });
    }
    api.request<RoutingConfig>('PUT', '/api/v1/routing', parsed).then(
      (r) => (setText(JSON.stringify(r, null, 2)), setStatus({ ok: true, text: `Saved (version ${r.version}).` }), onDone()),
      (err: Error) => setStatus({ ok: false, text: err.message }),
    );
  };
  return (
    <div class="stack">
      <p class="panel-note">Routes match labels like Alertmanager: children in order, a match descends, continue keeps going. Escalation steps notify the next receiver while unacknowledged.</p>
      <textarea class="input code-area" aria-label="Routing (JSON)" value={text} readOnly={!canEdit} onInput={(e) => setText((e.target as HTMLTextAreaElement).value)} data-routing />
      {status ? <p class={`form-status ${status.ok ? 'form-ok' : 'field-error'}`} role="status">{status.text}</p> : null}
      {canEdit ? (
        <div class="toolbar">
          <button type="button" class="button button-primary" onClick={save}>
            Save routing
          </button>
        </div>
      ) : null}
    </div>
  );
}

function DeliveryLog() {
  const { api } = useServices();
  const log = useResource((s) => api.get<{ notifications: NotificationView[]; counts: Record<string, number> }>('/api/v1/notifications', { limit: 100 }, s), []);
  const [open, setOpen] = useState<NotificationView | null>(null);
  const show = (id: string) => void api.get<NotificationView>(`/api/v1/notifications/${id}`).then(setOpen, () => {});
  return (
    <Panel title="Notification log (outbox)" id="outbox" resource={log} isEmpty={(r) => r.notifications.length === 0} empty="No notifications yet." actions={<button type="button" class="button button-small" onClick={log.reload}>Refresh</button>}>
      {(r) => (
        <div class="stack">
          <p class="panel-note">
            {Object.entries(r.counts)
              .map(([k, v]) => `${k}: ${v}`)
              .join(' · ')}
          </p>
          <div class="table-scroll">
            <table class="data-table">
              <thead>
                <tr>
                  <th scope="col">Created</th>
                  <th scope="col">Title</th>
                  <th scope="col">Via</th>
                  <th scope="col">Status</th>
                  <th scope="col">Attempts</th>
                  <th scope="col">Last error</th>
                </tr>
              </thead>
              <tbody>
                {r.notifications.map((n) => (
                  <tr key={n.id}>
                    <td>{when(n.createdAt)}</td>
                    <td>
                      <button type="button" class="sort-button" onClick={() => show(n.id)}>
                        {n.title}
                      </button>
                    </td>
                    <td>{n.channelType}</td>
                    <td>{n.status}</td>
                    <td class="cell-num">{n.attempts}</td>
                    <td class="small">{n.lastError ?? ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {open ? (
            <div class="callout" data-delivery-log>
              <strong>{open.title}</strong> — dedup key <code>{open.dedupKey}</code>
              <ol>
                {(open.log ?? []).map((a, i) => (
                  <li key={i}>
                    {when(a.ts)}: {a.outcome}
                    {a.statusCode ? ` (${a.statusCode})` : ''} in {a.durationMs} ms{a.error ? ` — ${a.error}` : ''}
                    {a.retryAfterMs ? ` — Retry-After ${Math.round(a.retryAfterMs / 1000)} s` : ''}
                  </li>
                ))}
              </ol>
            </div>
          ) : null}
        </div>
      )}
    </Panel>
  );
}

/** Routes and channels: channels with a test button, receivers, the routing tree and the delivery log. */
export function NotifyPage() {
  const { api } = useServices();
  const { can } = usePermissions();
  const channels = useResource((s) => api.get<{ channels: ChannelView[] }>('/api/v1/channels', undefined, s).then((r) => r.channels), []);
  const types = useResource((s) => api.get<{ types: ChannelType[] }>('/api/v1/channel-types', undefined, s).then((r) => r.types), []);
  const receivers = useResource((s) => api.get<{ receivers: ReceiverView[] }>('/api/v1/receivers', undefined, s).then((r) => r.receivers), []);
  const routing = useResource((s) => api.get<RoutingConfig>('/api/v1/routing', undefined, s), []);
  const write = can('write:incidents');
  return (
    <div class="page" data-page="notify">
      <div class="page-head">
        <div>
          <h1>Routes and channels</h1>
          <p class="page-summary">Every notification goes through a persistent outbox: retried with backoff, logged per attempt, with a fallback receiver.</p>
        </div>
      </div>
      <Panel title="Channels" id="channels" resource={channels} isEmpty={(l) => l.length === 0} empty="No channels yet.">
        {(list) => (
          <div class="table-scroll">
            <table class="data-table">
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Type</th>
                  <th scope="col">Secrets</th>
                  <th scope="col">Health</th>
                  <th scope="col" />
                </tr>
              </thead>
              <tbody>
                {list.map((c) => (
                  <ChannelRow key={c.id} c={c} canTest={can('trigger:alerts')} canEdit={write} onChange={channels.reload} />
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Panel>
      {write && types.data ? (
        <section class="panel">
          <header class="panel-header">
            <h2 class="panel-title">New channel</h2>
          </header>
          <div class="panel-body">
            <ChannelForm types={types.data} onDone={channels.reload} />
          </div>
        </section>
      ) : null}
      <Panel title="Receivers" id="receivers" resource={receivers} isEmpty={(l) => l.length === 0} empty="No receivers yet.">
        {(list) => (
          <ul>
            {list.map((r) => (
              <li key={r.id}>
                <strong>{r.name}</strong>: {r.channelIds.map((id) => channels.data?.find((c) => c.id === id)?.name ?? id).join(', ') || 'no channels'}
                {r.userIds.length ? ` · ${r.userIds.length} user(s)` : ''}
              </li>
            ))}
          </ul>
        )}
      </Panel>
      {write && channels.data ? (
        <section class="panel">
          <header class="panel-header">
            <h2 class="panel-title">New receiver</h2>
          </header>
          <div class="panel-body">
            <ReceiverForm channels={channels.data} onDone={receivers.reload} />
          </div>
        </section>
      ) : null}
      <Panel title="Routing" id="routing" resource={routing}>
        {(r) => <RoutingEditor key={r.version} routing={r} onDone={routing.reload} canEdit={write} />}
      </Panel>
      <DeliveryLog />
    </div>
  );
}
