import { ChunkCorruptError } from '../codec/chunk-corrupt-error.js';
import { decodeChunk, type DecodedChunk } from '../codec/decode-chunk.js';
import type { Head } from '../head/head.js';
import { mergeParts, type PeerHeads } from './peer-heads.js';
import type { TsdbCounters, TsdbOptions } from './tsdb-options.js';
import type { StoredChunk, TsdbPersistence } from './tsdb-persistence.js';

/** What the engine's parts share: persistence, head, options and counters. */
export interface EngineContext {
  readonly p: TsdbPersistence;
  readonly head: Head;
  readonly opts: TsdbOptions;
  readonly counters: TsdbCounters;
  /** Copies of the other writers' heads (PostgreSQL with several replicas), null on SQLite. */
  readonly peers: PeerHeads | null;
}

/**
 * Decodes a stored chunk; a damaged one is counted, logged and skipped (null), so a read returns
 * everything else.
 */
export function decodeStored(ctx: EngineContext, c: StoredChunk): DecodedChunk | null {
  try {
    return decodeChunk(c.bytes);
  } catch (err) {
    if (!(err instanceof ChunkCorruptError)) throw err;
    ctx.counters.corrupt_chunks++;
    ctx.opts.log.warn('tsdb: skipped a damaged chunk', { seriesId: c.seriesId, minTs: c.minTs, error: err.message });
    return null;
  }
}

/** Samples of one series in `[start, end)`: stored chunks then head chunks, deduplicated. */
export async function readSeriesSamples(ctx: EngineContext, seriesId: number, start: number, end: number): Promise<DecodedChunk[]> {
  // Head first: a chunk persisted meanwhile is then found in both places (and deduplicated), never
  // in neither.
  const fromHead = ctx.head.read(seriesId, start, end);
  const fromPeers = ctx.peers ? ctx.peers.read(seriesId, start, end) : [];
  const stored = await ctx.p.readChunks(seriesId, start, end);
  const parts: DecodedChunk[] = [];
  for (const c of stored) {
    const d = decodeStored(ctx, c);
    if (d) parts.push(d);
  }
  parts.push(...fromHead);
  if (fromPeers.length === 0) return parts;
  // Peers' samples interleave with ours and may also sit in a chunk a peer just compacted: merge,
  // but only the parts reaching the peers' oldest sample (peer heads hold recent data; a long
  // range's older chunks pass through as they are).
  let peerMin = Infinity;
  for (const p of fromPeers) if (p.ts.length > 0 && p.ts[0]! < peerMin) peerMin = p.ts[0]!;
  const before = parts.filter((p) => p.ts.length === 0 || p.ts[p.ts.length - 1]! < peerMin);
  const overlapping = parts.filter((p) => p.ts.length > 0 && p.ts[p.ts.length - 1]! >= peerMin);
  return [...before, mergeParts([...overlapping, ...fromPeers])];
}

/**
 * Visits the samples of `parts` (each ascending, parts in ascending order) within `[start, end)`,
 * skipping any timestamp not after the previous one (a chunk seen twice during compaction).
 */
export function forEachSample(parts: readonly DecodedChunk[], start: number, end: number, visit: (ts: number, value: number) => void): void {
  let last = -Infinity;
  for (const p of parts) {
    for (let i = 0; i < p.ts.length; i++) {
      const t = p.ts[i]!;
      if (t < start || t <= last) continue;
      if (t >= end) break;
      visit(t, p.values[i]!);
      last = t;
    }
  }
}
