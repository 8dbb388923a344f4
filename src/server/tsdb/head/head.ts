import type { DecodedChunk } from '../codec/decode-chunk.js';
import { HeadChunk } from './head-chunk.js';
import { DEFAULT_HEAD_OPTIONS, type HeadOptions } from './head-options.js';

/** Samples as parallel columns (same shape as the sample store's `SampleColumns`; the head stays free of storage imports). */
export interface HeadColumns {
  seriesIds: ArrayLike<number>;
  /** ms since the epoch, integers in [0, 2^52). */
  ts: ArrayLike<number>;
  values: ArrayLike<number>;
}

/**
 * What `plan` decided for a sample: `stored` (new), `duplicate` (same value already held, no-op),
 * `conflict` (another value held at that timestamp) or `too_old` (outside the out-of-order window,
 * or at/before data already finalized; the caller may still find it as a duplicate in storage).
 */
export type HeadOutcome = 'stored' | 'duplicate' | 'conflict' | 'too_old';

/** A chunk frozen by `collectFinal`, to be persisted and then released with `releaseFinal`. */
export interface FinalChunk {
  seriesId: number;
  minTs: number;
  maxTs: number;
  count: number;
  bytes: Uint8Array;
  /** The head's own chunk object, so `releaseFinal` removes exactly this one. */
  readonly ref: HeadChunk;
}

/** Figures for stats and tests. */
export interface HeadStats {
  series: number;
  chunks: number;
  samples: number;
  bytes: number;
  /** Oldest sample timestamp held (ms), null when empty. */
  oldest: number | null;
}

/** Series ids below this are also kept in a plain array (see `Head.dense`): 4 Mi entries at most. */
const DENSE_IDS = 1 << 22;

class SeriesHead {
  /** Ascending, non-overlapping. The last one may be open. */
  chunks: HeadChunk[] = [];
  /** Newest timestamp ever held for the series (head or persisted), -Infinity when none. */
  newest = -Infinity;
  newestValue = 0;
  hasNewestValue = false;
  /** Newest timestamp already persisted in a chunk of the store. */
  persistedMaxTs = -Infinity;
  /** `plan` bookkeeping: newest timestamp including earlier rows of the batch being planned. */
  batchEpoch = 0;
  batchNewest = -Infinity;
}

/**
 * The in-memory head of the time-series engine: per series, the newest samples in open and
 * closed chunks, with the out-of-order rules of `HeadOptions`. Pure (no I/O, no clock: the engine
 * passes time in through `observeNow`). Appending is two-phase so the caller can make a batch
 * durable in between: `plan` classifies without changing anything, `apply` inserts the samples
 * planned as `stored`.
 */
export class Head {
  private readonly series = new Map<number, SeriesHead>();
  /**
   * The same series indexed by id for ids below `DENSE_IDS` (series ids are database row ids, so
   * dense): an array load is several times cheaper than a Map lookup on the append path.
   */
  private readonly dense: (SeriesHead | undefined)[] = [];
  private readonly opts: HeadOptions;
  private clockNow = -Infinity;
  private epoch = 0;

  constructor(opts: Partial<HeadOptions> = {}) {
    this.opts = { ...DEFAULT_HEAD_OPTIONS, ...opts };
  }

  /** The options in force. */
  get options(): Readonly<HeadOptions> {
    return this.opts;
  }

  /** Advances the head's notion of now (ms); earlier values are ignored (monotonic). */
  observeNow(now: number): void {
    if (now > this.clockNow) this.clockNow = now;
  }

  /** Records that storage already holds chunks of `seriesId` up to `maxTs` (at startup). */
  setPersisted(seriesId: number, maxTs: number): void {
    const s = this.getOrCreate(seriesId);
    if (maxTs > s.persistedMaxTs) s.persistedMaxTs = maxTs;
    if (maxTs > s.newest) {
      s.newest = maxTs;
      s.hasNewestValue = false;
    }
  }

  /** Newest persisted timestamp of a series (-Infinity when none): older samples need a storage check. */
  persistedMaxTs(seriesId: number): number {
    return this.lookup(seriesId)?.persistedMaxTs ?? -Infinity;
  }

