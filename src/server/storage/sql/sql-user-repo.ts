import type { SqlDb } from '../sql-db.js';
import type { Role, UserPatch, UserRecord, UserRepo } from '../user-repo.js';

interface UserRow {
  id: string;
  username: string;
  password_hash: string;
  role: string;
  disabled: number;
  created_at: number;
  updated_at: number;
  password_changed_at: number;
  totp_secret: string | null;
  totp_enabled: number;
  totp_last_step: number | null;
  source: string;
  external_subject: string | null;
}

function toRecord(r: UserRow): UserRecord {
  return {
    id: r.id,
    username: r.username,
    passwordHash: r.password_hash,
    role: r.role as Role,
    disabled: r.disabled === 1,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    passwordChangedAt: r.password_changed_at,
    totpSecret: r.totp_secret,
    totpEnabled: r.totp_enabled === 1,
    totpLastStep: r.totp_last_step,
    source: r.source === 'oidc' ? 'oidc' : 'local',
    externalSubject: r.external_subject,
  };
}

const COLUMNS = 'id, username, password_hash, role, disabled, created_at, updated_at, password_changed_at, totp_secret, totp_enabled, totp_last_step, source, external_subject';

/** {@link UserRepo} over SQL. */
export class SqlUserRepo implements UserRepo {
  constructor(private readonly db: SqlDb) {}

  async create(u: UserRecord): Promise<void> {
    await this.db.run(`INSERT INTO users (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, [
      u.id,
      u.username,
      u.passwordHash,
      u.role,
      u.disabled ? 1 : 0,
      u.createdAt,
      u.updatedAt,
      u.passwordChangedAt,
      u.totpSecret,
      u.totpEnabled ? 1 : 0,
      u.totpLastStep,
      u.source,
      u.externalSubject,
    ]);
  }

  async get(id: string): Promise<UserRecord | null> {
    const r = await this.db.get<UserRow>(`SELECT ${COLUMNS} FROM users WHERE id = ?`, [id]);
    return r ? toRecord(r) : null;
  }

  async getByUsername(username: string): Promise<UserRecord | null> {
    const r = await this.db.get<UserRow>(`SELECT ${COLUMNS} FROM users WHERE username = ?`, [username]);
    return r ? toRecord(r) : null;
  }

  async getByExternalSubject(subject: string): Promise<UserRecord | null> {
    const r = await this.db.get<UserRow>(`SELECT ${COLUMNS} FROM users WHERE external_subject = ?`, [subject]);
    return r ? toRecord(r) : null;
  }

  async list(): Promise<UserRecord[]> {
    return (await this.db.all<UserRow>(`SELECT ${COLUMNS} FROM users ORDER BY username`)).map(toRecord);
  }

  async count(): Promise<number> {
    return (await this.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM users'))?.n ?? 0;
  }

  async update(id: string, patch: UserPatch, at: number): Promise<boolean> {
    const fields: [string, string | number | null | undefined][] = [
      ['updated_at', at],
      ['username', patch.username],
      ['password_hash', patch.passwordHash],
      ['role', patch.role],
      ['disabled', patch.disabled === undefined ? undefined : patch.disabled ? 1 : 0],
      ['password_changed_at', patch.passwordChangedAt],
      ['totp_secret', patch.totpSecret],
      ['totp_enabled', patch.totpEnabled === undefined ? undefined : patch.totpEnabled ? 1 : 0],
      ['totp_last_step', patch.totpLastStep],
    ];
    const set = fields.filter(([, v]) => v !== undefined) as [string, string | number | null][];
    const sql = `UPDATE users SET ${set.map(([c]) => `${c} = ?`).join(', ')} WHERE id = ?`;
    return (await this.db.run(sql, [...set.map(([, v]) => v), id])).changes > 0;
  }

  async claimTotpStep(id: string, step: number): Promise<boolean> {
    const sql = 'UPDATE users SET totp_last_step = ? WHERE id = ? AND (totp_last_step IS NULL OR totp_last_step < ?)';
    return (await this.db.run(sql, [step, id, step])).changes > 0;
  }
}
