import type { AgentView } from '../../../protocol/agents.js';
import type { AgentService } from '../../agents/agent-service.js';
import type { Clock } from '../../core/clock.js';
import type { LiveTopic } from '../live-topic.js';
import { AGENT_UPDATED, type AgentUpdated } from '../live-events.js';

/** An agent's overview row is recomputed at most this often (ms) however often it reports. */
const MIN_INTERVAL_MS = 1000;

/** Overview rows of agents as they report or register. */
export function agentsTopic(agents: AgentService, clock: Clock): LiveTopic<AgentView, Record<string, never>> {
  const lastSent = new Map<string, number>();
  return {
    name: 'agents',
    permission: 'read:overview',
    eventTypes: [AGENT_UPDATED],
    parseFilter: () => ({}),
    async prepare(event) {
      const { agentId } = event.data as AgentUpdated;
      const now = clock.now();
      if (now - (lastSent.get(agentId) ?? 0) < MIN_INTERVAL_MS) return null;
      lastSent.set(agentId, now);
      const record = await agents.get(agentId);
      return record ? agents.view(record) : null;
    },
    select: (agent) => ({ type: 'agent', agent }),
  };
}
