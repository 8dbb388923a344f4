import type { QueryTier } from '../../../protocol/query.js';
import type { Clock } from '../../core/clock.js';
import { forEachConcurrent } from './for-each-concurrent.js';
import { VigilError } from '../../core/errors.js';
import { columnsOf, type AppendOutcome, type BucketReadResult, type BucketStats, type RawSeries, type SampleColumns, type SampleRow, type SampleStore, type SampleStoreStats } from '../../storage/sample-store.js';
import { encodeCheckpointParts } from '../codec/checkpoint-part.js';
import { MAX_TIMESTAMP_MS } from '../codec/chunk-format.js';
import { encodeLogRecord } from '../codec/log-record.js';
import { Head, type FinalChunk, type HeadOutcome } from '../head/head.js';
import { BucketGrid } from '../rollup/bucket-grid.js';
import { buildRollups, floorTo } from './build-rollups.js';
import { decodeStored, forEachSample, readSeriesSamples, type EngineContext } from './engine-context.js';
import { answeringTier, fillFromTier, pickTier } from './read-buckets.js';
import { PeerHeads } from './peer-heads.js';
import { recoverHead } from './recover-head.js';
import { DEFAULT_TSDB_OPTIONS, type TsdbCounters, type TsdbOptions } from './tsdb-options.js';
import { WriteLock } from './write-lock.js';
import { ROLLUP_WINDOW_MS, type PartFootprint, type RollupWindow, type StoredChunk, type TsdbPersistence } from './tsdb-persistence.js';

/**
 * The compressed time-series engine behind the `SampleStore` interface (DESIGN.md §3): an
 * in-memory head made durable by an append-only ingest log (one record per batch, acknowledged
 * after commit), compaction of finalized head chunks into compressed blobs, checkpoints that let
 * the log be trimmed, 1 m / 1 h rollups built from settled windows, and retention per tier.
 * Storage specifics sit behind {@link TsdbPersistence}.
 */
export class TsdbEngine implements SampleStore {
  /** Damage and work counters (also in `stats().counters`). */
  readonly counters: TsdbCounters = {
    corrupt_chunks: 0,
    corrupt_log_records: 0,
    corrupt_rollups: 0,
    corrupt_checkpoint_parts: 0,
    chunks_compacted: 0,
    rollups_built: 0,
    checkpoints: 0,
    samples_replayed: 0,
    samples_appended: 0,
  };
  private readonly ctx: EngineContext;
  private readonly lock = new WriteLock();
  /** Frozen chunks whose commit failed (e.g. disk full): retried first by the next compaction. */
  private pending: FinalChunk[] = [];
  private lastSeq = 0;
  private logBytes = 0;
  private lastCheckpointAt: number;
  private footprintCache: { at: number; value: Record<string, PartFootprint> } | null = null;
  private closed = false;
  private peerTimer: NodeJS.Timeout | null = null;
  /** Batches waiting for the next group commit. */
  private waiting: { batch: SampleColumns; resolve: (o: AppendOutcome[]) => void; reject: (err: unknown) => void }[] = [];
  /** Ingest rate (samples/s) measured between maintenance runs. */
  private rate = { at: 0, appended: 0, perSecond: 0 };

  private constructor(
    private readonly p: TsdbPersistence,
    private readonly clock: Clock,
    private readonly opts: TsdbOptions,
  ) {
    const peers = p.readPeers ? new PeerHeads((known) => p.readPeers!(known), opts) : null;
    this.ctx = { p, head: new Head(opts.head), opts, counters: this.counters, peers };
    this.lastCheckpointAt = clock.now();
  }

  /** Opens the engine over `persistence` and rebuilds the head from the checkpoint and the log. */
  static async open(persistence: TsdbPersistence, clock: Clock, options: Partial<TsdbOptions> = {}): Promise<TsdbEngine> {
    const opts: TsdbOptions = { ...DEFAULT_TSDB_OPTIONS, ...options, retention: { ...DEFAULT_TSDB_OPTIONS.retention, ...options.retention } };
    const engine = new TsdbEngine(persistence, clock, opts);
    engine.ctx.head.observeNow(clock.now());
    const recovered = await recoverHead(engine.ctx);
    engine.lastSeq = recovered.lastSeq;
    engine.logBytes = recovered.logBytes;
    engine.followPeers();
    return engine;
  }

  /**
   * Reads what the other writers appended or checkpointed since the last refresh (runs every
   * `peerPollMs` in the background; tests call it to not wait). No-op without peers support.
   */
  async refreshPeers(): Promise<void> {
    await this.ctx.peers?.refresh();
  }

