import type { IngestResult, ItemError } from '../../protocol/ingest.js';
import type { AgentPrincipal } from '../auth/principal.js';
import type { Clock } from '../core/clock.js';
import { VigilError } from '../core/errors.js';
import type { EventBus } from '../live/event-bus.js';
import { AGENT_UPDATED, SAMPLES_APPENDED, type CommittedSeries, type SamplesAppended } from '../live/live-events.js';
import type { AgentRepo } from '../storage/agent-repo.js';
import type { IdempotencyRepo } from '../storage/idempotency-repo.js';
import type { AppendOutcome, SampleColumns, SampleStore } from '../storage/sample-store.js';
import type { SeriesIndex } from '../storage/series-index.js';
import { SeriesIdCache, type ResolvedSeries } from './series-id-cache.js';
import { parseIngestBatch, type ParsedBatch, type ParsedSeries } from './parse-batch.js';

/** Ingest limits (config). */
export interface IngestLimits {
  /** Oldest accepted sample age, ms (default: raw retention). */
  maxSampleAgeMs: number;
  /** Series one agent key may create (default 20,000). */
  maxSeriesPerAgent: number;
}

/** Counters exported on `/metrics`. */
export interface IngestCounters {
  samplesStored: number;
  samplesDuplicate: number;
  samplesRejected: number;
  batches: number;
  batchesReplayed: number;
}

/** Answer of one ingest call: HTTP status and body. */
export interface IngestAnswer {
  status: number;
  body: IngestResult;
}

/** A parsed series with its id and the index of its first row in the appended batch. */
interface Placed {
  series: ParsedSeries;
  id: number;
  /** Full labels (with `host`), shared by every batch of the series. */
  labels: Readonly<Record<string, string>>;
  first: number;
}

const ERRORS_LISTED_MAX = 100;
/** An agent's `last_seen` is written at most this often (ms) while nothing else changes. */
const TOUCH_MIN_INTERVAL_MS = 1000;
/** Idempotency-Key values are opaque strings of at most this many characters. */
const IDEMPOTENCY_KEY_RE = /^[\x21-\x7e]{1,200}$/;

/**
 * The ingest path: validate → resolve series (stamping `host` from the key) → append in one
 * transaction → answer. The 2xx is returned only after the store committed. A repeated
 * Idempotency-Key returns the first answer without touching storage.
 */
export class IngestService {
  readonly counters: IngestCounters = { samplesStored: 0, samplesDuplicate: 0, samplesRejected: 0, batches: 0, batchesReplayed: 0 };
  private readonly lastTouch = new Map<string, { at: number; signature: string }>();
  private readonly seriesIds: SeriesIdCache;

  constructor(
    private readonly deps: { series: SeriesIndex; samples: SampleStore; agents: AgentRepo; idempotency: IdempotencyRepo; bus: EventBus; clock: Clock },
    private readonly limits: IngestLimits,
  ) {
    this.seriesIds = new SeriesIdCache(deps.series);
  }

  async ingest(agent: AgentPrincipal, body: unknown, idempotencyKey: string | null): Promise<IngestAnswer> {
    if (idempotencyKey !== null && !IDEMPOTENCY_KEY_RE.test(idempotencyKey)) {
      throw new VigilError('VIGIL_ERR_BAD_REQUEST', 'Idempotency-Key must be 1-200 printable ASCII characters');
    }
    if (idempotencyKey) {
      const prior = await this.deps.idempotency.get(agent.agentId, idempotencyKey);
      if (prior) {
        this.counters.batchesReplayed++;
        return { status: prior.status, body: { ...(JSON.parse(prior.body) as IngestResult), replayed: true } };
      }
    }
    const now = this.deps.clock.now();
    const parsed = parseIngestBatch(body, { now, maxAgeMs: this.limits.maxSampleAgeMs });
    const errs: ItemError[] = [...parsed.errors];
    const ids = await this.seriesIds.resolve(agent.agentId, agent.agentName, parsed.series, this.limits.maxSeriesPerAgent);
    const { batch, placed, limitRejected } = this.toColumns(parsed.series, ids, errs);
    const outcomes = batch.ts.length > 0 ? await this.deps.samples.appendColumns(batch) : [];
    const tally = this.tally(outcomes, placed, errs);
    await this.afterCommit(agent, parsed, placed, outcomes, now);
    const rejected = parsed.rejectedPoints + tally.rejected + limitRejected;
    const answer: IngestAnswer = {
      status: rejected === 0 ? 200 : 422,
      body: { accepted: tally.stored + tally.duplicates, duplicates: tally.duplicates, rejected, errors: errs.sort(byPosition).slice(0, ERRORS_LISTED_MAX) },
    };
    this.count(tally, rejected);
    if (idempotencyKey) await this.deps.idempotency.put(agent.agentId, idempotencyKey, now, { status: answer.status, body: JSON.stringify(answer.body) });
    return answer;
  }

