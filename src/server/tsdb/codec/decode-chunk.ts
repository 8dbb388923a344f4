import { crc32 } from 'node:zlib';
import { BitReader } from './bit-reader.js';
import { ChunkCorruptError } from './chunk-corrupt-error.js';
import { CHUNK_CRC_BYTES, CHUNK_FORMAT_VERSION, DOD_BIAS, DOD_BITS, MAX_CHUNK_SAMPLES, MAX_TIMESTAMP_MS } from './chunk-format.js';
import { HI_WORD, LO_WORD } from './float-bits.js';
import { readUvarint } from './varint.js';

/** Samples of one decoded chunk; `ts[i]` (ms) belongs to `values[i]`, timestamps strictly increasing. */
export interface DecodedChunk {
  ts: Float64Array;
  values: Float64Array;
}

/** Header fields of a chunk. */
export interface ChunkHeader {
  version: number;
  count: number;
  /** Timestamp of the first sample, ms. */
  firstTs: number;
  /** Byte offset where the bit stream starts. */
  bodyStart: number;
}

const TWO_POW_32 = 2 ** 32;

/**
 * Verifies the CRC and reads the header of a chunk. Any damage (wrong length, checksum, version,
 * impossible count) gives `ChunkCorruptError`.
 */
export function readChunkHeader(bytes: Uint8Array): ChunkHeader {
  if (bytes.length < 1 + 1 + 1 + 8 + CHUNK_CRC_BYTES) throw new ChunkCorruptError(`chunk too short (${bytes.length} bytes)`);
  const body = bytes.length - CHUNK_CRC_BYTES;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint32(body) !== crc32(bytes.subarray(0, body))) throw new ChunkCorruptError('chunk checksum mismatch');
  const version = bytes[0]!;
  if (version !== CHUNK_FORMAT_VERSION) throw new ChunkCorruptError(`unknown chunk version ${version}`);
  const count = readUvarint(bytes, 1, body);
  const firstTs = readUvarint(bytes, count.next, body);
  if (count.value < 1 || count.value > MAX_CHUNK_SAMPLES) throw new ChunkCorruptError(`bad sample count ${count.value}`);
  if (firstTs.value > MAX_TIMESTAMP_MS) throw new ChunkCorruptError('first timestamp out of range');
  // Sample 0 takes 64 bits, every later one at least 2: reject counts the stream cannot hold
  // before allocating anything.
  const bits = (body - firstTs.next) * 8;
  if (bits < 64 + (count.value - 1) * 2) throw new ChunkCorruptError(`sample count ${count.value} exceeds the stream`);
  return { version, count: count.value, firstTs: firstTs.value, bodyStart: firstTs.next };
}

/**
 * Decodes a chunk written by `ChunkEncoder`, bit-exactly. Corrupt or truncated input gives
 * `ChunkCorruptError` and nothing else; the work is bounded by the input length.
 */
export function decodeChunk(bytes: Uint8Array): DecodedChunk {
  const header = readChunkHeader(bytes);
  const n = header.count;
  const body = bytes.length - CHUNK_CRC_BYTES;
  const ts = new Float64Array(n);
  const values = new Float64Array(n);
  const words = new Uint32Array(values.buffer);
  const r = new BitReader(bytes, header.bodyStart, body);
  let t = header.firstTs;
  let delta = 0;
  let hi = r.readBits(32);
  let lo = r.readBits(32);
  let leading = 255;
  let trailing = 0;
  ts[0] = t;
  words[HI_WORD] = hi;
  words[LO_WORD] = lo;
  for (let i = 1; i < n; i++) {
    delta += readDod(r);
    if (delta < 1) throw new ChunkCorruptError('timestamps not increasing');
    t += delta;
    if (t > MAX_TIMESTAMP_MS) throw new ChunkCorruptError('timestamp out of range');
    ts[i] = t;
    if (r.readBit() === 1) {
      if (r.readBit() === 1) {
        leading = r.readBits(5);
        let meaningful = r.readBits(6);
        if (meaningful === 0) meaningful = 64;
        trailing = 64 - leading - meaningful;
        if (trailing < 0) throw new ChunkCorruptError('XOR window exceeds 64 bits');
      } else if (leading === 255) {
        throw new ChunkCorruptError('XOR window reused before one was set');
      }
      const xor = readShifted(r, 64 - leading - trailing, trailing);
      hi = (hi ^ xor.hi) >>> 0;
      lo = (lo ^ xor.lo) >>> 0;
    }
    words[i * 2 + HI_WORD] = hi;
    words[i * 2 + LO_WORD] = lo;
  }
  const rest = r.remaining;
  if (rest >= 8 || (rest > 0 && r.readBits(rest) !== 0)) throw new ChunkCorruptError('trailing bits after the last sample');
  return { ts, values };
}

function readDod(r: BitReader): number {
  const bucket = r.readOnes(5);
  if (bucket === 0) return 0;
  if (bucket < 5) return r.readBits(DOD_BITS[bucket]!) - DOD_BIAS[bucket]!;
  const negative = r.readBit() === 1;
  const magnitude = r.readBits(20) * TWO_POW_32 + r.readBits(32);
  return negative ? -magnitude : magnitude;
}

const shifted = { hi: 0, lo: 0 };

/** Reads `n` bits and shifts them left by `shift`, giving a 64-bit value as two halves. */
function readShifted(r: BitReader, n: number, shift: number): { hi: number; lo: number } {
  let vHi = 0;
  let vLo: number;
  if (n > 32) {
    vHi = r.readBits(n - 32);
    vLo = r.readBits(32);
  } else {
    vLo = r.readBits(n);
  }
  if (shift === 0) {
    shifted.hi = vHi;
    shifted.lo = vLo;
  } else if (shift < 32) {
    shifted.hi = ((vHi << shift) | (vLo >>> (32 - shift))) >>> 0;
    shifted.lo = (vLo << shift) >>> 0;
  } else {
    shifted.hi = (vLo << (shift - 32)) >>> 0;
    shifted.lo = 0;
  }
  return shifted;
}
