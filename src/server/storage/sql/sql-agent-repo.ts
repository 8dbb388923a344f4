import type { AgentHello, ProcessSnapshot } from '../../../protocol/ingest.js';
import type { AgentRecord, AgentRepo } from '../agent-repo.js';
import type { SqlDb } from '../sql-db.js';

interface AgentRow {
  id: string;
  name: string;
  hostname: string | null;
  os: string | null;
  os_release: string | null;
  kernel: string | null;
  arch: string | null;
  agent_version: string | null;
  interval_ms: number | null;
  cpu_count: number | null;
  memory_bytes: number | null;
  boot_time: number | null;
  capabilities: string;
  unavailable: string;
  created_at: number;
  last_seen: number | null;
  dropped_samples: number;
  last_error: string | null;
  disabled: number;
}

const COLUMNS =
  'id, name, hostname, os, os_release, kernel, arch, agent_version, interval_ms, cpu_count, memory_bytes, boot_time, capabilities, unavailable, created_at, last_seen, dropped_samples, last_error, disabled';

function toRecord(r: AgentRow): AgentRecord {
  return {
    id: r.id,
    name: r.name,
    hostname: r.hostname,
    os: r.os,
    osRelease: r.os_release,
    kernel: r.kernel,
    arch: r.arch,
    agentVersion: r.agent_version,
    intervalMs: r.interval_ms,
    cpuCount: r.cpu_count,
    memoryBytes: r.memory_bytes,
    bootTime: r.boot_time,
    capabilities: JSON.parse(r.capabilities) as string[],
    unavailable: JSON.parse(r.unavailable) as string[],
    createdAt: r.created_at,
    lastSeen: r.last_seen,
    droppedSamples: r.dropped_samples,
    lastError: r.last_error,
    disabled: r.disabled === 1,
  };
}

/** {@link AgentRepo} over SQL. */
export class SqlAgentRepo implements AgentRepo {
  constructor(private readonly db: SqlDb) {}

  async create(a: { id: string; name: string; createdAt: number }): Promise<void> {
    await this.db.run('INSERT INTO agents (id, name, created_at) VALUES (?, ?, ?)', [a.id, a.name, a.createdAt]);
  }

  async get(id: string): Promise<AgentRecord | null> {
    const r = await this.db.get<AgentRow>(`SELECT ${COLUMNS} FROM agents WHERE id = ?`, [id]);
    return r ? toRecord(r) : null;
  }

  async getByName(name: string): Promise<AgentRecord | null> {
    const r = await this.db.get<AgentRow>(`SELECT ${COLUMNS} FROM agents WHERE name = ?`, [name]);
    return r ? toRecord(r) : null;
  }

  async list(): Promise<AgentRecord[]> {
    return (await this.db.all<AgentRow>(`SELECT ${COLUMNS} FROM agents ORDER BY name`)).map(toRecord);
  }

  async register(id: string, h: AgentHello, at: number): Promise<void> {
    await this.db.run(
      `UPDATE agents SET hostname = ?, os = ?, os_release = ?, kernel = ?, arch = ?, agent_version = ?, interval_ms = ?,
       cpu_count = ?, memory_bytes = ?, boot_time = ?, capabilities = ?, unavailable = ?, last_seen = ? WHERE id = ?`,
      [
        h.hostname,
        h.os,
        h.osRelease ?? null,
        h.kernel,
        h.arch,
        h.agentVersion,
        h.intervalMs,
        h.cpuCount,
        h.memoryBytes,
        h.bootTime ?? null,
        JSON.stringify(h.capabilities),
        JSON.stringify(h.unavailable),
        at,
        id,
      ],
    );
  }

  async touch(id: string, at: number, stats: { droppedSamples?: number; lastError?: string | null }): Promise<void> {
    await this.db.run(
      `UPDATE agents SET last_seen = CASE WHEN last_seen IS NULL OR last_seen < ? THEN ? ELSE last_seen END,
       dropped_samples = COALESCE(?, dropped_samples), last_error = CASE WHEN ? = 1 THEN ? ELSE last_error END WHERE id = ?`,
      [at, at, stats.droppedSamples ?? null, stats.lastError !== undefined ? 1 : 0, stats.lastError ?? null, id],
    );
  }

  async saveProcesses(id: string, snapshot: ProcessSnapshot): Promise<void> {
    await this.db.run('UPDATE agents SET processes = ? WHERE id = ?', [JSON.stringify(snapshot), id]);
  }

  async getProcesses(id: string): Promise<ProcessSnapshot | null> {
    const r = await this.db.get<{ processes: string | null }>('SELECT processes FROM agents WHERE id = ?', [id]);
    return r?.processes ? (JSON.parse(r.processes) as ProcessSnapshot) : null;
  }

  async delete(id: string): Promise<boolean> {
    return (await this.db.run('DELETE FROM agents WHERE id = ?', [id])).changes > 0;
  }
}
