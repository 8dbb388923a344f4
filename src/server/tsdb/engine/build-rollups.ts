import { ChunkCorruptError } from '../codec/chunk-corrupt-error.js';
import { compactChunk } from '../codec/compact-chunk.js';
import type { DecodedChunk } from '../codec/decode-chunk.js';
import { decodeRollupBlock, emptyRollupColumns, encodeRollupBlock, type RollupColumns } from '../codec/rollup-block.js';
import { rollupColumns, rollupSamples, TIER_RESOLUTION_MS } from '../rollup/rollup-samples.js';
import { decodeStored, type EngineContext } from './engine-context.js';
import { ROLLUP_WINDOW_MS, type ChunkRewrite, type RollupTier, type RollupWindow, type StoredChunk } from './tsdb-persistence.js';

/**
 * Rebuilds dirty rollup windows that have settled: 1 m blocks from raw chunks, then 1 h blocks
 * from 1 m blocks. A window has settled when the head holds nothing in it (and, for 1 h, no 1 m
 * window inside it is dirty) and either the series' persisted data reached the window's end or
 * `settleMs` passed since it ended (idle series). Each rebuild is one atomic write that also marks
 * the enclosing coarser window dirty, so a crash at any point only repeats idempotent work.
 * Returns the number of blocks written.
 */
export async function buildRollups(ctx: EngineContext, now: number, settleMs: number, limit: number): Promise<number> {
  let built = 0;
  for (const tier of ['1m', '1h'] as const) {
    const dirty = await ctx.p.dirtyWindows(tier, limit - built);
    for (const w of dirty) {
      if (!(await settled(ctx, w, now, settleMs))) continue;
      const block = tier === '1m' ? await minuteBlock(ctx, w) : { bytes: await hourBlock(ctx, w), rewrite: null };
      const next: RollupWindow | null = tier === '1m' ? { tier: '1h', seriesId: w.seriesId, windowStart: floorTo(w.windowStart, ROLLUP_WINDOW_MS['1h']) } : null;
      await ctx.p.writeRollup(w, block.bytes, next, block.rewrite);
      ctx.opts.onStep?.('rollup:written');
      ctx.counters.rollups_built++;
      built++;
    }
    if (built >= limit) break;
  }
  return built;
}

async function settled(ctx: EngineContext, w: RollupWindow, now: number, settleMs: number): Promise<boolean> {
  const end = w.windowStart + ROLLUP_WINDOW_MS[w.tier];
  if (ctx.head.hasDataIn(w.seriesId, w.windowStart, end)) return false;
  if (w.tier === '1h' && (await ctx.p.dirtyWindowStarts('1m', w.seriesId, w.windowStart, end)).length > 0) return false;
  return ctx.head.persistedMaxTs(w.seriesId) >= end - 1 || now >= end + settleMs;
}

/** Largest chunk the window merge writes, in samples (a 2 h window at 1 Hz is 7,200). */
const MERGED_CHUNK_MAX_SAMPLES = 16_384;

/**
 * The 1 m block of a window from the raw chunks. Buckets of the previous block that lie before
 * the first remaining raw sample are kept: raw retention may have deleted their chunks already.
 * The raw chunks starting in the window are merged into one (the head cuts 120-sample chunks;
 * once a window has settled, one larger chunk per series and window costs far less per sample).
 */
async function minuteBlock(ctx: EngineContext, w: RollupWindow): Promise<{ bytes: Uint8Array | null; rewrite: ChunkRewrite | null }> {
  const res = TIER_RESOLUTION_MS['1m'];
  const end = w.windowStart + ROLLUP_WINDOW_MS['1m'];
  const cols = emptyRollupColumns();
  const chunks = await ctx.p.readChunks(w.seriesId, w.windowStart, end);
  const firstRaw = chunks.length > 0 ? Math.max(w.windowStart, chunks[0]!.minTs) : end;
  const keepBefore = floorTo(firstRaw, res);
  if (keepBefore > w.windowStart) {
    const old = await readBlock(ctx, w);
    if (old) appendBefore(old, keepBefore, cols);
  }
  const inWindow: { chunk: StoredChunk; d: DecodedChunk | null }[] = [];
  for (const c of chunks) {
    const d = decodeStored(ctx, c);
    if (c.minTs >= w.windowStart) inWindow.push({ chunk: c, d });
    if (!d) continue;
    let from = 0;
    while (from < d.ts.length && d.ts[from]! < Math.max(w.windowStart, keepBefore)) from++;
    let to = from;
    while (to < d.ts.length && d.ts[to]! < end) to++;
    rollupSamples(d.ts, d.values, res, cols, from, to);
  }
  return { bytes: cols.start.length > 0 ? encodeRollupBlock(res, cols) : null, rewrite: mergeChunks(w.seriesId, inWindow) };
}

