import { useState } from 'preact/hooks';
import { ApiError } from '../../api/api-error.js';
import { Panel } from '../../components/panel.js';
import { useServices } from '../../hooks/app-services.js';
import { useResource } from '../../hooks/use-resource.js';
import { useSessionUser } from '../../hooks/session-user.js';
import { EnrollAgentForm } from './enroll-agent-form.js';
import { formatDateTime } from './format-date-time.js';

/** A key as `/api/v1/keys` lists it (never the secret or its hash). */
interface KeyRow {
  id: string;
  kind: 'user' | 'agent';
  name: string;
  prefix: string;
  userId: string | null;
  agentId: string | null;
  scopes: string[];
  createdAt: number;
  lastUsedAt: number | null;
  expiresAt: number | null;
  revokedAt: number | null;
}

function keyState(k: KeyRow, now: number): 'revoked' | 'expired' | 'active' {
  if (k.revokedAt !== null) return 'revoked';
  if (k.expiresAt !== null && k.expiresAt <= now) return 'expired';
  return 'active';
}

/** Creates a user token for the signed-in user, optionally scoped and expiring; shows the secret once. */
function CreateToken({ onCreated }: { onCreated: () => void }) {
  const { api } = useServices();
  const me = useSessionUser();
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<string[]>([]);
  const [days, setDays] = useState('90');
  const [secret, setSecret] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const submit = async (e: Event) => {
    e.preventDefault();
    setError(null);
    try {
      const res = await api.post<{ secret: string }>('/api/v1/keys', { kind: 'user', name, ...(scopes.length ? { scopes } : {}), ...(days ? { expiresInDays: Number(days) } : {}) });
      setSecret(res.secret);
      setName('');
      onCreated();
    } catch (err) {
      setError(err instanceof ApiError ? err.message : String(err));
    }
  };
  const toggle = (p: string) => setScopes((s) => (s.includes(p) ? s.filter((x) => x !== p) : [...s, p]));
  return (
    <form class="panel admin-form" onSubmit={(e) => void submit(e)} aria-label="Create API token" data-form="create-token">
      <h2 class="panel-title">New API token</h2>
      <p class="panel-note">A token acts as you. Limit it to the permissions a script needs; it never gets more than you have.</p>
      <div class="form-grid">
        <label class="field">
          <span class="field-label">Name</span>
          <input class="input" name="name" required maxLength={100} value={name} onInput={(e) => setName(e.currentTarget.value)} />
        </label>
        <label class="field">
          <span class="field-label">Expires after (days, empty = never)</span>
          <input class="input" name="days" inputMode="numeric" pattern="[0-9]*" value={days} onInput={(e) => setDays(e.currentTarget.value)} />
        </label>
      </div>
      <fieldset class="filters">
        <legend class="field-label">Limit to (none checked: all your permissions)</legend>
        <div class="toolbar">
          {me.permissions.map((p) => (
            <label key={p} class="check">
              <input type="checkbox" checked={scopes.includes(p)} onChange={() => toggle(p)} /> {p}
            </label>
          ))}
        </div>
      </fieldset>
      {error ? (
        <p class="field-error" role="alert">
          {error}
        </p>
      ) : null}
      {secret ? (
        <div class="secret-once" role="status" data-secret>
          <p>Copy this token now — it is shown only once:</p>
          <code class="secret-value">{secret}</code>
        </div>
      ) : null}
      <div class="toolbar">
        <button type="submit" class="button button-primary">
          Create token
        </button>
      </div>
    </form>
  );
}

