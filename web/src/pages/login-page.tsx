import { useState } from 'preact/hooks';
import { ApiError } from '../api/api-error.js';
import { useServices } from '../hooks/app-services.js';

/** A logged-in user as returned by `/api/v1/auth/login` and `/api/v1/auth/me`. */
export interface SessionUser {
  id: string;
  username: string;
  role: string;
  permissions: string[];
}

function loginMessage(err: unknown): string {
  if (!(err instanceof ApiError)) return 'Login failed.';
  if (err.status === 401) return 'Wrong username or password.';
  if (err.status === 429) return `Too many attempts.${err.retryAfterSeconds !== undefined ? ` Try again in ${err.retryAfterSeconds} s.` : ' Try again later.'}`;
  if (err.status === 0 || err.status >= 500) return 'The Vigil server is not reachable. Check that it is running and try again.';
  return err.message;
}

/**
 * The login form (`/login`). Posts `{username, password}`; the server answers with the session
 * cookie. `onLoggedIn` receives the user; the app then goes to the page the user came from.
 */
export function LoginPage({ onLoggedIn }: { onLoggedIn: (user: SessionUser) => void }) {
  const { api } = useServices();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (e: Event) => {
    e.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      const res = await api.post<{ user: SessionUser }>('/api/v1/auth/login', { username, password });
      onLoggedIn(res.user);
    } catch (err) {
      setError(loginMessage(err));
      setBusy(false);
    }
  };

  return (
    <main class="login" id="main">
      <form class="login-card" onSubmit={(e) => void submit(e)} aria-labelledby="login-title">
        <div class="brand brand-large">
          <span class="brand-mark" aria-hidden="true" />
          Vigil
        </div>
        <h1 id="login-title" class="login-title">
          Sign in
        </h1>
        <label class="field">
          <span class="field-label">Username</span>
          <input class="input" name="username" autocomplete="username" required autofocus value={username} onInput={(e) => setUsername(e.currentTarget.value)} />
        </label>
        <label class="field">
          <span class="field-label">Password</span>
          <input class="input" name="password" type="password" autocomplete="current-password" required value={password} onInput={(e) => setPassword(e.currentTarget.value)} />
        </label>
        {error ? (
          <p class="field-error" role="alert">
            {error}
          </p>
        ) : null}
        <button class="button button-primary button-block" type="submit" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
