import type { BitReader } from './bit-reader.js';
import type { BitWriter } from './bit-writer.js';

/**
 * Variable-width signed integers in a bit stream (used for timestamp delta-of-deltas, timestamp
 * residuals and integer value deltas): a unary prefix picks the width, then a biased unsigned
 * field holds `v + bias` (`bias = 2^(bits-1) - 1`):
 *
 * | prefix   | field bits | range                  |
 * |----------|------------|------------------------|
 * | `0`      | 0          | 0                      |
 * | `10`     | 3          | -3 .. 4                |
 * | `110`    | 7          | -63 .. 64              |
 * | `1110`   | 13         | -4095 .. 4096          |
 * | `11110`  | 20         | -524287 .. 524288      |
 * | `111110` | 32         | -(2^31-1) .. 2^31      |
 * | `111111` | 1 + 52     | sign bit, magnitude    |
 *
 * The narrow first buckets suit scrape timestamps: a few ms of jitter on a 1 s interval costs
 * 5 bits, where Prometheus's 14-bit first bucket costs 16. Magnitudes must stay below 2^52.
 */
const BITS = [0, 3, 7, 13, 20, 32] as const;
const BIAS = [0, 3, 63, 4095, 524287, 2 ** 31 - 1] as const;
const FALLBACK = BITS.length;
const TWO_POW_32 = 2 ** 32;

/** Appends `v` (a safe integer with |v| < 2^52). */
export function writeVarbitInt(w: BitWriter, v: number): void {
  if (v === 0) {
    w.writeBit(0);
    return;
  }
  for (let bucket = 1; bucket < FALLBACK; bucket++) {
    const bias = BIAS[bucket]!;
    if (v >= -bias && v <= bias + 1) {
      // Prefix: `bucket` ones then a zero, e.g. bucket 2 = `110`.
      w.writeBits(((1 << bucket) - 1) << 1, bucket + 1);
      w.writeBits(v + bias, BITS[bucket]!);
      return;
    }
  }
  const magnitude = Math.abs(v);
  w.writeBits(((1 << FALLBACK) - 1) << 1 | (v < 0 ? 1 : 0), FALLBACK + 1);
  w.writeBits(Math.floor(magnitude / TWO_POW_32), 20);
  w.writeBits(magnitude % TWO_POW_32, 32);
}

/** Reads one integer written by `writeVarbitInt`; truncation gives `ChunkCorruptError`. */
export function readVarbitInt(r: BitReader): number {
  const bucket = r.readOnes(FALLBACK);
  if (bucket === 0) return 0;
  if (bucket < FALLBACK) return r.readBits(BITS[bucket]!) - BIAS[bucket]!;
  const negative = r.readBit() === 1;
  const magnitude = r.readBits(20) * TWO_POW_32 + r.readBits(32);
  return negative ? -magnitude : magnitude;
}
