import type { AgentHello, ProcessSnapshot } from '../../protocol/ingest.js';

/** A stored agent row (relational part; headline numbers come from the sample store). */
export interface AgentRecord {
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
  lastSeen: number | null;
  droppedSamples: number;
  lastError: string | null;
  disabled: boolean;
}

/** Persistence of agents. */
export interface AgentRepo {
  create(agent: { id: string; name: string; createdAt: number }): Promise<void>;
  get(id: string): Promise<AgentRecord | null>;
  getByName(name: string): Promise<AgentRecord | null>;
  list(): Promise<AgentRecord[]>;
  /** Stores the facts of a registration and marks the agent seen at `at`. */
  register(id: string, hello: AgentHello, at: number): Promise<void>;
  /** Marks the agent seen at `at` with its latest self-reported counters. */
  touch(id: string, at: number, stats: { droppedSamples?: number; lastError?: string | null }): Promise<void>;
  saveProcesses(id: string, snapshot: ProcessSnapshot): Promise<void>;
  getProcesses(id: string): Promise<ProcessSnapshot | null>;
  delete(id: string): Promise<boolean>;
}
