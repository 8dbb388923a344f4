import type { AgentStatus, AgentView } from '../../../../src/protocol/agents.js';

/**
 * Replaces the agent with the same id (or adds it) and keeps the list sorted by name, so a live
 * update never reorders rows unexpectedly.
 */
export function upsertAgent(list: readonly AgentView[], agent: AgentView): AgentView[] {
  const next = list.filter((a) => a.id !== agent.id);
  next.push(agent);
  return sortAgents(next);
}

/** Sorts by name (natural order: web-2 before web-10), then id. */
export function sortAgents(list: readonly AgentView[]): AgentView[] {
  return [...list].sort((a, b) => a.name.localeCompare(b.name, undefined, { numeric: true }) || a.id.localeCompare(b.id));
}

/** Number of agents per status, for the overview's summary line. */
export function countByStatus(list: readonly AgentView[]): Record<AgentStatus, number> {
  const counts: Record<AgentStatus, number> = { online: 0, stale: 0, offline: 0, never: 0 };
  for (const a of list) counts[a.status] = (counts[a.status] ?? 0) + 1;
  return counts;
}

/** Describes the operating system in one line, e.g. "Debian GNU/Linux 12 · 6.1.0 · x64". */
export function describeOs(a: Pick<AgentView, 'os' | 'osRelease' | 'kernel' | 'arch'>): string {
  const parts = [a.osRelease ?? a.os, a.kernel, a.arch].filter((p): p is string => typeof p === 'string' && p.length > 0);
  return parts.length ? parts.join(' · ') : '–';
}
