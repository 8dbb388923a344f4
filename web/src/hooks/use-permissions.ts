import { useEffect, useState } from 'preact/hooks';
import type { SessionUser } from '../pages/login-page.js';
import { useServices } from './app-services.js';

/**
 * The signed-in user's permissions (from `/api/v1/auth/me`), to show actions only to those who may
 * use them. The server checks every call anyway; until loaded, nothing is allowed.
 */
export function usePermissions(): { can(permission: string): boolean; user: SessionUser | null } {
  const { api } = useServices();
  const [user, setUser] = useState<SessionUser | null>(null);
  useEffect(() => {
    const controller = new AbortController();
    api.get<{ user: SessionUser }>('/api/v1/auth/me', undefined, controller.signal).then(
      (r) => setUser(r.user),
      () => {},
    );
    return () => controller.abort();
  }, [api]);
  return { can: (p) => user?.permissions.includes(p) ?? false, user };
}
