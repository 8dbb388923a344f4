/** A stored session; the id itself is never stored, only its SHA-256 hash. */
export interface SessionRecord {
  idHash: string;
  userId: string;
  createdAt: number;
  lastSeenAt: number;
  expiresAt: number;
  ip: string | null;
  userAgent: string | null;
}

/** Persistence of server-side sessions. */
export interface SessionRepo {
  create(session: SessionRecord): Promise<void>;
  get(idHash: string): Promise<SessionRecord | null>;
  touch(idHash: string, lastSeenAt: number): Promise<void>;
  delete(idHash: string): Promise<void>;
  deleteForUser(userId: string, exceptIdHash?: string): Promise<number>;
  listForUser(userId: string): Promise<SessionRecord[]>;
  /** Removes sessions expired at `now` (absolute or idle), returns how many. */
  prune(now: number, idleTimeoutMs: number): Promise<number>;
}
