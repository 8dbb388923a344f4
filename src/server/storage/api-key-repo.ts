/** `agent`: ingest-only key bound to one agent; `user`: acts as its user (optionally scoped down). */
export type ApiKeyKind = 'agent' | 'user';

/** A stored API key; only the SHA-256 hash of the secret is kept. */
export interface ApiKeyRecord {
  id: string;
  /** First characters of the key, shown in listings to identify it (not secret). */
  prefix: string;
  hash: string;
  kind: ApiKeyKind;
  name: string;
  userId: string | null;
  agentId: string | null;
  /** Permissions a user key is limited to; empty = all of the user's permissions. */
  scopes: string[];
  createdAt: number;
  createdBy: string | null;
  lastUsedAt: number | null;
  expiresAt: number | null;
  revokedAt: number | null;
}

/** Persistence of API keys. */
export interface ApiKeyRepo {
  create(key: ApiKeyRecord): Promise<void>;
  getByHash(hash: string): Promise<ApiKeyRecord | null>;
  get(id: string): Promise<ApiKeyRecord | null>;
  list(filter?: { kind?: ApiKeyKind; userId?: string; agentId?: string }): Promise<ApiKeyRecord[]>;
  markUsed(id: string, at: number): Promise<void>;
  revoke(id: string, at: number): Promise<boolean>;
  revokeForAgent(agentId: string, at: number): Promise<number>;
}
