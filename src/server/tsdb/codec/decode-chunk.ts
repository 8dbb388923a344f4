import { crc32 } from 'node:zlib';
import { BitReader } from './bit-reader.js';
import { ChunkCorruptError } from './chunk-corrupt-error.js';
import {
  CHUNK_CRC_BYTES,
  CHUNK_FORMAT_VERSION,
  MAX_CHUNK_SAMPLES,
  MAX_DECIMAL_SCALE,
  MAX_TIMESTAMP_MS,
  TS_NOMINAL,
  VALUE_INT_DOD,
  VALUE_XOR,
} from './chunk-format.js';
import { readVarbitInt } from './varbit-int.js';
import { readUvarint } from './varint.js';
import { decodeValueColumn, expectPadding } from './value-column.js';

/** Samples of one decoded chunk; `ts[i]` (ms) belongs to `values[i]`, timestamps strictly increasing. */
export interface DecodedChunk {
  ts: Float64Array;
  values: Float64Array;
}

/** Header fields of a chunk (see `chunk-format.ts`). */
export interface ChunkHeader {
  flags: number;
  count: number;
  /** Timestamp of the first sample, ms. */
  firstTs: number;
  /** Nominal interval in ms (0 unless the timestamp coding is NOMINAL). */
  nominal: number;
  /** Byte offsets of the timestamp section, the value section and the CRC. */
  tsStart: number;
  valueStart: number;
  end: number;
}

/**
 * Verifies the CRC and reads the header of a chunk. Any damage (length, checksum, version, flags,
 * impossible counts) gives `ChunkCorruptError`.
 */
export function readChunkHeader(bytes: Uint8Array): ChunkHeader {
  if (bytes.length < 6 + CHUNK_CRC_BYTES) throw new ChunkCorruptError(`chunk too short (${bytes.length} bytes)`);
  const end = bytes.length - CHUNK_CRC_BYTES;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint32(end) !== crc32(bytes.subarray(0, end))) throw new ChunkCorruptError('chunk checksum mismatch');
  if (bytes[0] !== CHUNK_FORMAT_VERSION) throw new ChunkCorruptError(`unknown chunk version ${bytes[0]}`);
  const flags = bytes[1]!;
  const valueCoding = flags & 3;
  const scale = (flags >> 2) & 15;
  if ((flags & 0x80) !== 0 || valueCoding > VALUE_INT_DOD || scale > MAX_DECIMAL_SCALE || (valueCoding === VALUE_XOR && scale !== 0)) {
    throw new ChunkCorruptError(`bad chunk flags ${flags}`);
  }
  const count = readUvarint(bytes, 2, end);
  const first = readUvarint(bytes, count.next, end);
  let pos = first.next;
  let nominal = 0;
  if (flags >> 6 === TS_NOMINAL) {
    const nom = readUvarint(bytes, pos, end);
    nominal = nom.value;
    pos = nom.next;
    if (nominal < 1 || nominal > MAX_TIMESTAMP_MS) throw new ChunkCorruptError('bad nominal interval');
  }
  const tsLen = readUvarint(bytes, pos, end);
  const tsStart = tsLen.next;
  const valueStart = tsStart + tsLen.value;
  const n = count.value;
  if (n < 1 || n > MAX_CHUNK_SAMPLES) throw new ChunkCorruptError(`bad sample count ${n}`);
  if (first.value > MAX_TIMESTAMP_MS) throw new ChunkCorruptError('first timestamp out of range');
  // Each timestamp after the first takes at least 1 bit, each value at least 1: reject counts the
  // sections cannot hold before allocating anything.
  if (valueStart > end || tsLen.value * 8 < n - 1 || (end - valueStart) * 8 < n) throw new ChunkCorruptError(`sample count ${n} exceeds the chunk`);
  return { flags, count: n, firstTs: first.value, nominal, tsStart, valueStart, end };
}

/**
 * Decodes a chunk written by `ChunkEncoder` or `compactChunk`, bit-exactly. Corrupt or truncated
 * input gives `ChunkCorruptError` and nothing else; the work is bounded by the input length.
 */
export function decodeChunk(bytes: Uint8Array): DecodedChunk {
  const h = readChunkHeader(bytes);
  const ts = decodeTimestamps(bytes, h);
  const values = decodeValueColumn(bytes, h.valueStart, h.end, h.count, h.flags & 3, (h.flags >> 2) & 15);
  return { ts, values };
}

function decodeTimestamps(bytes: Uint8Array, h: ChunkHeader): Float64Array {
  const ts = new Float64Array(h.count);
  const r = new BitReader(bytes, h.tsStart, h.valueStart);
  const nominal = h.flags >> 6 === TS_NOMINAL;
  let t = h.firstTs;
  let delta = 0;
  ts[0] = t;
  for (let i = 1; i < h.count; i++) {
    const v = readVarbitInt(r);
    delta = nominal ? h.nominal + v : delta + v;
    if (delta < 1) throw new ChunkCorruptError('timestamps not increasing');
    t += delta;
    if (t > MAX_TIMESTAMP_MS) throw new ChunkCorruptError('timestamp out of range');
    ts[i] = t;
  }
  expectPadding(r);
  return ts;
}
