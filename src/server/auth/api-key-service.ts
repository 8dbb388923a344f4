import { randomUUID } from 'node:crypto';
import type { Clock } from '../core/clock.js';
import type { ApiKeyKind, ApiKeyRecord, ApiKeyRepo } from '../storage/api-key-repo.js';
import { hashToken, randomToken } from './token-hash.js';

const PREFIX: Record<ApiKeyKind, string> = { agent: 'vgk_', user: 'vgu_' };

/** `last_used_at` is written at most this often per key (ms). */
const MARK_USED_INTERVAL_MS = 60_000;

/** A key as returned once at creation: `secret` is never retrievable again. */
export interface CreatedKey {
  record: ApiKeyRecord;
  secret: string;
}

/**
 * API keys: 128-bit random secrets with a kind prefix (`vgk_` agent ingest key, `vgu_` user
 * token), shown once, stored as SHA-256, revocable with immediate effect.
 */
export class ApiKeyService {
  constructor(
    private readonly keys: ApiKeyRepo,
    private readonly clock: Clock,
    /** Told when a known key is presented after revocation or expiry (recorded as API key misuse); must not block. */
    private readonly onRejected: (rec: ApiKeyRecord, reason: 'revoked' | 'expired') => void = () => {},
  ) {}

  /** Creates an ingest key bound to one agent. */
  async createAgentKey(agentId: string, name: string, createdBy: string | null): Promise<CreatedKey> {
    return this.create({ kind: 'agent', name, agentId, userId: null, scopes: [], createdBy, expiresAt: null });
  }

  /** Creates a user token acting as `userId`, optionally narrowed to `scopes` and expiring. */
  async createUserToken(userId: string, name: string, scopes: string[], expiresAt: number | null, createdBy: string | null): Promise<CreatedKey> {
    return this.create({ kind: 'user', name, agentId: null, userId, scopes, createdBy, expiresAt });
  }

  private async create(k: Pick<ApiKeyRecord, 'kind' | 'name' | 'agentId' | 'userId' | 'scopes' | 'createdBy' | 'expiresAt'>): Promise<CreatedKey> {
    const secret = PREFIX[k.kind] + randomToken(16);
    const record: ApiKeyRecord = {
      ...k,
      id: randomUUID(),
      prefix: secret.slice(0, 10),
      hash: hashToken(secret),
      createdAt: this.clock.now(),
      lastUsedAt: null,
      revokedAt: null,
    };
    await this.keys.create(record);
    return { record, secret };
  }

  /** The key record for a presented secret, or null when unknown, revoked or expired. */
  async authenticate(secret: string): Promise<ApiKeyRecord | null> {
    if (!/^vg[ku]_[A-Za-z0-9_-]{10,64}$/.test(secret)) return null;
    const rec = await this.keys.getByHash(hashToken(secret));
    const now = this.clock.now();
    if (!rec) return null;
    if (rec.revokedAt !== null || (rec.expiresAt !== null && now >= rec.expiresAt)) {
      this.onRejected(rec, rec.revokedAt !== null ? 'revoked' : 'expired');
      return null;
    }
    if (rec.lastUsedAt === null || now - rec.lastUsedAt >= MARK_USED_INTERVAL_MS) await this.keys.markUsed(rec.id, now);
    return rec;
  }

  /** Revokes a key; true when it was active. */
  async revoke(id: string): Promise<boolean> {
    return this.keys.revoke(id, this.clock.now());
  }

  /** Lists keys (hashes are never exposed by callers). */
  async list(filter?: { kind?: ApiKeyKind; userId?: string; agentId?: string }): Promise<ApiKeyRecord[]> {
    return this.keys.list(filter);
  }
}
