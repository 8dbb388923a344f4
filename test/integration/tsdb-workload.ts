import type { SampleRow } from '../../src/server/storage/sample-store.js';
import type { TsdbOptions } from '../../src/server/tsdb/engine/tsdb-options.js';

/**
 * The deterministic workload shared by the crash child and the crash test: batch `b` holds
 * POINTS samples per series, one per minute, so a run of a few hundred batches crosses many
 * chunk, rollup-window and retention boundaries.
 */
export const SERIES = 12;
export const POINTS = 5;
export const STEP_MS = 60_000;
export const T0 = Date.UTC(2026, 10, 1);
/** Batches per maintenance run. */
export const MAINTAIN_EVERY = 6;

/** Engine options that make every step happen often: small chunks, short windows, tiny checkpoints. */
export const CRASH_OPTIONS: Partial<TsdbOptions> = {
  head: { chunkMaxSamples: 20, chunkMaxSpanMs: 30 * 60_000, oooWindowMs: 2 * 60_000 },
  retention: { raw: 10 * 3_600_000, '1m': 20 * 3_600_000, '1h': 400 * 86_400_000 },
  checkpointLogBytes: 4000,
};

/** Samples of batch `b`. Values are integers, so sums are exact. */
export function batch(b: number): SampleRow[] {
  const out: SampleRow[] = [];
  for (let p = 0; p < POINTS; p++) {
    const ts = T0 + (b * POINTS + p) * STEP_MS;
    for (let s = 1; s <= SERIES; s++) out.push({ seriesId: s, ts, value: ((b * 31 + p * 7 + s * 13) % 97) - 40 });
  }
  return out;
}

/** The clock of the workload right after batch `b`: the newest sample of the batch plus a minute. */
export function clockAfter(b: number): number {
  return T0 + ((b + 1) * POINTS) * STEP_MS;
}
