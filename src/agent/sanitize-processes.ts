import type { ProcessInfo } from '../protocol/ingest.js';

/** Most processes in one snapshot (the wire schema's `maxItems`). */
export const PROCESSES_MAX = 200;

/**
 * Keeps the well-formed entries of a collector's process list (integer pid, non-empty name,
 * finite non-negative CPU % and memory), at most {@link PROCESSES_MAX}; strings are cut to sane
 * lengths. Unknown fields are dropped so a plugin cannot smuggle data into the snapshot.
 */
export function sanitizeProcesses(list: unknown): ProcessInfo[] {
  if (!Array.isArray(list)) return [];
  const out: ProcessInfo[] = [];
  for (const p of list) {
    if (out.length >= PROCESSES_MAX) break;
    if (typeof p !== 'object' || p === null) continue;
    const x = p as Record<string, unknown>;
    const num = (v: unknown) => typeof v === 'number' && Number.isFinite(v) && v >= 0;
    if (!Number.isSafeInteger(x.pid) || typeof x.name !== 'string' || x.name === '' || !num(x.cpuPercent) || !num(x.memoryBytes)) continue;
    const info: ProcessInfo = { pid: x.pid as number, name: x.name.slice(0, 256), cpuPercent: x.cpuPercent as number, memoryBytes: x.memoryBytes as number };
    if (typeof x.user === 'string') info.user = x.user.slice(0, 64);
    if (typeof x.state === 'string') info.state = x.state.slice(0, 16);
    if (num(x.memoryPercent)) info.memoryPercent = x.memoryPercent as number;
    if (typeof x.command === 'string') info.command = x.command.slice(0, 1024);
    out.push(info);
  }
  return out;
}