  /**
   * Classifies each sample against the head and the earlier samples of the same batch, without
   * changing any sample. Samples are planned in order, as `apply` will insert them. Samples older
   * than `minTs` (ms; e.g. raw retention) are `too_old` whatever the head holds.
   */
  plan(batch: HeadColumns, minTs = -Infinity): HeadOutcome[] {
    const epoch = ++this.epoch;
    const { seriesIds, ts, values } = batch;
    const n = ts.length;
    const out = new Array<HeadOutcome>(n);
    let overlay: Map<number, Map<number, number>> | null = null;
    for (let i = 0; i < n; i++) {
      const t = ts[i]!;
      if (t < minTs) {
        out[i] = 'too_old';
        continue;
      }
      const id = seriesIds[i]!;
      const s = this.getOrCreate(id);
      if (s.batchEpoch !== epoch) {
        s.batchEpoch = epoch;
        s.batchNewest = s.newest;
      }
      if (t > s.batchNewest) {
        out[i] = 'stored';
        s.batchNewest = t;
        if (overlay) remember(overlay, id, t, values[i]!);
        continue;
      }
      // Rare path (retries, out-of-order): index the batch's stored samples once, then keep it current.
      overlay ??= indexStored(batch, out, i);
      const outcome = this.classifyOld(s, id, t, values[i]!, overlay);
      out[i] = outcome;
      if (outcome === 'stored') remember(overlay, id, t, values[i]!);
    }
    return out;
  }

  /** Inserts the samples whose outcome is `stored` (the result of `plan` on the same batch). */
  apply(batch: HeadColumns, outcomes: readonly HeadOutcome[]): void {
    const { seriesIds, ts, values } = batch;
    for (let i = 0; i < ts.length; i++) {
      if (outcomes[i] !== 'stored') continue;
      this.insert(this.getOrCreate(seriesIds[i]!), ts[i]!, values[i]!);
    }
  }

  /**
   * Re-inserts a sample from the ingest log or a head snapshot at startup. Samples at or before the
   * series' persisted data and exact repeats are skipped. Returns whether it was inserted.
   */
  replay(seriesId: number, ts: number, value: number): boolean {
    const s = this.getOrCreate(seriesId);
    if (ts <= s.persistedMaxTs) return false;
    if (ts <= s.newest && this.findValue(s, ts) !== undefined) return false;
    this.insert(s, ts, value);
    return true;
  }

  /**
   * Restores a whole chunk from a checkpoint: kept as it is (no re-encoding) when it lies after
   * everything the series holds, else replayed sample by sample. Returns the samples inserted.
   */
  restoreChunk(seriesId: number, ts: Float64Array, values: Float64Array, bytes: Uint8Array): number {
    const n = ts.length;
    if (n === 0) return 0;
    const s = this.getOrCreate(seriesId);
    if (ts[0]! > s.newest && ts[0]! > s.persistedMaxTs) {
      s.chunks.push(HeadChunk.closedFrom(bytes, ts[0]!, ts[n - 1]!, n));
      s.newest = ts[n - 1]!;
      s.newestValue = values[n - 1]!;
      s.hasNewestValue = true;
      return n;
    }
    let inserted = 0;
    for (let i = 0; i < n; i++) if (this.replay(seriesId, ts[i]!, values[i]!)) inserted++;
    return inserted;
  }

  /**
   * Freezes every chunk that can no longer change: its newest sample is older than the
   * out-of-order window allows (relative to the newer of the series' newest sample and the clock),
   * and for the open chunk also its span has run out (so slow series still fill their chunks).
   * Frozen chunks stay readable in the head until `releaseFinal`.
   */
  collectFinal(): FinalChunk[] {
    const out: FinalChunk[] = [];
    const { oooWindowMs, chunkMaxSpanMs } = this.opts;
    for (const [seriesId, s] of this.series) {
      const limit = Math.max(s.newest, this.clockNow) - oooWindowMs;
      for (const c of s.chunks) {
        if (c.final) continue;
        if (c.maxTs >= limit) break;
        if (c.enc && this.clockNow - c.minTs < chunkMaxSpanMs) break;
        c.freeze();
        out.push({ seriesId, minTs: c.minTs, maxTs: c.maxTs, count: c.count, bytes: c.bytes!, ref: c });
      }
    }
    return out;
  }

