import type { SeriesIndex, SeriesRef } from '../storage/series-index.js';
import type { ParsedSeries } from './parse-batch.js';

/** Entries kept per agent before the cache for that agent is cleared (bounded memory). */
const MAX_PER_AGENT = 100_000;

/** A resolved series: its id and its full label set (with the server-stamped `host`), frozen. */
export interface ResolvedSeries {
  id: number;
  labels: Readonly<Record<string, string>>;
}

/**
 * Per-agent cache of series ids keyed by the parser's series key (`ParsedSeries.key`). A batch of
 * known series then costs one map lookup per item instead of a canonical key and an index call.
 * Ids never change once assigned, so the cache needs no invalidation.
 */
export class SeriesIdCache {
  private readonly byAgent = new Map<string, Map<string, ResolvedSeries>>();

  constructor(private readonly index: SeriesIndex) {}

  /**
   * Id and full labels for each parsed series of one agent (`null` where the agent's series limit
   * was hit). The labels object is shared by every batch of the series (so live events need no
   * copy per batch) and frozen.
   */
  async resolve(agentId: string, host: string, series: readonly ParsedSeries[], limitPerAgent: number): Promise<(ResolvedSeries | null)[]> {
    let cache = this.byAgent.get(agentId);
    if (!cache) this.byAgent.set(agentId, (cache = new Map()));
    const keys = series.map((s) => s.key);
    const ids: (ResolvedSeries | null)[] = keys.map((k) => cache.get(k) ?? null);
    const missing: number[] = [];
    ids.forEach((id, i) => id === null && missing.push(i));
    if (missing.length === 0) return ids;
    const refs: SeriesRef[] = missing.map((i) => ({ metric: (series[i] as ParsedSeries).metric, labels: Object.freeze({ ...(series[i] as ParsedSeries).labels, host }), agentId }));
    const resolved = await this.index.resolve(refs, limitPerAgent);
    if (cache.size + missing.length > MAX_PER_AGENT) cache.clear();
    missing.forEach((i, j) => {
      const id = resolved[j] ?? null;
      const entry = id === null ? null : { id, labels: refs[j]!.labels };
      ids[i] = entry;
      if (entry) cache.set(keys[i] as string, entry);
    });
    return ids;
  }
}
