import { randomUUID } from 'node:crypto';
import type { Clock } from '../core/clock.js';
import { errors } from '../core/errors.js';
import type { Role, UserRecord, UserRepo } from '../storage/user-repo.js';
import { ROLES } from '../storage/user-repo.js';
import type { PasswordHasher } from './password-hasher.js';
import { PASSWORD_MAX_BYTES } from './password-hasher.js';
import { checkNewPassword, checkUsername } from './password-policy.js';
import { randomToken } from './token-hash.js';

/** Outcome of a login attempt; `reason` is for the audit log only, never shown to the caller. */
export type LoginResult = { ok: true; user: UserRecord } | { ok: false; reason: 'unknown_user' | 'bad_password' | 'disabled' | 'too_long' };

/** Users: creation, password checks and the first admin. */
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
    const user: UserRecord = { id: randomUUID(), username, passwordHash: await this.hasher.hash(password), role, disabled: false, createdAt: now, updatedAt: now, passwordChangedAt: now };
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
    await this.create(username, chosen, 'admin');
    return { username, password: chosen, generated: password === null };
  }
}
