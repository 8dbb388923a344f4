import type { LiveSeries } from '../../protocol/live.js';

/** Event type: samples were committed for one agent's host. */
export const SAMPLES_APPENDED = 'samples_appended';
/**
 * The samples of one series committed by one ingest call, as columns (the ingest path hands over
 * the arrays it parsed instead of building a `[ts, value]` pair per sample; the live topic makes
 * pairs only when a client is subscribed).
 */
export interface CommittedSeries {
  /** Stable series id (the same on every replica). */
  id?: number;
  metric: string;
  /** Labels including the server-stamped `host`. */
  labels: Record<string, string>;
  /** Timestamps (ms), ascending. */
  ts: readonly number[];
  /** Values parallel to `ts`. */
  values: readonly number[];
}

/** Payload of {@link SAMPLES_APPENDED}. */
export interface SamplesAppended {
  agentId: string;
  host: string;
  series: CommittedSeries[];
}

/** The wire form (`points` pairs) of committed series, for live clients. */
export function toLiveSeries(s: CommittedSeries): LiveSeries {
  const points: [number, number][] = new Array(s.ts.length);
  for (let i = 0; i < s.ts.length; i++) points[i] = [s.ts[i]!, s.values[i]!];
  return { ...(s.id !== undefined ? { id: s.id } : {}), metric: s.metric, labels: s.labels, points };
}

/** Event type: an agent registered, reported or changed (the overview refreshes it). */
export const AGENT_UPDATED = 'agent_updated';
/** Payload of {@link AGENT_UPDATED}. */
export interface AgentUpdated {
  agentId: string;
}