/**
 * One or a few larger chunks holding the samples of `parts` (ascending, disjoint), or null when
 * there is nothing to gain (fewer than two chunks) or a part is damaged (kept as it is).
 */
function mergeChunks(seriesId: number, parts: readonly { chunk: StoredChunk; d: DecodedChunk | null }[]): ChunkRewrite | null {
  if (parts.length < 2 || parts.some((p) => p.d === null)) return null;
  const add: StoredChunk[] = [];
  let group: DecodedChunk[] = [];
  let size = 0;
  const flush = () => {
    if (group.length === 0) return;
    const ts = new Float64Array(size);
    const values = new Float64Array(size);
    let at = 0;
    for (const g of group) {
      ts.set(g.ts, at);
      values.set(g.values, at);
      at += g.ts.length;
    }
    add.push({ seriesId, minTs: ts[0]!, maxTs: ts[size - 1]!, count: size, bytes: compactChunk(ts, values) });
    group = [];
    size = 0;
  };
  for (const p of parts) {
    if (size + p.d!.ts.length > MERGED_CHUNK_MAX_SAMPLES) flush();
    group.push(p.d!);
    size += p.d!.ts.length;
  }
  flush();
  return { seriesId, remove: parts.map((p) => p.chunk.minTs), add };
}

/** The 1 h block of a window (one day) from its 1 m blocks. */
async function hourBlock(ctx: EngineContext, w: RollupWindow): Promise<Uint8Array | null> {
  const res = TIER_RESOLUTION_MS['1h'];
  const cols = emptyRollupColumns();
  for (const b of await ctx.p.readRollups('1m', w.seriesId, w.windowStart, w.windowStart + ROLLUP_WINDOW_MS['1h'])) {
    const block = decodeBlock(ctx, '1m', w.seriesId, b.windowStart, b.bytes);
    if (block) rollupColumns(block, res, cols);
  }
  return cols.start.length > 0 ? encodeRollupBlock(res, cols) : null;
}

async function readBlock(ctx: EngineContext, w: RollupWindow): Promise<RollupColumns | null> {
  const [b] = await ctx.p.readRollups(w.tier, w.seriesId, w.windowStart, w.windowStart + 1);
  return b ? decodeBlock(ctx, w.tier, w.seriesId, w.windowStart, b.bytes) : null;
}

/** Decodes a stored rollup block; a damaged one is counted, logged and skipped (null). */
export function decodeBlock(ctx: EngineContext, tier: RollupTier, seriesId: number, windowStart: number, bytes: Uint8Array): RollupColumns | null {
  try {
    const b = decodeRollupBlock(bytes);
    if (b.resolutionMs !== TIER_RESOLUTION_MS[tier]) throw new ChunkCorruptError(`block resolution ${b.resolutionMs} does not match tier ${tier}`);
    return b.cols;
  } catch (err) {
    if (!(err instanceof ChunkCorruptError)) throw err;
    ctx.counters.corrupt_rollups++;
    ctx.opts.log.warn('tsdb: skipped a damaged rollup block', { tier, seriesId, windowStart, error: err.message });
    return null;
  }
}

function appendBefore(src: RollupColumns, before: number, out: RollupColumns): void {
  for (let i = 0; i < src.start.length && src.start[i]! < before; i++) {
    out.start.push(src.start[i]!);
    out.min.push(src.min[i]!);
    out.max.push(src.max[i]!);
    out.sum.push(src.sum[i]!);
    out.count.push(src.count[i]!);
    out.last.push(src.last[i]!);
  }
}

/** `t` rounded down to a multiple of `step`. */
export function floorTo(t: number, step: number): number {
  return t - (((t % step) + step) % step);
}
