import type { ProcessSnapshot } from './ingest.js';

/** Heartbeat status derived from the age of the agent's last contact. */
export type AgentStatus = 'online' | 'stale' | 'offline' | 'never';

/** Latest headline numbers of a host (percent, 0..100), `null` when not reported yet. */
export interface HostCurrent {
  cpuPercent: number | null;
  memoryPercent: number | null;
  diskPercent: number | null;
  load1: number | null;
}

/** One registered agent as listed by `GET /api/v1/agents`. */
export interface AgentView {
  id: string;
  name: string;
  hostname: string | null;
  os: string | null;
  osRelease: string | null;
  kernel: string | null;
  arch: string | null;
  agentVersion: string | null;
  intervalMs: number | null;
  cpuCount: number | null;
  memoryBytes: number | null;
  bootTime: number | null;
  capabilities: string[];
  unavailable: string[];
  createdAt: number;
  /** Last ingest or registration, ms since epoch; null if the agent never connected. */
  lastSeen: number | null;
  status: AgentStatus;
  current: HostCurrent;
  /** Samples the agent reports it dropped (spool overflow), monotonic. */
  droppedSamples: number;
  /** Last agent-reported error (e.g. auth failures while buffering), if any. */
  lastError: string | null;
}

/** `GET /api/v1/agents/:id` adds the latest top-processes snapshot. */
export interface AgentDetail extends AgentView {
  processes: ProcessSnapshot | null;
}
