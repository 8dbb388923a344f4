/**
 * Layout of a compressed sample chunk (format version 1), written by `ChunkEncoder` (streaming)
 * or `compactChunk` (best of several codings) and read by `decodeChunk`:
 *
 * ```
 * u8       version (1)
 * u8       flags: bit 6 = timestamp coding, bits 0-1 = value coding, bits 2-5 = decimal scale s
 * uvarint  sample count n (>= 1)
 * uvarint  first timestamp (ms)
 * uvarint  nominal interval (ms)           only with timestamp coding NOMINAL
 * uvarint  byte length of the timestamp section
 * bytes    timestamp section: n-1 varbit integers (`varbit-int.ts`), zero-padded
 * bytes    value section, zero-padded
 * u32 BE   CRC-32 (IEEE) of every preceding byte
 * ```
 *
 * Timestamp codings: DOD writes each delta minus the previous delta (the first delta minus 0);
 * NOMINAL writes each delta minus a fixed interval, which halves the cost of scrape jitter.
 * Value codings: XOR = value 0 as 64 raw bits then Gorilla XOR (`xor-value-codec.ts`), exact for
 * every bit pattern; INT_DELTA / INT_DOD apply when every value equals `k / 10^s` exactly for
 * integers |k| < 2^50 (counters, percentages, node_exporter's nanosecond durations) and write
 * k0 then the deltas (or delta-of-deltas) of k as varbit integers.
 */
export const CHUNK_FORMAT_VERSION = 1;

/** Timestamp coding: delta-of-delta (streaming-friendly). */
export const TS_DOD = 0;
/** Timestamp coding: delta minus a nominal interval stored in the header. */
export const TS_NOMINAL = 1;
/** Value coding: Gorilla XOR of the IEEE 754 bits. */
export const VALUE_XOR = 0;
/** Value coding: deltas of the scaled integers. */
export const VALUE_INT_DELTA = 1;
/** Value coding: delta-of-deltas of the scaled integers. */
export const VALUE_INT_DOD = 2;

/** Flags byte for a timestamp coding, value coding and decimal scale (0..9). */
export function chunkFlags(tsCoding: number, valueCoding: number, scale: number): number {
  return (tsCoding << 6) | (scale << 2) | valueCoding;
}

/** Largest decimal scale s of the integer codings (values `k / 10^s`). */
export const MAX_DECIMAL_SCALE = 9;

/** `10^s` for s = 0..9, exact doubles; encoder and decoder divide by the same constant. */
export const POW10 = [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9] as const;

/** Integer codings need |k| < 2^50 so that deltas and delta-of-deltas stay below 2^52. */
export const MAX_SCALED_INT = 2 ** 50;

/** Bytes of the CRC-32 trailer. */
export const CHUNK_CRC_BYTES = 4;

/**
 * Largest timestamp a chunk accepts, in ms: 2^52 - 1 (year ~142,000). Keeping timestamps below
 * 2^52 keeps every delta, delta-of-delta and zigzag value a safe integer.
 */
export const MAX_TIMESTAMP_MS = 2 ** 52 - 1;

/**
 * Largest sample count a chunk header may claim (2^20). The head seals chunks far earlier; the cap
 * bounds the memory a hostile header can make the decoder allocate.
 */
export const MAX_CHUNK_SAMPLES = 1 << 20;
