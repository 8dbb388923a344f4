import { effectivePermissions } from '../../../auth/policy.js';
import type { UserRecord } from '../../../storage/user-repo.js';

/** The public shape of a user (never the password hash). */
export function userView(u: UserRecord): { id: string; username: string; role: string; permissions: string[] } {
  return { id: u.id, username: u.username, role: u.role, permissions: effectivePermissions(u.role) };
}
