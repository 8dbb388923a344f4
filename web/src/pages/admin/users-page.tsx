import { useState } from 'preact/hooks';
import { ApiError } from '../../api/api-error.js';
import { Panel } from '../../components/panel.js';
import { useServices } from '../../hooks/app-services.js';
import { useResource } from '../../hooks/use-resource.js';
import { useSessionUser } from '../../hooks/session-user.js';
import { formatDateTime } from './format-date-time.js';

/** A user as `/api/v1/users` lists it. */
export interface AdminUser {
  id: string;
  username: string;
  role: string;
  disabled: boolean;
  source: string;
  totpEnabled: boolean;
  createdAt: number;
}

interface SessionRow {
  id: string;
  createdAt: number;
  lastSeenAt: number;
  ip: string | null;
  userAgent: string | null;
  current: boolean;
}

const ROLES = ['admin', 'operator', 'viewer', 'guest'] as const;

function message(err: unknown): string {
  return err instanceof ApiError ? err.message : String(err);
}

/** One user's live sessions with Revoke buttons. */
function Sessions({ user }: { user: AdminUser }) {
  const { api } = useServices();
  const sessions = useResource((signal) => api.get<{ sessions: SessionRow[] }>(`/api/v1/users/${user.id}/sessions`, undefined, signal), [user.id]);
  const revoke = async (id: string) => {
    await api.request('DELETE', `/api/v1/users/${user.id}/sessions/${id}`);
    sessions.reload();
  };
  return (
    <Panel title={`Sessions of ${user.username}`} id={`sessions-${user.id}`} resource={sessions} isEmpty={(d) => d.sessions.length === 0} empty="No active session.">
      {(d) => (
        <table class="data-table" data-table="sessions">
          <thead>
            <tr>
              <th scope="col">Signed in</th>
              <th scope="col">Last seen</th>
              <th scope="col">IP</th>
              <th scope="col">Browser</th>
              <th scope="col" />
            </tr>
          </thead>
          <tbody>
            {d.sessions.map((s) => (
              <tr key={s.id} data-session-id={s.id}>
                <td>{formatDateTime(s.createdAt)}</td>
                <td>{formatDateTime(s.lastSeenAt)}</td>
                <td>{s.ip ?? '—'}</td>
                <td class="cell-clip">{s.userAgent ?? '—'}</td>
                <td>
                  {s.current ? (
                    <span class="badge">this session</span>
                  ) : (
                    <button type="button" class="button button-small" onClick={() => void revoke(s.id)}>
                      Revoke
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Panel>
  );
}

/** Creates a user (name, initial password, role). */
function CreateUser({ onCreated }: { onCreated: () => void }) {
  const { api } = useServices();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [role, setRole] = useState<string>('viewer');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await api.post('/api/v1/users', { username, password, role });
      setUsername('');
      setPassword('');
      onCreated();
    } catch (err) {
      setError(message(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="panel admin-form" onSubmit={(e) => void submit(e)} aria-label="Create user" data-form="create-user">
      <h2 class="panel-title">New user</h2>
      <div class="form-grid">
        <label class="field">
          <span class="field-label">Username</span>
          <input class="input" name="username" required maxLength={64} autocomplete="off" value={username} onInput={(e) => setUsername(e.currentTarget.value)} />
        </label>
        <label class="field">
          <span class="field-label">Initial password</span>
          <input class="input" name="password" type="password" required minLength={8} autocomplete="new-password" value={password} onInput={(e) => setPassword(e.currentTarget.value)} />
        </label>
        <label class="field">
          <span class="field-label">Role</span>
          <select class="input" name="role" value={role} onChange={(e) => setRole(e.currentTarget.value)}>
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
        </label>
      </div>
      {error ? (
        <p class="field-error" role="alert">
          {error}
        </p>
      ) : null}
      <div class="toolbar">
        <button type="submit" class="button button-primary" disabled={busy}>
          Create user
        </button>
      </div>
    </form>
  );
}

/** Inline form for an admin to set a new password for a user (ends their sessions). */
function ResetPassword({ user, onDone }: { user: AdminUser; onDone: (note: string) => void }) {
  const { api } = useServices();
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const submit = async (e: Event) => {
    e.preventDefault();
    try {
      await api.post(`/api/v1/users/${user.id}/password`, { password });
      onDone(`Password of ${user.username} reset; their sessions were ended.`);
    } catch (err) {
      setError(message(err));
    }
  };
  return (
    <form class="inline-form" onSubmit={(e) => void submit(e)} aria-label={`New password for ${user.username}`}>
      <input class="input" type="password" required minLength={8} autocomplete="new-password" placeholder="New password" value={password} onInput={(e) => setPassword(e.currentTarget.value)} />
      <button type="submit" class="button button-small button-primary">
        Set
      </button>
      {error ? (
        <span class="field-error" role="alert">
          {error}
        </span>
      ) : null}
    </form>
  );
}

/**
 * Users (admins): list, create, change role, disable/enable, reset password or second factor,
 * and see and revoke a user's sessions. Every change is audited by the server.
 */
export function UsersPage() {
  const { api } = useServices();
  const me = useSessionUser();
  const canWrite = me.permissions.includes('write:users');
  const users = useResource((signal) => api.get<{ users: AdminUser[]; total: number }>('/api/v1/users', { limit: 1000 }, signal), []);
  const [open, setOpen] = useState<{ id: string; what: 'sessions' | 'password' } | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const act = async (fn: () => Promise<unknown>, done: string) => {
    setNote(null);
    try {
      await fn();
      setNote(done);
      users.reload();
    } catch (err) {
      setNote(message(err));
    }
  };
  const patch = (u: AdminUser, body: object, done: string) => act(() => api.request('PATCH', `/api/v1/users/${u.id}`, body), done);

  return (
    <div class="page page-users">
      <div class="page-head">
        <h1>Users</h1>
      </div>
      {note ? (
        <p class="page-note" role="status">
          {note}
        </p>
      ) : null}
      {canWrite ? <CreateUser onCreated={() => users.reload()} /> : null}
      <Panel title="All users" id="users" resource={users}>
        {(d) => (
          <div class="table-scroll">
            <table class="data-table" data-table="users">
              <thead>
                <tr>
                  <th scope="col">User</th>
                  <th scope="col">Role</th>
                  <th scope="col">Status</th>
                  <th scope="col">Sign-in</th>
                  <th scope="col">Created</th>
                  <th scope="col">Actions</th>
                </tr>
              </thead>
              <tbody>
                {d.users.map((u) => (
                  <tr key={u.id} data-user={u.username}>
                    <th scope="row">{u.username}</th>
                    <td>
                      {canWrite ? (
                        <select class="input input-compact" aria-label={`Role of ${u.username}`} value={u.role} onChange={(e) => void patch(u, { role: e.currentTarget.value }, `${u.username} is now ${e.currentTarget.value}.`)}>
                          {ROLES.map((r) => (
                            <option key={r} value={r}>
                              {r}
                            </option>
                          ))}
                        </select>
                      ) : (
                        u.role
                      )}
                    </td>
                    <td>{u.disabled ? <span class="badge badge-bad">disabled</span> : <span class="badge badge-ok">active</span>}</td>
                    <td>
                      {u.source === 'oidc' ? 'SSO' : 'password'}
                      {u.totpEnabled ? ' + 2FA' : ''}
                    </td>
                    <td>{formatDateTime(u.createdAt)}</td>
                    <td class="cell-actions">
                      <button type="button" class="button button-small" onClick={() => setOpen(open?.id === u.id && open.what === 'sessions' ? null : { id: u.id, what: 'sessions' })}>
                        Sessions
                      </button>
                      {canWrite ? (
                        <>
                          <button type="button" class="button button-small" onClick={() => void patch(u, { disabled: !u.disabled }, `${u.username} ${u.disabled ? 'enabled' : 'disabled'}.`)}>
                            {u.disabled ? 'Enable' : 'Disable'}
                          </button>
                          {u.source === 'local' ? (
                            <button type="button" class="button button-small" onClick={() => setOpen({ id: u.id, what: 'password' })}>
                              Reset password
                            </button>
                          ) : null}
                          {u.totpEnabled ? (
                            <button type="button" class="button button-small" onClick={() => void act(() => api.request('DELETE', `/api/v1/users/${u.id}/totp`), `Second factor of ${u.username} reset.`)}>
                              Reset 2FA
                            </button>
                          ) : null}
                        </>
                      ) : null}
                      {open?.id === u.id && open.what === 'password' ? (
                        <ResetPassword
                          user={u}
                          onDone={(n) => {
                            setOpen(null);
                            setNote(n);
                          }}
                        />
                      ) : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Panel>
      {open?.what === 'sessions' && users.data ? (() => {
        const u = users.data.users.find((x) => x.id === open.id);
        return u ? <Sessions key={u.id} user={u} /> : null;
      })() : null}
    </div>
  );
}
