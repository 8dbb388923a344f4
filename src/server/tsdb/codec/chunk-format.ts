/**
 * Layout of a compressed sample chunk (format version 1), shared by `ChunkEncoder` and
 * `decodeChunk`:
 *
 * ```
 * u8       version (1)
 * uvarint  sample count n (>= 1)
 * uvarint  first timestamp (ms)
 * bits     value 0 as 64 raw bits, then for samples 1..n-1: timestamp delta-of-delta, value XOR
 * bits     zero padding to a byte boundary
 * u32 BE   CRC-32 (IEEE) of every preceding byte
 * ```
 *
 * Timestamp delta-of-delta (`dod`, ms; the first delta is encoded as a dod from 0), prefix then a
 * biased unsigned field (`dod + bias`):
 *
 * | prefix  | field bits | dod range             |
 * |---------|------------|-----------------------|
 * | `0`     | 0          | 0                     |
 * | `10`    | 7          | -63 .. 64             |
 * | `110`   | 10         | -511 .. 512           |
 * | `1110`  | 17         | -65535 .. 65536       |
 * | `11110` | 32         | -(2^31-1) .. 2^31     |
 * | `11111` | 1 + 52     | sign bit, magnitude   |
 *
 * The small buckets are narrower than Prometheus's (14/17/20 bits) because agents scrape at
 * 1 s .. 60 s with a few ms of jitter: a jittered 1 s series costs 9 bits per timestamp here
 * instead of 16.
 *
 * Value XOR (Gorilla): `0` = same bits as the previous value; `10` + meaningful bits inside the
 * previous leading/trailing-zero window; `11` + 5 bits leading zeros (capped at 31) + 6 bits
 * meaningful-bit count (0 means 64) + the meaningful bits.
 */
export const CHUNK_FORMAT_VERSION = 1;

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

/** Bias of each biased delta-of-delta bucket, indexed by the number of leading 1s of its prefix. */
export const DOD_BIAS = [0, 63, 511, 65535, 2 ** 31 - 1] as const;
/** Field width in bits of each biased delta-of-delta bucket, same indexing as `DOD_BIAS`. */
export const DOD_BITS = [0, 7, 10, 17, 32] as const;
