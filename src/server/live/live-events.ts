import type { LiveSeries } from '../../protocol/live.js';

/** Event type: samples were committed for one agent's host. */
export const SAMPLES_APPENDED = 'samples_appended';
/** Payload of {@link SAMPLES_APPENDED}. */
export interface SamplesAppended {
  agentId: string;
  host: string;
  series: LiveSeries[];
}

/** Event type: an agent registered, reported or changed (the overview refreshes it). */
export const AGENT_UPDATED = 'agent_updated';
/** Payload of {@link AGENT_UPDATED}. */
export interface AgentUpdated {
  agentId: string;
}
