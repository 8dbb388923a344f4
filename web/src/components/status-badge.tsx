import type { AgentStatus } from '../../../src/protocol/agents.js';

const LABELS: Record<AgentStatus, string> = { online: 'online', stale: 'stale', offline: 'offline', never: 'never seen' };

/** An agent's heartbeat status as a coloured badge; the word is always shown (not colour only). */
export function StatusBadge({ status }: { status: AgentStatus }) {
  return (
    <span class={`badge status-${status}`} data-status={status}>
      <span class="badge-dot" aria-hidden="true" />
      {LABELS[status] ?? status}
    </span>
  );
}
