import { randomUUID } from 'node:crypto';
import type { Clock } from '../core/clock.js';
import { errors, VigilError } from '../core/errors.js';
import type { Role, UserRecord, UserRepo } from '../storage/user-repo.js';
import { ROLES } from '../storage/user-repo.js';
import type { PasswordHasher } from './password-hasher.js';
import { PASSWORD_MAX_BYTES } from './password-hasher.js';
import { checkNewPassword, checkUsername } from './password-policy.js';
import { randomToken } from './token-hash.js';

/** Outcome of a login attempt; `reason` is for the audit log only, never shown to the caller. */
export type LoginResult = { ok: true; user: UserRecord } | { ok: false; reason: 'unknown_user' | 'bad_password' | 'disabled' | 'too_long' };

/** Stored as the password hash of SSO users: not a valid hash, so no password ever matches. */
export const SSO_PASSWORD_HASH = '!sso';

function newUserFields(now: number): Omit<UserRecord, 'id' | 'username' | 'passwordHash' | 'role'> {
  return { disabled: false, createdAt: now, updatedAt: now, passwordChangedAt: now, totpSecret: null, totpEnabled: false, totpLastStep: null, source: 'local', externalSubject: null };
}

/** Users: creation, roles, passwords, SSO identities and the first admin. */
export class UserService {
  constructor(
    private readonly users: UserRepo,
    private readonly hasher: PasswordHasher,
    private readonly clock: Clock,
  ) {}

  /** Creates a user after validating name, role and password. */
  async create(username: string, password: string, role: Role): Promise<UserRecord> {
    checkUsername(username);
    checkNewPassword(password, username);
    if (!ROLES.includes(role)) throw errors.validation(`role must be one of ${ROLES.join(', ')}`);
    if (await this.users.getByUsername(username)) throw errors.conflict(`user "${username}" already exists`);
    const now = this.clock.now();
    const user: UserRecord = {
      ...newUserFields(now),
      id: randomUUID(),
      username,
      passwordHash: await this.hasher.hash(password),
      role,
    };
    await this.users.create(user);
    return user;
  }

  /** Every user, by username. */
  async list(): Promise<UserRecord[]> {
    return this.users.list();
  }

  /** One user or a `VIGIL_ERR_NOT_FOUND`. */
  async get(userId: string): Promise<UserRecord> {
    const user = await this.users.get(userId);
    if (!user) throw errors.notFound('user');
    return user;
  }

  /**
   * Changes a user's role. Takes effect on the next request of every session and token (they
   * re-read the user). Refuses to demote the last enabled admin, so nobody can lock everyone out.
   */
  async setRole(userId: string, role: Role): Promise<UserRecord> {
    if (!ROLES.includes(role)) throw errors.validation(`role must be one of ${ROLES.join(', ')}`);
    const user = await this.get(userId);
    if (user.role === 'admin' && role !== 'admin') await this.ensureAnotherAdmin(user.id);
    await this.users.update(userId, { role }, this.clock.now());
    return { ...user, role };
  }

  /** Disables (sessions and tokens stop working at once) or re-enables a user; never the last admin. */
  async setDisabled(userId: string, disabled: boolean): Promise<UserRecord> {
    const user = await this.get(userId);
    if (disabled && user.role === 'admin' && !user.disabled) await this.ensureAnotherAdmin(user.id);
    await this.users.update(userId, { disabled }, this.clock.now());
    return { ...user, disabled };
  }

  private async ensureAnotherAdmin(exceptId: string): Promise<void> {
    const others = (await this.users.list()).filter((u) => u.role === 'admin' && !u.disabled && u.id !== exceptId);
    if (others.length === 0) throw errors.conflict('this is the last enabled admin; make another user admin first');
  }

  /** A user changing their own password: the current one must be right. */
  async changeOwnPassword(userId: string, current: string, next: string): Promise<void> {
    const user = await this.get(userId);
    if (user.source !== 'local') throw errors.validation('single sign-on users have no Vigil password');
    if (Buffer.byteLength(current, 'utf8') > PASSWORD_MAX_BYTES || !(await this.hasher.verify(current, user.passwordHash))) {
      throw new VigilError('VIGIL_ERR_INVALID_CREDENTIALS', 'the current password is wrong');
    }
    await this.setPassword(userId, next);
  }

  /**
   * Finds or creates the user of a single sign-on identity (`subject` = `<issuer>|<sub>`) and
   * syncs its role from the provider on every login. SSO users have no usable password.
   */
  async upsertExternal(subject: string, preferredUsername: string, role: Role): Promise<UserRecord> {
    const now = this.clock.now();
    const existing = await this.users.getByExternalSubject(subject);
    if (existing) {
      if (existing.role !== role) await this.users.update(existing.id, { role }, now);
      return { ...existing, role };
    }
    const username = checkUsername(preferredUsername);
    if (await this.users.getByUsername(username)) throw errors.conflict(`user "${username}" already exists as a local user`);
    const user: UserRecord = { ...newUserFields(now), id: randomUUID(), username, passwordHash: SSO_PASSWORD_HASH, role, source: 'oidc', externalSubject: subject };
    await this.users.create(user);
    return user;
  }

  /**
   * Checks credentials. Unknown users cost the same hashing time as known ones, so timing does
   * not reveal which usernames exist. Rehashes on success when parameters were raised.
   */
  async login(username: string, password: string): Promise<LoginResult> {
    if (Buffer.byteLength(password, 'utf8') > PASSWORD_MAX_BYTES) return { ok: false, reason: 'too_long' };
    const user = await this.users.getByUsername(username);
    if (!user) {
      await this.hasher.verifyDummy(password);
      return { ok: false, reason: 'unknown_user' };
    }
    if (user.source !== 'local') {
      await this.hasher.verifyDummy(password);
      return { ok: false, reason: 'bad_password' };
    }
    if (!(await this.hasher.verify(password, user.passwordHash))) return { ok: false, reason: 'bad_password' };
    if (user.disabled) return { ok: false, reason: 'disabled' };
    if (this.hasher.needsRehash(user.passwordHash)) {
      await this.users.update(user.id, { passwordHash: await this.hasher.hash(password) }, this.clock.now());
    }
    return { ok: true, user };
  }

  /** Sets a new password; sessions created before now become invalid. */
  async setPassword(userId: string, password: string): Promise<void> {
    const user = await this.users.get(userId);
    if (!user) throw errors.notFound('user');
    checkNewPassword(password, user.username);
    const now = this.clock.now();
    await this.users.update(userId, { passwordHash: await this.hasher.hash(password), passwordChangedAt: now }, now);
  }

  /**
   * Creates the first admin when there is no user yet. Uses the given credentials (from
   * `VIGIL_ADMIN_USER` / `VIGIL_ADMIN_PASSWORD`) or generates a 20-character password.
   * Returns the generated password once (so it can be printed), or null if nothing was created.
   */
  async bootstrapAdmin(username: string, password: string | null): Promise<{ username: string; password: string; generated: boolean } | null> {
    if ((await this.users.count()) > 0) return null;
    const chosen = password ?? randomToken(15);
    try {
      await this.create(username, chosen, 'admin');
    } catch (err) {
      // Replicas starting together on one database: the one that lost the race finds the admin.
      if (await this.users.getByUsername(username)) return null;
      throw err;
    }
    return { username, password: chosen, generated: password === null };
  }
}
