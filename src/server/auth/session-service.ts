import type { Clock } from '../core/clock.js';
import type { SessionRecord, SessionRepo } from '../storage/session-repo.js';
import type { UserRecord, UserRepo } from '../storage/user-repo.js';
import { hashToken, randomToken } from './token-hash.js';

/** Session lifetime settings. */
export interface SessionPolicy {
  /** Session ends after this long without a request (ms; default 12 h). */
  idleTimeoutMs: number;
  /** Session ends this long after login whatever the activity (ms; default 7 days). */
  absoluteTimeoutMs: number;
}

/** Default session lifetimes. */
export const DEFAULT_SESSION_POLICY: SessionPolicy = { idleTimeoutMs: 12 * 3_600_000, absoluteTimeoutMs: 7 * 86_400_000 };

/** Most live sessions one user may hold; logging in beyond that ends the least recently used. */
export const MAX_SESSIONS_PER_USER = 50;

/** `lastSeenAt` is written at most this often per session (ms), to keep reads from writing. */
const TOUCH_INTERVAL_MS = 60_000;

/**
 * Server-side sessions with 128-bit random ids. Only the SHA-256 of an id is stored, so a
 * database leak does not hand out live sessions. A session dies on logout, idle or absolute
 * timeout, a password change after it was created, or when the user is disabled.
 */
export class SessionService {
  constructor(
    private readonly sessions: SessionRepo,
    private readonly users: UserRepo,
    private readonly clock: Clock,
    private readonly policy: SessionPolicy = DEFAULT_SESSION_POLICY,
  ) {}

  /** Creates a session; returns the plaintext id (for the cookie) and its expiry. */
  async create(userId: string, meta: { ip: string | null; userAgent: string | null }): Promise<{ id: string; expiresAt: number }> {
    const id = randomToken(16);
    const now = this.clock.now();
    // Bounded per user, so repeated logins (scripts, a stolen password) cannot grow the table.
    const existing = await this.sessions.listForUser(userId);
    for (const old of existing.slice(MAX_SESSIONS_PER_USER - 1)) await this.sessions.delete(old.idHash);
    const expiresAt = now + this.policy.absoluteTimeoutMs;
    await this.sessions.create({ idHash: hashToken(id), userId, createdAt: now, lastSeenAt: now, expiresAt, ip: meta.ip, userAgent: meta.userAgent?.slice(0, 300) ?? null });
    return { id, expiresAt };
  }

  /** Returns the live session and its user, or null (and deletes it) when it is no longer valid. */
  async validate(id: string): Promise<{ session: SessionRecord; user: UserRecord } | null> {
    if (id.length < 16 || id.length > 64) return null;
    const idHash = hashToken(id);
    const session = await this.sessions.get(idHash);
    if (!session) return null;
    const now = this.clock.now();
    const user = await this.users.get(session.userId);
    const expired = now >= session.expiresAt || now - session.lastSeenAt >= this.policy.idleTimeoutMs;
    if (!user || user.disabled || expired || user.passwordChangedAt > session.createdAt) {
      await this.sessions.delete(idHash);
      return null;
    }
    if (now - session.lastSeenAt >= TOUCH_INTERVAL_MS) await this.sessions.touch(idHash, now);
    return { session, user };
  }

  /** Ends one session (logout). */
  async destroy(id: string): Promise<void> {
    await this.sessions.delete(hashToken(id));
  }

  /** Ends every session of a user except `keepIdHash` (password change, disable, admin revoke). */
  async destroyAllForUser(userId: string, keepIdHash?: string): Promise<number> {
    return this.sessions.deleteForUser(userId, keepIdHash);
  }

  /** Deletes expired sessions; returns how many. */
  async prune(): Promise<number> {
    return this.sessions.prune(this.clock.now(), this.policy.idleTimeoutMs);
  }
}
