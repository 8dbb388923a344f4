import type { Selector } from '../../protocol/selector.js';
import type { SeriesInfo } from '../../protocol/query.js';
import type { Labels } from '../core/labels.js';

/** A series to resolve to an id; `agentId` records which agent created it (for per-key limits). */
export interface SeriesRef {
  metric: string;
  labels: Labels;
  agentId: string | null;
}

/**
 * Maps (metric, labels) to stable integer series ids and answers selector lookups. Ids are never
 * reused. With several replicas each one refreshes from the database, so an id created by one
 * replica is found by the others.
 */
export interface SeriesIndex {
  /** Returns the id of each ref, creating missing series. `null` where the agent's series limit is hit. */
  resolve(refs: readonly SeriesRef[], limitPerAgent: number): Promise<(number | null)[]>;
  /** Series matching the selector, up to `limit` (sorted by metric then labels). */
  select(selector: Selector, limit: number): Promise<{ series: SeriesInfo[]; truncated: boolean }>;
  /** Info for ids (unknown ids are absent). */
  get(ids: readonly number[]): Promise<SeriesInfo[]>;
  /** Distinct metric names. */
  metricNames(): Promise<string[]>;
  /** Label names used by series matching `selector` (all series when null). */
  labelNames(selector: Selector | null): Promise<string[]>;
  /** Values of `name` among series matching `selector` (all series when null). */
  labelValues(name: string, selector: Selector | null): Promise<string[]>;
  /** Number of series created by an agent. */
  countForAgent(agentId: string): Promise<number>;
}
