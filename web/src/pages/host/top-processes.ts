import type { ProcessInfo } from '../../../../src/protocol/ingest.js';

/** Column the process table is sorted by. */
export type ProcessSort = 'cpu' | 'memory';

/** Rows shown (the agent sends the top N by CPU and by memory; their union can be larger). */
export const PROCESS_ROWS = 20;

/** The top processes of a snapshot by CPU or resident memory, highest first (ties by pid). */
export function topProcesses(processes: readonly ProcessInfo[], sort: ProcessSort, limit = PROCESS_ROWS): ProcessInfo[] {
  const key = sort === 'cpu' ? (p: ProcessInfo) => p.cpuPercent : (p: ProcessInfo) => p.memoryBytes;
  return [...processes].sort((a, b) => key(b) - key(a) || a.pid - b.pid).slice(0, limit);
}
