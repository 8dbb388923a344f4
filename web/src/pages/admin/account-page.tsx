import { useState } from 'preact/hooks';
import { ApiError } from '../../api/api-error.js';
import { useServices } from '../../hooks/app-services.js';
import { useSessionUser } from '../../hooks/session-user.js';

function message(err: unknown): string {
  return err instanceof ApiError ? err.message : String(err);
}

/** Change your own password (the current one is required; other sessions end). */
function ChangePassword() {
  const { api } = useServices();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [note, setNote] = useState<{ ok: boolean; text: string } | null>(null);
  const submit = async (e: Event) => {
    e.preventDefault();
    try {
      await api.post('/api/v1/auth/password', { currentPassword: current, newPassword: next });
      setCurrent('');
      setNext('');
      setNote({ ok: true, text: 'Password changed. Your other sessions were signed out.' });
    } catch (err) {
      setNote({ ok: false, text: message(err) });
    }
  };
  return (
    <form class="panel admin-form" onSubmit={(e) => void submit(e)} aria-label="Change password" data-form="change-password">
      <h2 class="panel-title">Password</h2>
      <div class="form-grid">
        <label class="field">
          <span class="field-label">Current password</span>
          <input class="input" type="password" required autocomplete="current-password" value={current} onInput={(e) => setCurrent(e.currentTarget.value)} />
        </label>
        <label class="field">
          <span class="field-label">New password (8+ characters, a passphrase is best)</span>
          <input class="input" type="password" required minLength={8} autocomplete="new-password" value={next} onInput={(e) => setNext(e.currentTarget.value)} />
        </label>
      </div>
      {note ? (
        <p class={note.ok ? 'page-note' : 'field-error'} role={note.ok ? 'status' : 'alert'}>
          {note.text}
        </p>
      ) : null}
      <div class="toolbar">
        <button type="submit" class="button button-primary">
          Change password
        </button>
      </div>
    </form>
  );
}

/** Set up or turn off the TOTP second factor. */
function TwoFactor({ enabled, onChanged }: { enabled: boolean; onChanged: () => void }) {
  const { api } = useServices();
  const [setup, setSetup] = useState<{ secret: string; uri: string } | null>(null);
  const [code, setCode] = useState('');
  const [note, setNote] = useState<{ ok: boolean; text: string } | null>(null);
  const run = async (fn: () => Promise<void>) => {
    setNote(null);
    try {
      await fn();
    } catch (err) {
      setNote({ ok: false, text: message(err) });
    }
  };
  const start = () => run(async () => setSetup(await api.post<{ secret: string; uri: string }>('/api/v1/auth/totp/setup')));
  const confirm = (e: Event) => {
    e.preventDefault();
    void run(async () => {
      await api.post(enabled ? '/api/v1/auth/totp/disable' : '/api/v1/auth/totp/enable', { code });
      setSetup(null);
      setCode('');
      setNote({ ok: true, text: enabled ? 'Two-factor authentication is off.' : 'Two-factor authentication is on.' });
      onChanged();
    });
  };
  return (
    <section class="panel" aria-labelledby="totp-title" data-panel="totp">
      <h2 id="totp-title" class="panel-title">
        Two-factor authentication
      </h2>
      <p class="panel-note">{enabled ? 'On: sign-in asks for a code from your authenticator app.' : 'Off. Add a code from an authenticator app (TOTP) to sign-in.'}</p>
      {!enabled && !setup ? (
        <div class="toolbar">
          <button type="button" class="button button-primary" onClick={() => void start()}>
            Set up
          </button>
        </div>
      ) : null}
      {setup ? (
        <div class="secret-once" data-secret>
          <p>Add this key to your authenticator app (or open the link on your phone), then enter the code it shows:</p>
          <code class="secret-value">{setup.secret}</code>
          <p>
            <a href={setup.uri}>Open in authenticator app</a>
          </p>
        </div>
      ) : null}
      {enabled || setup ? (
        <form class="inline-form" onSubmit={confirm} aria-label={enabled ? 'Turn off two-factor authentication' : 'Confirm two-factor authentication'}>
          <input class="input input-code" inputMode="numeric" autocomplete="one-time-code" pattern="[0-9]{6}" required placeholder="123456" value={code} onInput={(e) => setCode(e.currentTarget.value)} />
          <button type="submit" class="button button-small">
            {enabled ? 'Turn off' : 'Confirm'}
          </button>
        </form>
      ) : null}
      {note ? (
        <p class={note.ok ? 'page-note' : 'field-error'} role={note.ok ? 'status' : 'alert'}>
          {note.text}
        </p>
      ) : null}
    </section>
  );
}

/** The signed-in user's own account: password and second factor. */
export function AccountPage() {
  const me = useSessionUser();
  const { api } = useServices();
  const [totp, setTotp] = useState(me.totpEnabled === true);
  const refresh = () => void api.get<{ user: { totpEnabled: boolean } }>('/api/v1/auth/me').then((r) => setTotp(r.user.totpEnabled));
  return (
    <div class="page page-account">
      <div class="page-head">
        <h1>Your account</h1>
        <p class="page-summary">
          Signed in as <strong>{me.username}</strong> ({me.role})
        </p>
      </div>
      {me.mfaEnrollmentRequired ? (
        <p class="field-error" role="alert">
          This server requires admins to use two-factor authentication. Set it up to continue.
        </p>
      ) : null}
      <ChangePassword />
      <TwoFactor enabled={totp} onChanged={refresh} />
    </div>
  );
}