  /** Starts the background follow of the other writers' heads, off the ingest path. */
  private followPeers(): void {
    const peers = this.ctx.peers;
    if (!peers || this.opts.peerPollMs <= 0) return;
    let failing = false;
    const tick = (): void => {
      this.peerTimer = null;
      if (this.closed) return;
      peers.refresh().then(
        () => {
          failing = false;
        },
        (err: unknown) => {
          // Logged once per outage; reads meanwhile show the peers' heads as of the last refresh.
          if (!failing) this.opts.log.warn('tsdb: following the other replicas\' heads failed; retrying', { error: String(err) });
          failing = true;
        },
      ).finally(() => {
        if (!this.closed) {
          this.peerTimer = setTimeout(tick, this.opts.peerPollMs);
          this.peerTimer.unref();
        }
      });
    };
    this.peerTimer = setTimeout(tick, 0);
    this.peerTimer.unref();
  }

  /** The head (tests and the settings page read its figures). */
  get head(): Head {
    return this.ctx.head;
  }

  /** Appends rows; see {@link TsdbEngine.appendColumns}. */
  append(rows: readonly SampleRow[]): Promise<AppendOutcome[]> {
    return this.appendColumns(columnsOf(rows));
  }

  /**
   * Appends a batch; resolves after the ingest-log record holding it is committed. Batches that
   * arrive in the same event-loop turn, or while an earlier commit is in progress, are committed
   * together (group commit: one transaction, one fsync for all of them), exactly as if they had
   * come one after another.
   */
  appendColumns(batch: SampleColumns): Promise<AppendOutcome[]> {
    try {
      checkColumns(batch);
    } catch (err) {
      return Promise.reject(err);
    }
    return new Promise((resolve, reject) => {
      this.waiting.push({ batch, resolve, reject });
      // The commit waits for the check phase, so requests whose bodies completed in the same
      // I/O poll share one transaction (a commit costs about as much as 100 samples).
      if (this.waiting.length === 1) setImmediate(() => void this.lock.run(() => this.commitWaiting()));
    });
  }

  private async commitWaiting(): Promise<void> {
    const group = this.waiting;
    this.waiting = [];
    try {
      const outcomes = await this.appendNow(group.length === 1 ? group[0]!.batch : concatColumns(group.map((g) => g.batch)));
      let at = 0;
      for (const g of group) {
        const n = g.batch.ts.length;
        g.resolve(group.length === 1 ? outcomes : outcomes.slice(at, at + n));
        at += n;
      }
    } catch (err) {
      for (const g of group) g.reject(err);
    }
  }

  private async appendNow(batch: SampleColumns): Promise<AppendOutcome[]> {
    this.assertOpen();
    const now = this.clock.now();
    const head = this.ctx.head;
    head.observeNow(now);
    // Samples older than raw retention are too old whatever the head or storage holds.
    const minTs = now - this.opts.retention.raw;
    const planned = head.plan(batch, minTs);
    await this.resolveOldAgainstStorage(batch, planned, minTs);
    let stored = 0;
    for (let i = 0; i < planned.length; i++) if (planned[i] === 'stored') stored++;
    if (stored > 0) {
      const rec = encodeLogRecord(batch, planned);
      this.lastSeq = await this.p.appendLog(rec);
      this.logBytes += rec.length;
      this.opts.onStep?.('append:logged');
      head.apply(batch, planned);
      this.counters.samples_appended += stored;
    }
    return planned;
  }

  async readRaw(seriesIds: readonly number[], start: number, end: number): Promise<Map<number, RawSeries>> {
    // Entries are created in request order; the reads then run a few at a time.
    const ids = [...new Set(seriesIds)];
    const out = new Map<number, RawSeries>(ids.map((id) => [id, { ts: [], values: [] }]));
    await forEachConcurrent(ids, async (id) => {
      const s = out.get(id)!;
      forEachSample(await readSeriesSamples(this.ctx, id, start, end), start, end, (t, v) => {
        s.ts.push(t);
        s.values.push(v);
      });
    });
    return out;
  }

  async readBuckets(seriesIds: readonly number[], start: number, end: number, step: number): Promise<BucketReadResult> {
    const tier = pickTier(step);
    const first = floorTo(start, step);
    const n = Math.max(0, Math.ceil((end - first) / step));
    const buckets = new Map<number, (BucketStats | null)[]>();
    let scanned = 0;
    const used = new Set<QueryTier>();
    const ids = [...new Set(seriesIds)];
    const grids = ids.map(() => new BucketGrid(first, step, n, start, end));
    // The reads run a few at a time; results are collected in request order afterwards.
    await forEachConcurrent(ids, async (id, i) => fillFromTier(this.ctx, id, tier, start, end, grids[i]!, used));
    ids.forEach((id, i) => {
      buckets.set(id, grids[i]!.buckets);
      scanned += grids[i]!.scanned;
    });
    return { tier: answeringTier(used, tier), buckets, samplesScanned: scanned };
  }

