import { useCallback, useEffect, useState } from 'preact/hooks';
import type { ApiError } from '../api/api-error.js';
import { ErrorState } from '../components/error-state.js';
import { useServices } from '../hooks/app-services.js';
import { useLocation } from '../hooks/use-location.js';
import { LoginPage, type SessionUser } from '../pages/login-page.js';
import { canOpen } from '../access/page-access.js';
import { SessionUserContext } from '../hooks/session-user.js';
import { ForbiddenPage } from '../pages/forbidden-page.js';
import { NotFoundPage } from '../pages/not-found-page.js';
import { PAGES, resolvePage } from '../pages/page-registry.js';
import { safeNextPath } from '../routing/safe-next-path.js';
import { AppShell } from './app-shell.js';

type Session = { kind: 'checking' } | { kind: 'anonymous' } | { kind: 'user'; user: SessionUser } | { kind: 'error'; error: ApiError };

/** Path of the login page. */
export const LOGIN_PATH = '/login';

/**
 * The root component: checks the session (`/api/v1/auth/me`), shows the login page when there is
 * none (remembering where the user wanted to go), starts the live connection for a logged-in
 * user, and renders the registered page for the current path inside the shell. Any 401 from the
 * API or a live-socket close for a missing session leads back to the login page.
 */
export function App({ onSessionExpired }: { onSessionExpired: (listener: () => void) => () => void }) {
  const services = useServices();
  const { api, live, location } = services;
  const loc = useLocation();
  const [session, setSession] = useState<Session>({ kind: 'checking' });

  const checkSession = useCallback(() => {
    setSession({ kind: 'checking' });
    api.get<{ user: SessionUser }>('/api/v1/auth/me').then(
      (r) => setSession({ kind: 'user', user: r.user }),
      (err: ApiError) => setSession(err.status === 401 ? { kind: 'anonymous' } : { kind: 'error', error: err }),
    );
  }, [api]);

  useEffect(checkSession, [checkSession]);
  useEffect(() => onSessionExpired(() => setSession({ kind: 'anonymous' })), [onSessionExpired]);

  useEffect(() => {
    if (session.kind !== 'user') return undefined;
    live.start();
    return () => live.stop();
  }, [session.kind, live]);

  // Send anonymous users to the login page, remembering where they were going.
  useEffect(() => {
    if (session.kind === 'anonymous' && loc.pathname !== LOGIN_PATH) {
      location.navigate(`${LOGIN_PATH}?next=${encodeURIComponent(loc.pathname + loc.search)}`, { replace: true });
    }
    if (session.kind === 'user' && loc.pathname === LOGIN_PATH) {
      location.navigate(safeNextPath(new URLSearchParams(loc.search).get('next')), { replace: true });
    }
  }, [session.kind, loc.pathname, loc.search, location]);

  const resolved = resolvePage(loc.pathname);

  // An admin who must first set up a second factor can only use the account page.
  useEffect(() => {
    if (session.kind === 'user' && session.user.mfaEnrollmentRequired && loc.pathname !== '/account' && loc.pathname !== LOGIN_PATH) location.navigate('/account', { replace: true });
  }, [session, loc.pathname, location]);
  useEffect(() => {
    const title = loc.pathname === LOGIN_PATH ? 'Sign in' : (resolved?.page.title ?? 'Not found');
    document.title = `${title} · Vigil`;
  }, [loc.pathname, resolved?.page.title]);

  const logout = () => {
    api.post('/api/v1/auth/logout').then(
      () => setSession({ kind: 'anonymous' }),
      () => setSession({ kind: 'anonymous' }),
    );
  };

  if (session.kind === 'checking') {
    return (
      <div class="boot" role="status">
        <span class="spinner" aria-hidden="true" />
        Connecting to Vigil…
      </div>
    );
  }
  if (session.kind === 'error') {
    return (
      <main class="boot" id="main">
        <ErrorState error={session.error} onRetry={checkSession} />
      </main>
    );
  }
  if (session.kind === 'anonymous' || loc.pathname === LOGIN_PATH) {
    return session.kind === 'anonymous' ? <LoginPage onLoggedIn={(user) => setSession({ kind: 'user', user })} /> : null;
  }
  const search = new URLSearchParams(loc.search);
  const allowed = resolved ? canOpen(resolved.page, session.user) : true;
  const Page = !resolved ? NotFoundPage : allowed ? resolved.page.component : ForbiddenPage;
  return (
    <SessionUserContext.Provider value={session.user}>
      <AppShell pages={PAGES.filter((p) => canOpen(p, session.user))} currentNav={resolved ? (resolved.page.navParent ?? resolved.page.id) : null} user={session.user} onLogout={logout}>
        <Page key={resolved ? `${resolved.page.id}:${JSON.stringify(resolved.params)}` : 'not-found'} params={resolved?.params ?? {}} search={search} pathname={loc.pathname} />
      </AppShell>
    </SessionUserContext.Provider>
  );
}
