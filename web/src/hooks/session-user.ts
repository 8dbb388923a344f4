import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { SessionUser } from '../pages/login-page.js';

/** The signed-in user, provided by the app around every page. */
export const SessionUserContext = createContext<SessionUser | null>(null);

/** The signed-in user; throws outside the provider (a programming error). */
export function useSessionUser(): SessionUser {
  const user = useContext(SessionUserContext);
  if (!user) throw new Error('useSessionUser() used outside <SessionUserContext.Provider>');
  return user;
}
