import type { AgentStatus } from '../../protocol/agents.js';

/**
 * Status from heartbeat age: online while the last contact is within 3 intervals (at least
 * 30 s), stale up to 10 intervals (at least 5 min), offline after; `never` if it never reported.
 */
export function agentStatus(lastSeen: number | null, intervalMs: number | null, now: number): AgentStatus {
  if (lastSeen === null) return 'never';
  const interval = intervalMs ?? 10_000;
  const age = now - lastSeen;
  if (age <= Math.max(3 * interval, 30_000)) return 'online';
  if (age <= Math.max(10 * interval, 300_000)) return 'stale';
  return 'offline';
}
