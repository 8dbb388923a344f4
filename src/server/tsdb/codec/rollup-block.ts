import { crc32 } from 'node:zlib';
import { BitReader } from './bit-reader.js';
import { BitWriter } from './bit-writer.js';
import { ChunkCorruptError, ChunkOrderError } from './chunk-corrupt-error.js';
import { MAX_CHUNK_SAMPLES, MAX_TIMESTAMP_MS } from './chunk-format.js';
import { decodeValueColumn, encodeValueColumn, expectPadding } from './value-column.js';
import { readVarbitInt, writeVarbitInt } from './varbit-int.js';
import { readUvarint, uvarintSize, writeUvarint } from './varint.js';

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
 * Rollup block layout (version 1): the buckets of one series for one window of a tier, column by
 * column, each column in its smallest coding.
 *
 * ```
 * u8       version (1)
 * uvarint  resolution (ms)
 * uvarint  bucket count n (>= 1)
 * uvarint  first bucket start (ms)
 * section  bucket starts: n-1 varbit delta-of-deltas
 * section  counts: n varbit deltas (the first from 0)
 * 4 ×      min, max, sum, last: u8 coding, then a section — or coding 0x80|j: same values as
 *          column j (no section; with one sample per bucket all four columns are equal)
 * u32 BE   CRC-32 of every preceding byte
 * ```
 * A section is `uvarint byte length` + zero-padded bits. Value codings are those of chunks
 * (`chunk-format.ts`): XOR, or exact decimal integers as deltas or delta-of-deltas.
 */
export const ROLLUP_BLOCK_VERSION = 1;

/** Largest per-bucket sample count a block holds (2^50, far above any real bucket). */
const MAX_COUNT = 2 ** 50;
const COPY = 0x80;

/** Empty columns. */
export function emptyRollupColumns(): RollupColumns {
  return { start: [], min: [], max: [], sum: [], count: [], last: [] };
}

/** Encodes non-empty rollup columns at `resolutionMs`; starts must be increasing multiples of it. */
export function encodeRollupBlock(resolutionMs: number, cols: RollupColumns): Uint8Array {
  const n = cols.start.length;
  if (n === 0) throw new ChunkOrderError('cannot encode an empty rollup block');
  const starts = new BitWriter(n);
  let prev = 0;
  let prevDelta = 0;
  for (let i = 0; i < n; i++) {
    const s = cols.start[i]!;
    if (!Number.isInteger(s) || s < 0 || s > MAX_TIMESTAMP_MS || s % resolutionMs !== 0) throw new ChunkOrderError(`bucket start ${s} is not a multiple of ${resolutionMs}`);
    if (i > 0) {
      if (s <= prev) throw new ChunkOrderError(`bucket start ${s} is not after ${prev}`);
      writeVarbitInt(starts, s - prev - prevDelta);
      prevDelta = s - prev;
    }
    prev = s;
  }
  const counts = new BitWriter(n);
  let prevCount = 0;
  for (const c of cols.count) {
    if (!Number.isInteger(c) || c < 1 || c > MAX_COUNT) throw new ChunkOrderError(`bucket count ${c} is not an integer in [1, 2^50]`);
    writeVarbitInt(counts, c - prevCount);
    prevCount = c;
  }
  const fields = [cols.min, cols.max, cols.sum, cols.last].map((f) => Float64Array.from(f));
  const coded = fields.map((f, j) => {
    const same = fields.findIndex((g, k) => k < j && sameBits(g, f));
    return same >= 0 ? { flag: COPY | same, bits: null } : (({ coding, scale, bits }) => ({ flag: coding | (scale << 2), bits }))(encodeValueColumn(f));
  });
  const sections = [starts, counts, ...coded.map((c) => c.bits)];
  let size = 1 + uvarintSize(resolutionMs) + uvarintSize(n) + uvarintSize(cols.start[0]!) + 4 + 4;
  for (const s of sections) if (s) size += uvarintSize(s.byteLength) + s.byteLength;
  const out = new Uint8Array(size);
  out[0] = ROLLUP_BLOCK_VERSION;
  let pos = writeUvarint(out, 1, resolutionMs);
  pos = writeUvarint(out, pos, n);
  pos = writeUvarint(out, pos, cols.start[0]!);
  pos = writeSection(out, pos, starts);
  pos = writeSection(out, pos, counts);
  for (const c of coded) {
    out[pos++] = c.flag;
    if (c.bits) pos = writeSection(out, pos, c.bits);
  }
  new DataView(out.buffer).setUint32(pos, crc32(out.subarray(0, pos)));
  return out;
}

