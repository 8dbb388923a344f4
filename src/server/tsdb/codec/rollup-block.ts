import { crc32 } from 'node:zlib';
import { BitReader } from './bit-reader.js';
import { BitWriter } from './bit-writer.js';
import { ChunkCorruptError, ChunkOrderError } from './chunk-corrupt-error.js';
import { MAX_CHUNK_SAMPLES, MAX_TIMESTAMP_MS } from './chunk-format.js';
import { readVarbitInt, writeVarbitInt } from './varbit-int.js';
import { fromBits, highBits, lowBitsOfLast } from './float-bits.js';
import { readUvarint, uvarintSize, writeUvarint } from './varint.js';
import { XorValueReader, XorValueWriter } from './xor-value-codec.js';

/**
 * Per-bucket aggregates of one series, column-wise. `start[i]` is the bucket start (ms, a multiple
 * of the resolution), strictly increasing; the other arrays are parallel to it.
 */
export interface RollupColumns {
  start: number[];
  min: number[];
  max: number[];
  sum: number[];
  count: number[];
  last: number[];
}

/**
 * Rollup block layout (version 1): the buckets of one series for one window of a tier.
 *
 * ```
 * u8       version (1)
 * uvarint  resolution (ms)
 * uvarint  bucket count n (>= 1)
 * uvarint  first bucket start (ms)
 * bits     per bucket: start delta-of-delta (not for bucket 0), then min, max, sum, last each
 *          XOR-coded against the previous bucket's (the first against 0 bits), then the count
 *          minus the previous count (from 0) as a varbit integer (`varbit-int.ts`)
 * bits     zero padding to a byte boundary
 * u32 BE   CRC-32 of every preceding byte
 * ```
 */
export const ROLLUP_BLOCK_VERSION = 1;

/** Largest per-bucket sample count a block holds (2^50, far above any real bucket). */
const MAX_COUNT = 2 ** 50;

/** Empty columns. */
export function emptyRollupColumns(): RollupColumns {
  return { start: [], min: [], max: [], sum: [], count: [], last: [] };
}

/** Encodes non-empty rollup columns at `resolutionMs`; starts must be increasing multiples of it. */
export function encodeRollupBlock(resolutionMs: number, cols: RollupColumns): Uint8Array {
  const n = cols.start.length;
  if (n === 0) throw new ChunkOrderError('cannot encode an empty rollup block');
  const w = new BitWriter(32 + n * 8);
  const streams = [new XorValueWriter(), new XorValueWriter(), new XorValueWriter(), new XorValueWriter()];
  const fields = [cols.min, cols.max, cols.sum, cols.last];
  let prevCount = 0;
  let prev = 0;
  let prevDelta = 0;
  for (let i = 0; i < n; i++) {
    const s = cols.start[i]!;
    if (!Number.isInteger(s) || s < 0 || s > MAX_TIMESTAMP_MS || s % resolutionMs !== 0) throw new ChunkOrderError(`bucket start ${s} is not a multiple of ${resolutionMs}`);
    if (i > 0) {
      if (s <= prev) throw new ChunkOrderError(`bucket start ${s} is not after ${prev}`);
      writeVarbitInt(w, s - prev - prevDelta);
      prevDelta = s - prev;
    }
    prev = s;
    for (let f = 0; f < 4; f++) {
      const hi = highBits(fields[f]![i]!);
      streams[f]!.write(w, hi, lowBitsOfLast());
    }
    const count = cols.count[i]!;
    if (!Number.isInteger(count) || count < 1 || count > MAX_COUNT) throw new ChunkOrderError(`bucket count ${count} is not an integer in [1, 2^50]`);
    writeVarbitInt(w, count - prevCount);
    prevCount = count;
  }
  const head = 1 + uvarintSize(resolutionMs) + uvarintSize(n) + uvarintSize(cols.start[0]!);
  const out = new Uint8Array(head + w.byteLength + 4);
  out[0] = ROLLUP_BLOCK_VERSION;
  let pos = writeUvarint(out, 1, resolutionMs);
  pos = writeUvarint(out, pos, n);
  pos = writeUvarint(out, pos, cols.start[0]!);
  w.copyTo(out, pos);
  const body = out.length - 4;
  new DataView(out.buffer).setUint32(body, crc32(out.subarray(0, body)));
  return out;
}

/** A decoded rollup block. */
export interface RollupBlock {
  resolutionMs: number;
  cols: RollupColumns;
}

/** Decodes a rollup block; any damage gives `ChunkCorruptError`. */
export function decodeRollupBlock(bytes: Uint8Array): RollupBlock {
  if (bytes.length < 8) throw new ChunkCorruptError(`rollup block too short (${bytes.length} bytes)`);
  const body = bytes.length - 4;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint32(body) !== crc32(bytes.subarray(0, body))) throw new ChunkCorruptError('rollup block checksum mismatch');
  if (bytes[0] !== ROLLUP_BLOCK_VERSION) throw new ChunkCorruptError(`unknown rollup block version ${bytes[0]}`);
  const res = readUvarint(bytes, 1, body);
  const count = readUvarint(bytes, res.next, body);
  const first = readUvarint(bytes, count.next, body);
  const resolutionMs = res.value;
  const n = count.value;
  // Each bucket needs at least 5 bits (four XOR codes and a count): bound the work by the stream length.
  if (resolutionMs < 1 || n < 1 || n > MAX_CHUNK_SAMPLES || n * 5 > (body - first.next) * 8) throw new ChunkCorruptError('bad rollup block header');
  if (first.value % resolutionMs !== 0 || first.value > MAX_TIMESTAMP_MS) throw new ChunkCorruptError('bad first bucket start');
  const r = new BitReader(bytes, first.next, body);
  const cols = emptyRollupColumns();
  const fields = [cols.min, cols.max, cols.sum, cols.last];
  const streams = [new XorValueReader(), new XorValueReader(), new XorValueReader(), new XorValueReader()];
  let bucketCount = 0;
  let s = first.value;
  let delta = 0;
  for (let i = 0; i < n; i++) {
    if (i > 0) {
      delta += readVarbitInt(r);
      if (delta < resolutionMs || delta % resolutionMs !== 0) throw new ChunkCorruptError('bucket starts not increasing multiples of the resolution');
      s += delta;
      if (s > MAX_TIMESTAMP_MS) throw new ChunkCorruptError('bucket start out of range');
    }
    cols.start.push(s);
    for (let f = 0; f < 4; f++) {
      const x = streams[f]!;
      x.read(r);
      fields[f]!.push(fromBits(x.hi, x.lo));
    }
    bucketCount += readVarbitInt(r);
    if (bucketCount < 1 || bucketCount > MAX_COUNT) throw new ChunkCorruptError('bucket count out of range');
    cols.count.push(bucketCount);
  }
  const rest = r.remaining;
  if (rest >= 8 || (rest > 0 && r.readBits(rest) !== 0)) throw new ChunkCorruptError('trailing bits after the last bucket');
  return { resolutionMs, cols };
}
