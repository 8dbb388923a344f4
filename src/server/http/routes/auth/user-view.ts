import { effectivePermissions } from '../../../auth/policy.js';
import type { UserRecord } from '../../../storage/user-repo.js';

/** The public shape of the signed-in user (never the password hash or TOTP secret). */
export function userView(u: UserRecord, require2faForAdmins: boolean): { id: string; username: string; role: string; permissions: string[]; totpEnabled: boolean; mfaEnrollmentRequired: boolean } {
  const mfaEnrollmentRequired = require2faForAdmins && u.role === 'admin' && !u.totpEnabled;
  return { id: u.id, username: u.username, role: u.role, permissions: mfaEnrollmentRequired ? [] : effectivePermissions(u.role), totpEnabled: u.totpEnabled, mfaEnrollmentRequired };
}

/** A user as admins see it in the user list. */
export function adminUserView(u: UserRecord): { id: string; username: string; role: string; disabled: boolean; source: string; totpEnabled: boolean; createdAt: number; updatedAt: number; passwordChangedAt: number } {
  return { id: u.id, username: u.username, role: u.role, disabled: u.disabled, source: u.source, totpEnabled: u.totpEnabled, createdAt: u.createdAt, updatedAt: u.updatedAt, passwordChangedAt: u.passwordChangedAt };
}
