import { ChunkCorruptError } from '../codec/chunk-corrupt-error.js';
import { decodeCheckpointPart } from '../codec/checkpoint-part.js';
import { decodeChunk, type DecodedChunk } from '../codec/decode-chunk.js';
import { decodeLogRecord } from '../codec/log-record.js';
import { Head } from '../head/head.js';
import type { TsdbOptions } from './tsdb-options.js';
import type { PeerCursor, PeerDelta } from './tsdb-persistence.js';

/** One followed peer: a read-only head and how far it has been rebuilt. */
interface Peer {
  head: Head;
  cursor: PeerCursor;
}

/**
 * Read-only copies of the heads of the *other* writers sharing the store (other replicas on
 * PostgreSQL), so a read on any replica also sees samples another one has not compacted yet.
 * Each copy is rebuilt from the peer's checkpoint plus the log after it, then follows the log;
 * when the peer checkpoints (after compacting) the copy is rebuilt, which drops what went to the
 * chunks. Samples present in a copy and in the chunks at once (between a peer's compaction and its
 * checkpoint) are de-duplicated by the reader (`mergeParts`). Never touches the ingest path.
 */
export class PeerHeads {
  private readonly peers = new Map<string, Peer>();
  private refreshing: Promise<void> | null = null;

  constructor(
    /** `TsdbPersistence.readPeers` of the store. */
    private readonly readPeers: (known: ReadonlyMap<string, PeerCursor>) => Promise<PeerDelta[]>,
    private readonly opts: TsdbOptions,
  ) {}

  /** Number of peer writers followed. */
  get size(): number {
    return this.peers.size;
  }

  /** Reads what changed in the peers' heads and applies it; concurrent calls share one read. */
  refresh(): Promise<void> {
    this.refreshing ??= this.refreshNow().finally(() => {
      this.refreshing = null;
    });
    return this.refreshing;
  }

  /** Resolves once no refresh is running (its failure is the background loop's to report). */
  async settle(): Promise<void> {
    await this.refreshing?.catch(() => undefined);
  }

  /** Samples of a series in the peers' heads that may fall in `[start, end)` (each part ascending). */
  read(seriesId: number, start: number, end: number): DecodedChunk[] {
    const out: DecodedChunk[] = [];
    for (const peer of this.peers.values()) out.push(...peer.head.read(seriesId, start, end));
    return out;
  }

  /** True when a peer's head holds data of the series in `[start, end)`. */
  hasDataIn(seriesId: number, start: number, end: number): boolean {
    for (const peer of this.peers.values()) if (peer.head.hasDataIn(seriesId, start, end)) return true;
    return false;
  }

  /** The newest sample of the series across the peers' heads. */
  latest(seriesId: number): { ts: number; value: number } | undefined {
    let best: { ts: number; value: number } | undefined;
    for (const peer of this.peers.values()) {
      const l = peer.head.latest(seriesId);
      if (l && (!best || l.ts > best.ts)) best = l;
    }
    return best;
  }

  private async refreshNow(): Promise<void> {
    const known = new Map([...this.peers].map(([w, peer]) => [w, peer.cursor]));
    for (const d of await this.readPeers(known)) this.apply(d);
  }

  private apply(d: PeerDelta): void {
    if (d.kind === 'gone') {
      this.peers.delete(d.writer);
      return;
    }
    let peer = this.peers.get(d.writer);
    if (!peer || d.kind === 'reload') {
      peer = { head: new Head(this.opts.head), cursor: { checkpointSeq: d.checkpointSeq, lastSeq: d.checkpointSeq } };
      for (const part of d.parts) this.restorePart(peer.head, d.writer, part);
      // Replaced only once rebuilt: reads in between keep seeing the previous copy.
      this.peers.set(d.writer, peer);
    }
    for (const entry of d.log) {
      peer.cursor.lastSeq = entry.seq;
      let rec;
      try {
        rec = decodeLogRecord(entry.data);
      } catch (err) {
        if (!(err instanceof ChunkCorruptError)) throw err;
        this.opts.log.warn('tsdb: skipped a damaged ingest-log record of another replica', { writer: d.writer, seq: entry.seq, error: err.message });
        continue;
      }
      for (let i = 0; i < rec.ts.length; i++) peer.head.replay(rec.seriesIds[i]!, rec.ts[i]!, rec.values[i]!);
    }
  }

  private restorePart(head: Head, writer: string, part: Uint8Array): void {
    try {
      for (const e of decodeCheckpointPart(part)) {
        const c = decodeChunk(e.bytes);
        head.restoreChunk(e.seriesId, c.ts, c.values, e.bytes);
      }
    } catch (err) {
      if (!(err instanceof ChunkCorruptError)) throw err;
      this.opts.log.warn('tsdb: skipped a damaged checkpoint part of another replica', { writer, error: err.message });
    }
  }
}

/**
 * Merges sample parts from several sources (stored chunks, own head, peer heads) into one
 * ascending part with each timestamp once; the first source listed wins on a timestamp held by
 * several (the same sample seen in a peer's head and in the chunk it was just compacted into).
 */
export function mergeParts(parts: readonly DecodedChunk[]): DecodedChunk {
  let n = 0;
  for (const p of parts) n += p.ts.length;
  const order: { t: number; v: number; k: number }[] = new Array(n);
  let k = 0;
  for (const p of parts) for (let i = 0; i < p.ts.length; i++, k++) order[k] = { t: p.ts[i]!, v: p.values[i]!, k };
  order.sort((a, b) => a.t - b.t || a.k - b.k);
  const ts: number[] = [];
  const values: number[] = [];
  for (const s of order) {
    if (ts.length > 0 && ts[ts.length - 1] === s.t) continue;
    ts.push(s.t);
    values.push(s.v);
  }
  return { ts: Float64Array.from(ts), values: Float64Array.from(values) };
}
