import { errors } from '../../core/errors.js';
import type { ChannelOutcome, ChannelRecord, ChannelRepo, ReceiverRecord, ReceiverRepo } from '../channel-repo.js';
import type { SqlDb } from '../sql-db.js';
import { isUniqueViolation } from './unique-violation.js';

interface ChannelRow {
  id: string;
  name: string;
  type: string;
  config: string;
  secrets: string | null;
  enabled: number;
  config_error: string | null;
  consecutive_failures: number;
  last_success_at: number | null;
  last_failure_at: number | null;
  created_at: number;
  updated_at: number;
}

const CHANNEL_COLUMNS = 'id, name, type, config, secrets, enabled, config_error, consecutive_failures, last_success_at, last_failure_at, created_at, updated_at';

function toChannel(r: ChannelRow): ChannelRecord {
  return {
    id: r.id,
    name: r.name,
    type: r.type,
    config: JSON.parse(r.config) as Record<string, unknown>,
    secretsSealed: r.secrets,
    enabled: Number(r.enabled) === 1,
    configError: r.config_error,
    consecutiveFailures: Number(r.consecutive_failures),
    lastSuccessAt: r.last_success_at === null ? null : Number(r.last_success_at),
    lastFailureAt: r.last_failure_at === null ? null : Number(r.last_failure_at),
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
  };
}

async function unique<T>(name: string, what: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (isUniqueViolation(err)) throw errors.conflict(`a ${what} named "${name}" already exists`);
    throw err;
  }
}

/** {@link ChannelRepo} over SQL. */
export class SqlChannelRepo implements ChannelRepo {
  constructor(private readonly db: SqlDb) {}

  async list(): Promise<ChannelRecord[]> {
    return (await this.db.all<ChannelRow>(`SELECT ${CHANNEL_COLUMNS} FROM notify_channels ORDER BY name`)).map(toChannel);
  }

  async get(id: string): Promise<ChannelRecord | null> {
    const r = await this.db.get<ChannelRow>(`SELECT ${CHANNEL_COLUMNS} FROM notify_channels WHERE id = ?`, [id]);
    return r ? toChannel(r) : null;
  }

  async create(c: ChannelRecord): Promise<void> {
    await unique(c.name, 'channel', () =>
      this.db.run(`INSERT INTO notify_channels (${CHANNEL_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, [
        c.id,
        c.name,
        c.type,
        JSON.stringify(c.config),
        c.secretsSealed,
        c.enabled ? 1 : 0,
        c.configError,
        c.consecutiveFailures,
        c.lastSuccessAt,
        c.lastFailureAt,
        c.createdAt,
        c.updatedAt,
      ]),
    );
  }

  async update(c: ChannelRecord): Promise<boolean> {
    const r = await unique(c.name, 'channel', () =>
      this.db.run('UPDATE notify_channels SET name = ?, type = ?, config = ?, secrets = ?, enabled = ?, config_error = ?, updated_at = ? WHERE id = ?', [
        c.name,
        c.type,
        JSON.stringify(c.config),
        c.secretsSealed,
        c.enabled ? 1 : 0,
        c.configError,
        c.updatedAt,
        c.id,
      ]),
    );
    return r.changes === 1;
  }

  async delete(id: string): Promise<boolean> {
    return (await this.db.run('DELETE FROM notify_channels WHERE id = ?', [id])).changes === 1;
  }

  async recordOutcome(id: string, o: ChannelOutcome): Promise<number> {
    return this.db.transaction(async (tx) => {
      if (o.ok) await tx.run('UPDATE notify_channels SET consecutive_failures = 0, config_error = NULL, last_success_at = ? WHERE id = ?', [o.at, id]);
      else {
        await tx.run('UPDATE notify_channels SET consecutive_failures = consecutive_failures + 1, last_failure_at = ?, config_error = COALESCE(?, config_error) WHERE id = ?', [o.at, o.configError, id]);
      }
      const r = await tx.get<{ n: number }>('SELECT consecutive_failures AS n FROM notify_channels WHERE id = ?', [id]);
      return Number(r?.n ?? 0);
    });
  }
}

interface ReceiverRow {
  id: string;
  name: string;
  channel_ids: string;
  user_ids: string;
  created_at: number;
  updated_at: number;
}

function toReceiver(r: ReceiverRow): ReceiverRecord {
  return { id: r.id, name: r.name, channelIds: JSON.parse(r.channel_ids) as string[], userIds: JSON.parse(r.user_ids) as string[], createdAt: Number(r.created_at), updatedAt: Number(r.updated_at) };
}

/** {@link ReceiverRepo} over SQL. */
export class SqlReceiverRepo implements ReceiverRepo {
  constructor(private readonly db: SqlDb) {}

  async list(): Promise<ReceiverRecord[]> {
    return (await this.db.all<ReceiverRow>('SELECT * FROM notify_receivers ORDER BY name')).map(toReceiver);
  }

  async get(id: string): Promise<ReceiverRecord | null> {
    const r = await this.db.get<ReceiverRow>('SELECT * FROM notify_receivers WHERE id = ?', [id]);
    return r ? toReceiver(r) : null;
  }

  async getByName(name: string): Promise<ReceiverRecord | null> {
    const r = await this.db.get<ReceiverRow>('SELECT * FROM notify_receivers WHERE name = ?', [name]);
    return r ? toReceiver(r) : null;
  }

  async create(r: ReceiverRecord): Promise<void> {
    await unique(r.name, 'receiver', () =>
      this.db.run('INSERT INTO notify_receivers (id, name, channel_ids, user_ids, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)', [
        r.id,
        r.name,
        JSON.stringify(r.channelIds),
        JSON.stringify(r.userIds),
        r.createdAt,
        r.updatedAt,
      ]),
    );
  }

  async update(r: ReceiverRecord): Promise<boolean> {
    const res = await unique(r.name, 'receiver', () =>
      this.db.run('UPDATE notify_receivers SET name = ?, channel_ids = ?, user_ids = ?, updated_at = ? WHERE id = ?', [r.name, JSON.stringify(r.channelIds), JSON.stringify(r.userIds), r.updatedAt, r.id]),
    );
    return res.changes === 1;
  }

  async delete(id: string): Promise<boolean> {
    return (await this.db.run('DELETE FROM notify_receivers WHERE id = ?', [id])).changes === 1;
  }
}