/** A decoded rollup block. */
export interface RollupBlock {
  resolutionMs: number;
  cols: RollupColumns;
}

/** Decodes a rollup block; any damage gives `ChunkCorruptError`. */
export function decodeRollupBlock(bytes: Uint8Array): RollupBlock {
  if (bytes.length < 10) throw new ChunkCorruptError(`rollup block too short (${bytes.length} bytes)`);
  const end = bytes.length - 4;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint32(end) !== crc32(bytes.subarray(0, end))) throw new ChunkCorruptError('rollup block checksum mismatch');
  if (bytes[0] !== ROLLUP_BLOCK_VERSION) throw new ChunkCorruptError(`unknown rollup block version ${bytes[0]}`);
  const res = readUvarint(bytes, 1, end);
  const count = readUvarint(bytes, res.next, end);
  const first = readUvarint(bytes, count.next, end);
  const resolutionMs = res.value;
  const n = count.value;
  // Every bucket needs at least one bit of count: bound the work by the block length.
  if (resolutionMs < 1 || n < 1 || n > MAX_CHUNK_SAMPLES || n > (end - first.next) * 8) throw new ChunkCorruptError('bad rollup block header');
  if (first.value % resolutionMs !== 0 || first.value > MAX_TIMESTAMP_MS) throw new ChunkCorruptError('bad first bucket start');
  let pos = first.next;
  const startSec = readSection(bytes, pos, end);
  const start = decodeStarts(bytes, startSec.start, startSec.end, n, first.value, resolutionMs);
  const countSec = readSection(bytes, startSec.end, end);
  const counts = decodeCounts(bytes, countSec.start, countSec.end, n);
  pos = countSec.end;
  const fields: number[][] = [];
  for (let j = 0; j < 4; j++) {
    if (pos >= end) throw new ChunkCorruptError('rollup block truncated');
    const flag = bytes[pos++]!;
    if (flag & COPY) {
      const from = flag & ~COPY;
      if (from >= j) throw new ChunkCorruptError(`bad column reference ${from}`);
      fields.push(fields[from]!.slice());
      continue;
    }
    const sec = readSection(bytes, pos, end);
    fields.push(Array.from(decodeValueColumn(bytes, sec.start, sec.end, n, flag & 3, flag >> 2)));
    pos = sec.end;
  }
  if (pos !== end) throw new ChunkCorruptError('rollup block has trailing bytes');
  return { resolutionMs, cols: { start, min: fields[0]!, max: fields[1]!, sum: fields[2]!, count: counts, last: fields[3]! } };
}

function sameBits(a: Float64Array, b: Float64Array): boolean {
  const x = new Uint32Array(a.buffer, a.byteOffset, a.length * 2);
  const y = new Uint32Array(b.buffer, b.byteOffset, b.length * 2);
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  return true;
}

function writeSection(out: Uint8Array, pos: number, bits: BitWriter): number {
  pos = writeUvarint(out, pos, bits.byteLength);
  bits.copyTo(out, pos);
  return pos + bits.byteLength;
}

function readSection(bytes: Uint8Array, pos: number, end: number): { start: number; end: number } {
  const len = readUvarint(bytes, pos, end);
  if (len.next + len.value > end) throw new ChunkCorruptError('rollup block section runs past the end');
  return { start: len.next, end: len.next + len.value };
}

function decodeStarts(bytes: Uint8Array, from: number, to: number, n: number, first: number, res: number): number[] {
  const r = new BitReader(bytes, from, to);
  const out = [first];
  let s = first;
  let delta = 0;
  for (let i = 1; i < n; i++) {
    delta += readVarbitInt(r);
    if (delta < res || delta % res !== 0) throw new ChunkCorruptError('bucket starts not increasing multiples of the resolution');
    s += delta;
    if (s > MAX_TIMESTAMP_MS) throw new ChunkCorruptError('bucket start out of range');
    out.push(s);
  }
  expectPadding(r);
  return out;
}

function decodeCounts(bytes: Uint8Array, from: number, to: number, n: number): number[] {
  const r = new BitReader(bytes, from, to);
  const out: number[] = [];
  let c = 0;
  for (let i = 0; i < n; i++) {
    c += readVarbitInt(r);
    if (c < 1 || c > MAX_COUNT) throw new ChunkCorruptError('bucket count out of range');
    out.push(c);
  }
  expectPadding(r);
  return out;
}
