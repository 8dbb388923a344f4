import type { SeriesInfo } from '../../../protocol/query.js';
import { compileMatcher, type Selector } from '../../../protocol/selector.js';
import type { Clock } from '../../core/clock.js';
import { seriesKey, sortLabels } from '../../core/labels.js';
import type { SeriesIndex, SeriesRef } from '../series-index.js';
import type { SqlDb } from '../sql-db.js';

interface Entry {
  id: number;
  metric: string;
  labels: Record<string, string>;
  agentId: string | null;
}

interface SeriesRow {
  id: number;
  metric: string;
  labels: string;
  key: string;
  agent_id: string | null;
}

/**
 * Series index over the `series` table with an in-memory inverted index (metric → ids,
 * label pair → ids). Selectors are answered from memory; new series are inserted with
 * `ON CONFLICT DO NOTHING` so concurrent writers (or replicas) agree on one id per key.
 */
export class SqlSeriesIndex implements SeriesIndex {
  private readonly byId = new Map<number, Entry>();
  private readonly byKey = new Map<string, number>();
  private readonly byMetric = new Map<string, Set<number>>();
  private readonly byPair = new Map<string, Set<number>>();
  private readonly perAgent = new Map<string, number>();
  private maxId = 0;

  constructor(
    private readonly db: SqlDb,
    private readonly clock: Clock,
  ) {}

  /** Loads series created since the last refresh (all of them on first call). */
  async refresh(): Promise<void> {
    const rows = await this.db.all<SeriesRow>('SELECT id, metric, labels, key, agent_id FROM series WHERE id > ? ORDER BY id', [this.maxId]);
    for (const r of rows) this.add(r);
  }

  private add(r: SeriesRow): void {
    if (this.byId.has(r.id)) return;
    const e: Entry = { id: r.id, metric: r.metric, labels: JSON.parse(r.labels) as Record<string, string>, agentId: r.agent_id };
    this.byId.set(e.id, e);
    this.byKey.set(r.key, e.id);
    addTo(this.byMetric, e.metric, e.id);
    for (const [n, v] of Object.entries(e.labels)) addTo(this.byPair, pairKey(n, v), e.id);
    if (e.agentId) this.perAgent.set(e.agentId, (this.perAgent.get(e.agentId) ?? 0) + 1);
    if (e.id > this.maxId) this.maxId = e.id;
  }

  async resolve(refs: readonly SeriesRef[], limitPerAgent: number): Promise<(number | null)[]> {
    const keys = refs.map((r) => seriesKey(r.metric, r.labels));
    if (keys.some((k) => !this.byKey.has(k))) {
      await this.refresh();
      await this.createMissing(refs, keys, limitPerAgent);
    }
    return keys.map((k) => this.byKey.get(k) ?? null);
  }

  private async createMissing(refs: readonly SeriesRef[], keys: string[], limitPerAgent: number): Promise<void> {
    const now = this.clock.now();
    const pending = new Map<string, SeriesRef>();
    const planned = new Map<string, number>();
    refs.forEach((ref, i) => {
      const key = keys[i] as string;
      if (this.byKey.has(key) || pending.has(key)) return;
      const agent = ref.agentId ?? '';
      const used = (this.perAgent.get(agent) ?? 0) + (planned.get(agent) ?? 0);
      if (ref.agentId && used >= limitPerAgent) return;
      planned.set(agent, (planned.get(agent) ?? 0) + 1);
      pending.set(key, ref);
    });
    if (pending.size === 0) return;
    await this.db.transaction(async (tx) => {
      // `refresh` reads ids above the largest one seen, so ids must become visible in order. SQLite
      // runs one write transaction at a time; on PostgreSQL concurrent creators (requests, replicas)
      // would commit ids out of order and a refresh could skip the lower ones forever: serialize.
      if (tx.dialect === 'postgres') await tx.run('LOCK TABLE series IN EXCLUSIVE MODE');
      for (const [key, ref] of pending) {
        await tx.run('INSERT INTO series (metric, labels, key, agent_id, created_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (key) DO NOTHING', [
          ref.metric,
          JSON.stringify(sortLabels(ref.labels)),
          key,
          ref.agentId,
          now,
        ]);
      }
    });
    await this.refresh();
  }

  async select(selector: Selector, limit: number): Promise<{ series: SeriesInfo[]; truncated: boolean }> {
    await this.refresh();
    const ids = this.matchIds(selector);
    const entries = [...ids].map((id) => this.byId.get(id) as Entry);
    entries.sort(compareEntries);
    const truncated = entries.length > limit;
    return { series: entries.slice(0, limit).map(toInfo), truncated };
  }

  /** Ids matching the selector; candidates come from the most selective equality posting list. */
  private matchIds(selector: Selector): Set<number> {
    let candidates: Set<number> | null = selector.metric !== null ? (this.byMetric.get(selector.metric) ?? new Set()) : null;
    for (const m of selector.matchers) {
      if (m.op !== '=' || m.value === '') continue;
      const posting = this.byPair.get(pairKey(m.name, m.value)) ?? new Set<number>();
      if (!candidates || posting.size < candidates.size) candidates = posting;
    }
    const pool = candidates ?? new Set(this.byId.keys());
    const tests = selector.matchers.map((m) => ({ name: m.name, test: compileMatcher(m) }));
    const out = new Set<number>();
    for (const id of pool) {
      const e = this.byId.get(id) as Entry;
      if (selector.metric !== null && e.metric !== selector.metric) continue;
      if (tests.every((t) => t.test(e.labels[t.name] ?? ''))) out.add(id);
    }
    return out;
  }

  async get(ids: readonly number[]): Promise<SeriesInfo[]> {
    if (ids.some((id) => !this.byId.has(id))) await this.refresh();
    return ids.flatMap((id) => {
      const e = this.byId.get(id);
      return e ? [toInfo(e)] : [];
    });
  }

  async metricNames(): Promise<string[]> {
    await this.refresh();
    return [...this.byMetric.keys()].sort();
  }

  async labelNames(selector: Selector | null): Promise<string[]> {
    await this.refresh();
    const ids = selector ? this.matchIds(selector) : this.byId.keys();
    const names = new Set<string>();
    for (const id of ids) for (const n of Object.keys((this.byId.get(id) as Entry).labels)) names.add(n);
    return [...names].sort();
  }

  async labelValues(name: string, selector: Selector | null): Promise<string[]> {
    await this.refresh();
    const ids = selector ? this.matchIds(selector) : this.byId.keys();
    const values = new Set<string>();
    for (const id of ids) {
      const v = (this.byId.get(id) as Entry).labels[name];
      if (v !== undefined) values.add(v);
    }
    return [...values].sort();
  }

  async countForAgent(agentId: string): Promise<number> {
    return this.perAgent.get(agentId) ?? 0;
  }
}

function pairKey(name: string, value: string): string {
  return `${name}\u0000${value}`;
}

function addTo(map: Map<string, Set<number>>, key: string, id: number): void {
  let set = map.get(key);
  if (!set) map.set(key, (set = new Set()));
  set.add(id);
}

function toInfo(e: Entry): SeriesInfo {
  return { id: e.id, metric: e.metric, labels: e.labels };
}

function compareEntries(a: Entry, b: Entry): number {
  if (a.metric !== b.metric) return a.metric < b.metric ? -1 : 1;
  const ka = JSON.stringify(a.labels);
  const kb = JSON.stringify(b.labels);
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}