  async latest(seriesIds: readonly number[]): Promise<Map<number, { ts: number; value: number }>> {
    const out = new Map<number, { ts: number; value: number }>();
    for (const id of seriesIds) {
      const own = this.ctx.head.latest(id);
      const peer = this.ctx.peers?.latest(id);
      const fromHead = own && peer ? (peer.ts > own.ts ? peer : own) : (own ?? peer);
      if (fromHead) {
        out.set(id, fromHead);
        continue;
      }
      const last = await this.p.lastChunk(id);
      const d = last ? decodeStored(this.ctx, last) : null;
      if (d && d.ts.length > 0) out.set(id, { ts: d.ts[d.ts.length - 1]!, value: d.values[d.values.length - 1]! });
    }
    return out;
  }

  async stats(): Promise<SampleStoreStats> {
    const fp = await this.footprint();
    const hs = this.ctx.head.stats();
    this.measureRate(this.clock.now());
    const bytesByTier: Record<string, number> = {};
    const oldestByTier: Record<string, number | null> = {};
    for (const [part, f] of Object.entries(fp)) {
      bytesByTier[part] = f.bytes;
      oldestByTier[part] = f.oldest;
    }
    // Raw data also lives in the head until it is compacted.
    const rawOldest = oldestByTier['raw'] ?? null;
    if (hs.oldest !== null && (rawOldest === null || hs.oldest < rawOldest)) oldestByTier['raw'] = hs.oldest;
    const rawItems = fp.raw?.items;
    return {
      bytesByTier,
      samples: rawItems === null || rawItems === undefined ? null : rawItems + hs.samples,
      oldestByTier,
      retentionByTier: { ...this.opts.retention },
      counters: {
        ...this.counters,
        head_series: hs.series,
        head_samples: hs.samples,
        head_chunks: hs.chunks,
        head_bytes: hs.bytes,
        ingest_samples_per_second: this.rate.perSecond,
      },
    };
  }

  async maintain(now: number): Promise<void> {
    this.assertOpen();
    this.ctx.head.observeNow(now);
    this.measureRate(now);
    await this.lock.run(() => this.compact());
    await this.lock.run(() => this.checkpointIfDue(now, false));
    const headOpts = this.ctx.head.options;
    await buildRollups(this.ctx, now, headOpts.chunkMaxSpanMs + headOpts.oooWindowMs, this.opts.rollupBatch);
    await this.applyRetention(now);
  }

  /** Writes a checkpoint (so a restart replays little) and closes the persistence. Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    await this.lock.run(async () => {
      if (this.closed) return;
      this.closed = true;
      if (this.peerTimer) clearTimeout(this.peerTimer);
      // A refresh still reading must not outlive the persistence (its pool closes next).
      await this.ctx.peers?.settle();
      try {
        // Only a process that wrote samples checkpoints at close (a CLI command that merely opened
        // the store must not rewrite the running server's checkpoint for nothing).
        if (this.counters.samples_appended > 0) await this.checkpointIfDue(this.clock.now(), true);
      } catch (err) {
        this.opts.log.warn('tsdb: checkpoint at close failed; the log will be replayed instead', { error: String(err) });
      }
      await this.p.close();
    });
  }

  /**
   * Old samples the head cannot judge (at or before the series' persisted data) are looked up in
   * the stored chunk holding their timestamp: an exact repeat is a duplicate, another value a
   * conflict, anything else stays too old.
   */
  private async resolveOldAgainstStorage(batch: SampleColumns, planned: HeadOutcome[], minTs: number): Promise<void> {
    const head = this.ctx.head;
    const cache = new Map<string, Map<number, number>>();
    for (let i = 0; i < planned.length; i++) {
      if (planned[i] !== 'too_old') continue;
      const r = { seriesId: batch.seriesIds[i]!, ts: batch.ts[i]!, value: batch.values[i]! };
      if (r.ts < minTs || r.ts > head.persistedMaxTs(r.seriesId)) continue;
      const chunks = await this.p.readChunks(r.seriesId, r.ts, r.ts + 1);
      for (const c of chunks) {
        const key = `${c.seriesId}:${c.minTs}`;
        let m = cache.get(key);
        if (!m) {
          const d = decodeStored(this.ctx, c);
          m = new Map();
          if (d) for (let k = 0; k < d.ts.length; k++) m.set(d.ts[k]!, d.values[k]!);
          cache.set(key, m);
        }
        const v = m.get(r.ts);
        if (v !== undefined) planned[i] = Object.is(v, r.value) ? 'duplicate' : 'conflict';
      }
    }
  }