/** Creates another ingest key for an existing agent (key rotation); needs `write:agents`. */
function CreateAgentKey({ onCreated }: { onCreated: () => void }) {
  const { api } = useServices();
  const agents = useResource((signal) => api.get<{ agents: { id: string; name: string }[] }>('/api/v1/agents', undefined, signal), []);
  const [agentId, setAgentId] = useState('');
  const [secret, setSecret] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const submit = async (e: Event) => {
    e.preventDefault();
    setError(null);
    const agent = agents.data?.agents.find((a) => a.id === agentId);
    if (!agent) return;
    try {
      const res = await api.post<{ secret: string }>('/api/v1/keys', { kind: 'agent', agentId, name: `ingest key for ${agent.name}` });
      setSecret(res.secret);
      onCreated();
    } catch (err) {
      setError(err instanceof ApiError ? err.message : String(err));
    }
  };
  return (
    <form class="panel admin-form" onSubmit={(e) => void submit(e)} aria-label="Create agent key" data-form="create-agent-key">
      <h2 class="panel-title">New agent ingest key</h2>
      <p class="panel-note">An agent key can only register and push data for its own agent. Revoke the old key once the agent uses the new one.</p>
      <label class="field">
        <span class="field-label">Agent</span>
        <select class="input" name="agent" required value={agentId} onChange={(e) => setAgentId(e.currentTarget.value)}>
          <option value="">Choose an agent…</option>
          {(agents.data?.agents ?? []).map((a) => (
            <option key={a.id} value={a.id}>
              {a.name}
            </option>
          ))}
        </select>
      </label>
      {error ? (
        <p class="field-error" role="alert">
          {error}
        </p>
      ) : null}
      {secret ? (
        <div class="secret-once" role="status" data-secret>
          <p>Copy this key now — it is shown only once:</p>
          <code class="secret-value">{secret}</code>
        </div>
      ) : null}
      <div class="toolbar">
        <button type="submit" class="button button-primary" disabled={!agentId}>
          Create agent key
        </button>
      </div>
    </form>
  );
}

/**
 * API keys: your tokens (admins see every token, operators the agent keys too), creation of
 * scoped, expiring tokens with the secret shown once, and revocation that takes effect at once.
 */
export function KeysPage() {
  const { api, serverClock } = useServices();
  const me = useSessionUser();
  const keys = useResource((signal) => api.get<{ keys: KeyRow[] }>('/api/v1/keys', { limit: 1000 }, signal), []);
  const [error, setError] = useState<string | null>(null);
  const revoke = async (k: KeyRow) => {
    setError(null);
    try {
      await api.request('DELETE', `/api/v1/keys/${k.id}`);
      keys.reload();
    } catch (err) {
      setError(err instanceof ApiError ? err.message : String(err));
    }
  };
  const now = serverClock.serverNow();
  return (
    <div class="page page-keys">
      <div class="page-head">
        <h1>API keys</h1>
      </div>
      <CreateToken onCreated={() => keys.reload()} />
      {me.permissions.includes('write:agents') ? <EnrollAgentForm onCreated={() => keys.reload()} /> : null}
      {me.permissions.includes('write:agents') ? <CreateAgentKey onCreated={() => keys.reload()} /> : null}
      {error ? (
        <p class="field-error" role="alert">
          {error}
        </p>
      ) : null}
      <Panel title="Keys" id="keys" resource={keys} isEmpty={(d) => d.keys.length === 0} empty="No keys yet.">
        {(d) => (
          <div class="table-scroll">
            <table class="data-table" data-table="keys">
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Kind</th>
                  <th scope="col">Key</th>
                  <th scope="col">Scopes</th>
                  <th scope="col">Last used</th>
                  <th scope="col">Expires</th>
                  <th scope="col">State</th>
                  <th scope="col" />
                </tr>
              </thead>
              <tbody>
                {d.keys.map((k) => {
                  const state = keyState(k, now);
                  return (
                    <tr key={k.id} data-key-id={k.id} data-state={state}>
                      <th scope="row">{k.name}</th>
                      <td>{k.kind === 'agent' ? 'agent ingest' : 'user token'}</td>
                      <td>
                        <code>{k.prefix}…</code>
                      </td>
                      <td>{k.scopes.length ? k.scopes.join(', ') : 'all'}</td>
                      <td>{formatDateTime(k.lastUsedAt)}</td>
                      <td>{formatDateTime(k.expiresAt)}</td>
                      <td>{state}</td>
                      <td>
                        {state === 'active' ? (
                          <button type="button" class="button button-small" onClick={() => void revoke(k)}>
                            Revoke
                          </button>
                        ) : null}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
      </Panel>
    </div>
  );
}
