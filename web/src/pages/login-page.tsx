import { useEffect, useState } from 'preact/hooks';
import { ApiError } from '../api/api-error.js';
import { useServices } from '../hooks/app-services.js';
import { safeNextPath } from '../routing/safe-next-path.js';

/** Login methods the server offers (`/api/v1/auth/providers`). */
interface Providers {
  oidc: { label: string; loginUrl: string } | null;
}

function useProviders(): Providers | null {
  const { api } = useServices();
  const [providers, setProviders] = useState<Providers | null>(null);
  useEffect(() => {
    const controller = new AbortController();
    // Optional: without an answer the password form alone is shown.
    api.get<Providers>('/api/v1/auth/providers', undefined, controller.signal).then(setProviders, () => {});
    return () => controller.abort();
  }, [api]);
  return providers;
}

/** A logged-in user as returned by `/api/v1/auth/login` and `/api/v1/auth/me`. */
export interface SessionUser {
  id: string;
  username: string;
  role: string;
  permissions: string[];
  /** True when the user has a TOTP second factor. */
  totpEnabled?: boolean;
  /** True when the server requires this admin to set up a second factor before anything else. */
  mfaEnrollmentRequired?: boolean;
}

/** Human text for the `sso_error` code the SSO callback redirects with. */
export function ssoErrorMessage(code: string | null): string | null {
  if (!code) return null;
  const known: Record<string, string> = {
    no_role: 'Your single sign-on account has no Vigil role. Ask an administrator to map your group.',
    disabled: 'Your Vigil account is disabled.',
    state_mismatch: 'The sign-in took too long or was started elsewhere. Please try again.',
    provider_unavailable: 'The single sign-on provider cannot be reached.',
    account_conflict: 'A local account already uses your user name. Ask an administrator.',
  };
  return known[code] ?? 'Single sign-on failed. Please try again.';
}

function loginMessage(err: unknown): string {
  if (!(err instanceof ApiError)) return 'Login failed.';
  if (err.code === 'VIGIL_ERR_TOTP_REQUIRED') return 'Enter the 6-digit code from your authenticator app.';
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
  const [error, setError] = useState<string | null>(() => ssoErrorMessage(new URLSearchParams(location.search).get('sso_error')));
  const [needCode, setNeedCode] = useState(false);
  const [code, setCode] = useState('');
  const providers = useProviders();

  const submit = async (e: Event) => {
    e.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      const res = await api.post<{ user: SessionUser }>('/api/v1/auth/login', { username, password, ...(needCode ? { totp: code } : {}) });
      onLoggedIn(res.user);
    } catch (err) {
      if (err instanceof ApiError && err.code === 'VIGIL_ERR_TOTP_REQUIRED') setNeedCode(true);
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
        {needCode ? (
          <label class="field">
            <span class="field-label">Authentication code</span>
            <input class="input input-code" name="totp" inputMode="numeric" autocomplete="one-time-code" pattern="[0-9]{6}" required autofocus value={code} onInput={(e) => setCode(e.currentTarget.value)} />
          </label>
        ) : null}
        {error ? (
          <p class="field-error" role="alert">
            {error}
          </p>
        ) : null}
        <button class="button button-primary button-block" type="submit" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
        {providers?.oidc ? (
          <a class="button button-block" href={`${providers.oidc.loginUrl}?returnTo=${encodeURIComponent(safeNextPath(new URLSearchParams(location.search).get('next')))}`} data-sso>
            Sign in with {providers.oidc.label}
          </a>
        ) : null}
      </form>
    </main>
  );
}