  /** Persists every chunk the head can no longer change, then drops them from the head. */
  private async compact(): Promise<void> {
    const chunks = [...this.pending, ...this.ctx.head.collectFinal()];
    if (chunks.length === 0) return;
    this.pending = chunks;
    const stored: StoredChunk[] = chunks.map((c) => ({ seriesId: c.seriesId, minTs: c.minTs, maxTs: c.maxTs, count: c.count, bytes: c.bytes }));
    await this.p.commitChunks(stored, minuteWindows(chunks));
    this.opts.onStep?.('compact:committed');
    this.ctx.head.releaseFinal(chunks);
    this.pending = [];
    this.counters.chunks_compacted += chunks.length;
  }

  /** Writes the head's chunks as a checkpoint and trims the log, when the log grew enough. */
  private async checkpointIfDue(now: number, force: boolean): Promise<void> {
    if (this.logBytes === 0) return;
    const due = force || this.logBytes >= this.opts.checkpointLogBytes || now - this.lastCheckpointAt >= this.opts.checkpointIntervalMs;
    if (!due) return;
    const parts = encodeCheckpointParts(this.ctx.head.chunks());
    await this.p.writeCheckpoint(this.lastSeq, parts);
    this.opts.onStep?.('checkpoint:written');
    this.logBytes = 0;
    this.lastCheckpointAt = now;
    this.counters.checkpoints++;
  }

  private async applyRetention(now: number): Promise<void> {
    const r = this.opts.retention;
    await this.p.deleteChunksBefore(now - r.raw);
    await this.p.deleteRollupsBefore('1m', now - r['1m']);
    await this.p.deleteRollupsBefore('1h', now - r['1h']);
    // Under the write lock: a batch between `plan` and `apply` may have just created the series.
    await this.lock.run(() => this.ctx.head.dropIdle(now - r.raw));
    this.opts.onStep?.('retention:done');
  }

  private async footprint(): Promise<Record<string, PartFootprint>> {
    const now = this.clock.now();
    if (!this.footprintCache || now - this.footprintCache.at >= this.opts.statsTtlMs) {
      this.footprintCache = { at: now, value: await this.p.footprint() };
    }
    return this.footprintCache.value;
  }

  /** Updates the ingest rate from the appended-samples counter (at most every 10 s of clock time). */
  private measureRate(now: number): void {
    const r = this.rate;
    if (r.at === 0) {
      r.at = now;
      r.appended = this.counters.samples_appended;
    } else if (now - r.at >= 10_000) {
      r.perSecond = ((this.counters.samples_appended - r.appended) * 1000) / (now - r.at);
      r.at = now;
      r.appended = this.counters.samples_appended;
    }
  }

  private assertOpen(): void {
    if (this.closed) throw new VigilError('VIGIL_ERR_STORAGE_UNAVAILABLE', 'the time-series store is closed');
  }
}

/** The 1 m rollup windows the chunks touch (they become dirty in the same commit). */
function minuteWindows(chunks: readonly FinalChunk[]): RollupWindow[] {
  const seen = new Set<string>();
  const out: RollupWindow[] = [];
  const W = ROLLUP_WINDOW_MS['1m'];
  for (const c of chunks) {
    for (let w = floorTo(c.minTs, W); w <= c.maxTs; w += W) {
      const key = `${c.seriesId}:${w}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({ tier: '1m', seriesId: c.seriesId, windowStart: w });
    }
  }
  return out;
}

/** Rejects samples that break the `SampleRow` contract before anything is written. */
function checkColumns(b: SampleColumns): void {
  const n = b.ts.length;
  if (b.seriesIds.length !== n || b.values.length !== n) throw new VigilError('VIGIL_ERR_VALIDATION', 'sample columns must have the same length');
  for (let i = 0; i < n; i++) {
    const id = b.seriesIds[i]!;
    const ts = b.ts[i]!;
    if (!Number.isSafeInteger(id) || id < 0 || !Number.isInteger(ts) || ts < 0 || ts > MAX_TIMESTAMP_MS || typeof b.values[i] !== 'number') {
      throw new VigilError('VIGIL_ERR_VALIDATION', `invalid sample (series ${id}, ts ${ts}): ids and timestamps must be non-negative integers below 2^52`);
    }
  }
}

/** One batch holding the samples of `batches` in order (group commit). */
function concatColumns(batches: readonly SampleColumns[]): SampleColumns {
  const n = batches.reduce((a, b) => a + b.ts.length, 0);
  const out = { seriesIds: new Float64Array(n), ts: new Float64Array(n), values: new Float64Array(n) };
  let at = 0;
  for (const b of batches) {
    out.seriesIds.set(b.seriesIds, at);
    out.ts.set(b.ts, at);
    out.values.set(b.values, at);
    at += b.ts.length;
  }
  return out;
}
