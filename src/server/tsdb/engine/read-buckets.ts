import type { QueryTier } from '../../../protocol/query.js';
import type { BucketGrid } from '../rollup/bucket-grid.js';
import { TIER_RESOLUTION_MS } from '../rollup/rollup-samples.js';
import { decodeBlock, floorTo } from './build-rollups.js';
import { readSeriesSamples, type EngineContext } from './engine-context.js';
import { ROLLUP_WINDOW_MS, type RollupTier } from './tsdb-persistence.js';

/**
 * The tier reported for a read: the coarsest one whose data was used, or `chosen` when nothing
 * was read. A 1 h query over the last hours, still in the head, reports `raw`.
 */
export function answeringTier(used: ReadonlySet<QueryTier>, chosen: QueryTier): QueryTier {
  for (const t of ['1h', '1m', 'raw'] as const) if (used.has(t)) return t;
  return chosen;
}

/** The coarsest tier whose resolution divides `step` (ms): `1h`, `1m` or `raw`. */
export function pickTier(step: number): QueryTier {
  if (step % TIER_RESOLUTION_MS['1h'] === 0) return '1h';
  if (step % TIER_RESOLUTION_MS['1m'] === 0) return '1m';
  return 'raw';
}

/**
 * Fills `grid` with the buckets of one series over `[start, end)` from `tier`. A rollup window
 * that is not final yet — dirty, a finer window inside it dirty, or samples of it still in the
 * head — or whose block is damaged is answered from the next finer tier instead, down to raw
 * chunks and the head, so results are exact whichever tier answers. Range edges that are not on
 * the tier's resolution come from the finer tier too (a rollup bucket cannot be cut).
 */
export async function fillFromTier(ctx: EngineContext, seriesId: number, tier: QueryTier, start: number, end: number, grid: BucketGrid, used: Set<QueryTier>): Promise<void> {
  if (start >= end) return;
  if (tier === 'raw') {
    const parts = await readSeriesSamples(ctx, seriesId, start, end);
    const before = grid.scanned;
    for (const part of parts) grid.addRun(part.ts, part.values, start, end);
    if (grid.scanned > before) used.add('raw');
    return;
  }
  const finer: QueryTier = tier === '1h' ? '1m' : 'raw';
  const res = TIER_RESOLUTION_MS[tier];
  const alignedStart = Math.ceil(start / res) * res;
  const alignedEnd = floorTo(end, res);
  if (alignedStart >= alignedEnd) {
    await fillFromTier(ctx, seriesId, finer, start, end, grid, used);
    return;
  }
  await fillFromTier(ctx, seriesId, finer, start, alignedStart, grid, used);
  await fillAligned(ctx, seriesId, tier, alignedStart, alignedEnd, grid, used);
  await fillFromTier(ctx, seriesId, finer, alignedEnd, end, grid, used);
}

/** `fillFromTier` for a range aligned to the tier's resolution. */
async function fillAligned(ctx: EngineContext, seriesId: number, tier: RollupTier, start: number, end: number, grid: BucketGrid, used: Set<QueryTier>): Promise<void> {
  const finer: QueryTier = tier === '1h' ? '1m' : 'raw';
  const windowMs = ROLLUP_WINDOW_MS[tier];
  const from = floorTo(start, windowMs);
  const blocks = new Map((await ctx.p.readRollups(tier, seriesId, from, end)).map((b) => [b.windowStart, b.bytes]));
  const dirty = new Set(await ctx.p.dirtyWindowStarts(tier, seriesId, from, end));
  const finerDirty = tier === '1h' ? await ctx.p.dirtyWindowStarts('1m', seriesId, from, end) : [];
  for (let w = from; w < end; w += windowMs) {
    const wEnd = w + windowMs;
    const lo = Math.max(start, w);
    const hi = Math.min(end, wEnd);
    const final = !dirty.has(w) && !finerDirty.some((f) => f >= w && f < wEnd) && !ctx.head.hasDataIn(seriesId, w, wEnd) && !(ctx.peers?.hasDataIn(seriesId, w, wEnd) ?? false);
    if (!final) {
      await fillFromTier(ctx, seriesId, finer, lo, hi, grid, used);
      continue;
    }
    const bytes = blocks.get(w);
    // A final window without a block holds no data.
    if (!bytes) continue;
    const cols = decodeBlock(ctx, tier, seriesId, w, bytes);
    if (cols) {
      grid.addColumns(cols, lo, hi);
      used.add(tier);
    } else await fillFromTier(ctx, seriesId, finer, lo, hi, grid, used);
  }
}