  /** The samples of the series that got an id, as one columnar batch (series by series). */
  private toColumns(series: ParsedSeries[], ids: (ResolvedSeries | null)[], errs: ItemError[]): { batch: SampleColumns; placed: Placed[]; limitRejected: number } {
    const placed: Placed[] = [];
    let limitRejected = 0;
    let n = 0;
    series.forEach((s, i) => {
      const resolved = ids[i];
      if (resolved === null || resolved === undefined) {
        errs.push({ index: s.index, code: 'VIGIL_ERR_SERIES_LIMIT', message: `this agent reached its limit of ${this.limits.maxSeriesPerAgent} series; new series are rejected` });
        limitRejected += s.ts.length;
        return;
      }
      placed.push({ series: s, id: resolved.id, labels: resolved.labels, first: n });
      n += s.ts.length;
    });
    const batch = { seriesIds: new Float64Array(n), ts: new Float64Array(n), values: new Float64Array(n) };
    // Plain loops: most series carry one or a few points, where `fill`/`set` calls cost more.
    for (const { series: s, id, first } of placed) {
      for (let p = 0; p < s.ts.length; p++) {
        batch.seriesIds[first + p] = id;
        batch.ts[first + p] = s.ts[p]!;
        batch.values[first + p] = s.values[p]!;
      }
    }
    return { batch, placed, limitRejected };
  }

  private tally(outcomes: AppendOutcome[], placed: Placed[], errs: ItemError[]) {
    let stored = 0;
    let duplicates = 0;
    let rejected = 0;
    for (const { series, first } of placed) {
      for (let p = 0; p < series.ts.length; p++) {
        const o = outcomes[first + p];
        if (o === 'stored') stored++;
        else if (o === 'duplicate') duplicates++;
        else {
          rejected++;
          errs.push({
            index: series.index,
            point: series.pointIndex ? (series.pointIndex[p] as number) : p,
            code: o === 'conflict' ? 'VIGIL_ERR_DUPLICATE_TIMESTAMP' : 'VIGIL_ERR_OUT_OF_ORDER',
            message: o === 'conflict' ? 'a different value is already stored at this timestamp' : 'sample is older than the accepted out-of-order window for this series',
          });
        }
      }
    }
    return { stored, duplicates, rejected };
  }

  private async afterCommit(agent: AgentPrincipal, parsed: ParsedBatch, placed: Placed[], outcomes: AppendOutcome[], now: number): Promise<void> {
    await this.touchAgent(agent.agentId, now, parsed.agentStats);
    if (parsed.processes) await this.deps.agents.saveProcesses(agent.agentId, parsed.processes);
    const live: CommittedSeries[] = [];
    for (const { series, id, labels, first } of placed) {
      const n = series.ts.length;
      let stored = 0;
      for (let p = 0; p < n; p++) if (outcomes[first + p] === 'stored') stored++;
      if (stored === n) live.push({ id, metric: series.metric, labels, ts: series.ts, values: series.values });
      else if (stored > 0) live.push(storedOnly(id, series, labels, outcomes, first));
    }
    if (live.length > 0) {
      const event: SamplesAppended = { agentId: agent.agentId, host: agent.agentName, series: live };
      this.deps.bus.publish({ type: SAMPLES_APPENDED, data: event });
    }
    this.deps.bus.publish({ type: AGENT_UPDATED, data: { agentId: agent.agentId } });
  }

  /**
   * Records the heartbeat at most once per second per agent (unless its self-reported counters
   * changed), so a fast backlog drain does not turn into one extra write per batch.
   */
  private async touchAgent(agentId: string, now: number, stats: ParsedBatch['agentStats']): Promise<void> {
    const signature = stats ? `${stats.droppedSamples}|${stats.lastError ?? ''}` : '';
    const last = this.lastTouch.get(agentId);
    if (last && now - last.at < TOUCH_MIN_INTERVAL_MS && last.signature === signature) return;
    this.lastTouch.set(agentId, { at: now, signature });
    await this.deps.agents.touch(agentId, now, stats ? { droppedSamples: stats.droppedSamples, lastError: stats.lastError ?? null } : {});
  }

  private count(t: { stored: number; duplicates: number }, rejected: number): void {
    this.counters.batches++;
    this.counters.samplesStored += t.stored;
    this.counters.samplesDuplicate += t.duplicates;
    this.counters.samplesRejected += rejected;
  }
}

/** The samples of `series` that were stored (retries mix stored samples with duplicates). */
function storedOnly(id: number, series: ParsedSeries, labels: Readonly<Record<string, string>>, outcomes: readonly AppendOutcome[], first: number): CommittedSeries {
  const ts: number[] = [];
  const values: number[] = [];
  for (let p = 0; p < series.ts.length; p++) {
    if (outcomes[first + p] !== 'stored') continue;
    ts.push(series.ts[p]!);
    values.push(series.values[p]!);
  }
  return { id, metric: series.metric, labels, ts, values };
}

function byPosition(a: ItemError, b: ItemError): number {
  return a.index - b.index || (a.point ?? -1) - (b.point ?? -1);
}