  /** Drops chunks that are now persisted; later samples at or before them count as too old. */
  releaseFinal(chunks: readonly FinalChunk[]): void {
    for (const f of chunks) {
      const s = this.lookup(f.seriesId);
      if (!s) continue;
      const i = s.chunks.indexOf(f.ref);
      if (i >= 0) s.chunks.splice(i, 1);
      if (f.maxTs > s.persistedMaxTs) s.persistedMaxTs = f.maxTs;
    }
  }

  /** Samples of a series in the head that may fall in `[start, end)`, one entry per chunk, ascending. */
  read(seriesId: number, start: number, end: number): DecodedChunk[] {
    const s = this.lookup(seriesId);
    if (!s) return [];
    const out: DecodedChunk[] = [];
    for (const c of s.chunks) if (c.maxTs >= start && c.minTs < end) out.push(c.decode());
    return out;
  }

  /** True when the head holds a chunk of the series overlapping `[start, end)`. */
  hasDataIn(seriesId: number, start: number, end: number): boolean {
    const s = this.lookup(seriesId);
    if (!s) return false;
    const c = s.chunks[firstEndingAtOrAfter(s.chunks, start)];
    return c !== undefined && c.minTs < end;
  }

  /** Newest sample of a series when the head knows its value. */
  latest(seriesId: number): { ts: number; value: number } | undefined {
    const s = this.lookup(seriesId);
    return s && s.hasNewestValue ? { ts: s.newest, value: s.newestValue } : undefined;
  }

  /** Every chunk in the head (for a checkpoint), per series in ascending order. */
  *chunks(): Iterable<{ seriesId: number; bytes: Uint8Array }> {
    for (const [seriesId, s] of this.series) for (const c of s.chunks) yield { seriesId, bytes: c.encoded() };
  }

  /** Forgets series that hold no chunk and whose newest sample is older than `before` (ms). */
  dropIdle(before: number): number {
    let dropped = 0;
    for (const [id, s] of this.series) {
      if (s.chunks.length === 0 && s.newest < before) {
        this.series.delete(id);
        if (id < DENSE_IDS) this.dense[id] = undefined;
        dropped++;
      }
    }
    return dropped;
  }

  /** Series, chunks, samples and bytes held. */
  stats(): HeadStats {
    const st: HeadStats = { series: this.series.size, chunks: 0, samples: 0, bytes: 0, oldest: null };
    for (const s of this.series.values()) {
      const first = s.chunks[0];
      if (first && (st.oldest === null || first.minTs < st.oldest)) st.oldest = first.minTs;
      for (const c of s.chunks) {
        st.chunks++;
        st.samples += c.count;
        st.bytes += c.byteLength;
      }
    }
    return st;
  }

  private getOrCreate(seriesId: number): SeriesHead {
    let s = this.lookup(seriesId);
    if (!s) {
      s = new SeriesHead();
      this.series.set(seriesId, s);
      if (seriesId < DENSE_IDS) this.dense[seriesId] = s;
    }
    return s;
  }

  private lookup(seriesId: number): SeriesHead | undefined {
    return seriesId < DENSE_IDS ? this.dense[seriesId] : this.series.get(seriesId);
  }

  private classifyOld(s: SeriesHead, id: number, ts: number, value: number, overlay: Map<number, Map<number, number>>): HeadOutcome {
    const pending = overlay.get(id)?.get(ts);
    const existing = pending !== undefined ? pending : this.findValue(s, ts);
    if (existing !== undefined) return Object.is(existing, value) ? 'duplicate' : 'conflict';
    const floor = Math.max(s.batchNewest, this.clockNow) - this.opts.oooWindowMs;
    return ts >= floor && ts > s.persistedMaxTs ? 'stored' : 'too_old';
  }

