import type { ApiKeyKind, ApiKeyRecord, ApiKeyRepo } from '../api-key-repo.js';
import type { SqlDb } from '../sql-db.js';
import { SqlWhere } from './sql-where.js';

interface KeyRow {
  id: string;
  prefix: string;
  hash: string;
  kind: string;
  name: string;
  user_id: string | null;
  agent_id: string | null;
  scopes: string;
  created_at: number;
  created_by: string | null;
  last_used_at: number | null;
  expires_at: number | null;
  revoked_at: number | null;
}

const COLUMNS = 'id, prefix, hash, kind, name, user_id, agent_id, scopes, created_at, created_by, last_used_at, expires_at, revoked_at';

function toRecord(r: KeyRow): ApiKeyRecord {
  return {
    id: r.id,
    prefix: r.prefix,
    hash: r.hash,
    kind: r.kind as ApiKeyKind,
    name: r.name,
    userId: r.user_id,
    agentId: r.agent_id,
    scopes: JSON.parse(r.scopes) as string[],
    createdAt: r.created_at,
    createdBy: r.created_by,
    lastUsedAt: r.last_used_at,
    expiresAt: r.expires_at,
    revokedAt: r.revoked_at,
  };
}

/** {@link ApiKeyRepo} over SQL. */
export class SqlApiKeyRepo implements ApiKeyRepo {
  constructor(private readonly db: SqlDb) {}

  async create(k: ApiKeyRecord): Promise<void> {
    await this.db.run(`INSERT INTO api_keys (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, [
      k.id,
      k.prefix,
      k.hash,
      k.kind,
      k.name,
      k.userId,
      k.agentId,
      JSON.stringify(k.scopes),
      k.createdAt,
      k.createdBy,
      k.lastUsedAt,
      k.expiresAt,
      k.revokedAt,
    ]);
  }

  async getByHash(hash: string): Promise<ApiKeyRecord | null> {
    const r = await this.db.get<KeyRow>(`SELECT ${COLUMNS} FROM api_keys WHERE hash = ?`, [hash]);
    return r ? toRecord(r) : null;
  }

  async get(id: string): Promise<ApiKeyRecord | null> {
    const r = await this.db.get<KeyRow>(`SELECT ${COLUMNS} FROM api_keys WHERE id = ?`, [id]);
    return r ? toRecord(r) : null;
  }

  async list(filter: { kind?: ApiKeyKind; userId?: string; agentId?: string } = {}): Promise<ApiKeyRecord[]> {
    const where = new SqlWhere()
      .add(!!filter.kind, 'kind = ?', filter.kind ?? null)
      .add(!!filter.userId, 'user_id = ?', filter.userId ?? null)
      .add(!!filter.agentId, 'agent_id = ?', filter.agentId ?? null);
    const sql = `SELECT ${COLUMNS} FROM api_keys ${where.toSql()} ORDER BY created_at DESC`;
    return (await this.db.all<KeyRow>(sql, where.params)).map(toRecord);
  }

  async markUsed(id: string, at: number): Promise<void> {
    await this.db.run('UPDATE api_keys SET last_used_at = ? WHERE id = ?', [at, id]);
  }

  async revoke(id: string, at: number): Promise<boolean> {
    return (await this.db.run('UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL', [at, id])).changes > 0;
  }

  async revokeForAgent(agentId: string, at: number): Promise<number> {
    return (await this.db.run('UPDATE api_keys SET revoked_at = ? WHERE agent_id = ? AND revoked_at IS NULL', [at, agentId])).changes;
  }
}