  /** Value held in the head at exactly `ts`, if any. */
  private findValue(s: SeriesHead, ts: number): number | undefined {
    const c = s.chunks[firstEndingAtOrAfter(s.chunks, ts)];
    if (!c || c.minTs > ts) return undefined;
    const d = c.decode();
    const i = lowerBound(d.ts, ts);
    return d.ts[i] === ts ? d.values[i] : undefined;
  }

  private insert(s: SeriesHead, ts: number, value: number): void {
    if (ts > s.newest) {
      this.appendInOrder(s, ts, value);
      s.newest = ts;
      s.newestValue = value;
      s.hasNewestValue = true;
    } else {
      this.insertOutOfOrder(s, ts, value);
    }
  }

  private appendInOrder(s: SeriesHead, ts: number, value: number): void {
    let c = s.chunks[s.chunks.length - 1];
    if (!c || !c.enc || c.count >= this.opts.chunkMaxSamples || ts - c.minTs >= this.opts.chunkMaxSpanMs) {
      c?.close();
      c = HeadChunk.open();
      s.chunks.push(c);
    }
    c.append(ts, value);
  }

  /**
   * Inserts into the chunk whose range holds `ts`, or the next one after it, by re-encoding that
   * chunk (O(chunk size); out-of-order samples are rare). `plan` guarantees the target is not final.
   */
  private insertOutOfOrder(s: SeriesHead, ts: number, value: number): void {
    let idx = firstEndingAtOrAfter(s.chunks, ts);
    if (idx === s.chunks.length || s.chunks[idx]!.final) {
      // Only reachable through `replay` of a sample right after persisted data: start a new chunk.
      const c = HeadChunk.fromSamples(Float64Array.of(ts), Float64Array.of(value), false);
      idx = s.chunks.findIndex((x) => x.minTs > ts);
      s.chunks.splice(idx < 0 ? s.chunks.length : idx, 0, c);
      return;
    }
    const c = s.chunks[idx]!;
    const d = c.decode();
    const at = lowerBound(d.ts, ts);
    const n = d.ts.length + 1;
    const mts = new Float64Array(n);
    const mvs = new Float64Array(n);
    mts.set(d.ts.subarray(0, at));
    mvs.set(d.values.subarray(0, at));
    mts[at] = ts;
    mvs[at] = value;
    mts.set(d.ts.subarray(at), at + 1);
    mvs.set(d.values.subarray(at), at + 1);
    const open = c.enc !== null;
    // Keep chunks bounded when a client sends many out-of-order samples into one range.
    if (n > 2 * this.opts.chunkMaxSamples) {
      const half = n >> 1;
      s.chunks.splice(
        idx,
        1,
        HeadChunk.fromSamples(mts.subarray(0, half), mvs.subarray(0, half), false),
        HeadChunk.fromSamples(mts.subarray(half), mvs.subarray(half), open),
      );
    } else {
      s.chunks[idx] = HeadChunk.fromSamples(mts, mvs, open);
    }
  }
}

function remember(overlay: Map<number, Map<number, number>>, id: number, ts: number, value: number): void {
  let m = overlay.get(id);
  if (!m) overlay.set(id, (m = new Map()));
  m.set(ts, value);
}

/** The batch's samples before `upto` planned as stored, by series and timestamp. */
function indexStored(batch: HeadColumns, out: readonly HeadOutcome[], upto: number): Map<number, Map<number, number>> {
  const overlay = new Map<number, Map<number, number>>();
  for (let i = 0; i < upto; i++) if (out[i] === 'stored') remember(overlay, batch.seriesIds[i]!, batch.ts[i]!, batch.values[i]!);
  return overlay;
}

/** Index of the first chunk whose last sample is at or after `ts` (chunks.length if none). */
function firstEndingAtOrAfter(chunks: readonly HeadChunk[], ts: number): number {
  let lo = 0;
  let hi = chunks.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (chunks[mid]!.maxTs < ts) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Index of the first element >= `x` in an ascending array. */
function lowerBound(a: Float64Array, x: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
