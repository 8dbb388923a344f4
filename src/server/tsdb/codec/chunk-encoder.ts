import { crc32 } from 'node:zlib';
import { BitWriter } from './bit-writer.js';
import { ChunkOrderError } from './chunk-corrupt-error.js';
import { CHUNK_CRC_BYTES, CHUNK_FORMAT_VERSION, DOD_BIAS, DOD_BITS, MAX_CHUNK_SAMPLES, MAX_TIMESTAMP_MS } from './chunk-format.js';
import { highBits, lowBitsOfLast } from './float-bits.js';
import { uvarintSize, writeUvarint } from './varint.js';

const TWO_POW_32 = 2 ** 32;

/**
 * Builds one compressed chunk (format in `chunk-format.ts`) from samples appended in strictly
 * increasing timestamp order. Appending is O(1); `finish()` may be called any number of times and
 * the encoder stays usable, so the head can snapshot an open chunk and keep appending to it.
 */
export class ChunkEncoder {
  private readonly bits: BitWriter;
  private n = 0;
  private first = 0;
  private last = 0;
  private prevDelta = 0;
  private prevHi = 0;
  private prevLo = 0;
  /** Leading/trailing zero window of the last explicit XOR window; 255 = none yet. */
  private leading = 255;
  private trailing = 0;

  /** @param initialBytes initial bit-buffer capacity in bytes (default 64; it doubles as needed). */
  constructor(initialBytes = 64) {
    this.bits = new BitWriter(initialBytes);
  }

  /** Samples appended so far. */
  get count(): number {
    return this.n;
  }

  /** Timestamp (ms) of the first sample; meaningless while `count` is 0. */
  get firstTs(): number {
    return this.first;
  }

  /** Timestamp (ms) of the newest sample; meaningless while `count` is 0. */
  get lastTs(): number {
    return this.last;
  }

  /** Size in bytes `finish()` would return now. */
  get byteLength(): number {
    return 1 + uvarintSize(this.n) + uvarintSize(this.first) + this.bits.byteLength + CHUNK_CRC_BYTES;
  }

  /**
   * Appends one sample. `ts` must be an integer in [0, 2^52) and greater than the previous one,
   * else `ChunkOrderError`. The value is stored bit-exactly (NaN payloads, -0, ±Inf included).
   */
  append(ts: number, value: number): void {
    const hi = highBits(value);
    this.appendBits(ts, hi, lowBitsOfLast());
  }

  /** Like `append`, with the value given as its IEEE 754 bit pattern `hi:lo` (unsigned halves). */
  appendBits(ts: number, hi: number, lo: number): void {
    if (!Number.isInteger(ts) || ts < 0 || ts > MAX_TIMESTAMP_MS) {
      throw new ChunkOrderError(`timestamp ${ts} is not an integer in [0, 2^52)`);
    }
    if (this.n >= MAX_CHUNK_SAMPLES) throw new ChunkOrderError(`chunk is full (${MAX_CHUNK_SAMPLES} samples)`);
    if (this.n === 0) {
      this.first = ts;
      this.bits.writeBits(hi, 32);
      this.bits.writeBits(lo, 32);
    } else {
      if (ts <= this.last) throw new ChunkOrderError(`timestamp ${ts} is not after ${this.last}`);
      const delta = ts - this.last;
      this.writeDod(delta - this.prevDelta);
      this.prevDelta = delta;
      this.writeXor((hi ^ this.prevHi) >>> 0, (lo ^ this.prevLo) >>> 0);
    }
    this.last = ts;
    this.prevHi = hi >>> 0;
    this.prevLo = lo >>> 0;
    this.n++;
  }

  /** The encoded chunk (header, bit stream, CRC) for the samples appended so far; needs `count >= 1`. */
  finish(): Uint8Array {
    if (this.n === 0) throw new ChunkOrderError('cannot finish an empty chunk');
    const out = new Uint8Array(this.byteLength);
    out[0] = CHUNK_FORMAT_VERSION;
    let pos = writeUvarint(out, 1, this.n);
    pos = writeUvarint(out, pos, this.first);
    this.bits.copyTo(out, pos);
    const body = out.length - CHUNK_CRC_BYTES;
    new DataView(out.buffer, out.byteOffset, out.byteLength).setUint32(body, crc32(out.subarray(0, body)));
    return out;
  }

  private writeDod(dod: number): void {
    const w = this.bits;
    if (dod === 0) {
      w.writeBit(0);
      return;
    }
    for (let bucket = 1; bucket < DOD_BIAS.length; bucket++) {
      const bias = DOD_BIAS[bucket]!;
      if (dod >= -bias && dod <= bias + 1) {
        // Prefix: `bucket` ones then a zero, e.g. bucket 2 = `110`.
        w.writeBits(((1 << bucket) - 1) << 1, bucket + 1);
        w.writeBits(dod + bias, DOD_BITS[bucket]!);
        return;
      }
    }
    const magnitude = Math.abs(dod);
    w.writeBits(0b11111, 5);
    w.writeBit(dod < 0 ? 1 : 0);
    w.writeBits(Math.floor(magnitude / TWO_POW_32), 20);
    w.writeBits(magnitude % TWO_POW_32, 32);
  }

  private writeXor(hi: number, lo: number): void {
    const w = this.bits;
    if (hi === 0 && lo === 0) {
      w.writeBit(0);
      return;
    }
    let lead = hi !== 0 ? Math.clz32(hi) : 32 + Math.clz32(lo);
    const trail = lo !== 0 ? ctz32(lo) : 32 + ctz32(hi);
    // 5 bits hold the leading-zero count; a capped count only costs a few extra meaningful bits.
    if (lead > 31) lead = 31;
    if (this.leading !== 255 && lead >= this.leading && trail >= this.trailing) {
      w.writeBits(0b10, 2);
      writeShifted(w, hi, lo, this.trailing, 64 - this.leading - this.trailing);
      return;
    }
    this.leading = lead;
    this.trailing = trail;
    const meaningful = 64 - lead - trail;
    w.writeBits(0b11, 2);
    w.writeBits(lead, 5);
    w.writeBits(meaningful & 63, 6);
    writeShifted(w, hi, lo, trail, meaningful);
  }
}

/** Count of trailing zero bits of a non-zero 32-bit integer. */
function ctz32(x: number): number {
  return 31 - Math.clz32(x & -x);
}

/** Writes `n` bits of the 64-bit value `hi:lo` shifted right by `shift` (0..63). */
function writeShifted(w: BitWriter, hi: number, lo: number, shift: number, n: number): void {
  let sHi: number;
  let sLo: number;
  if (shift === 0) {
    sHi = hi;
    sLo = lo;
  } else if (shift < 32) {
    sLo = ((lo >>> shift) | (hi << (32 - shift))) >>> 0;
    sHi = hi >>> shift;
  } else {
    sLo = hi >>> (shift - 32);
    sHi = 0;
  }
  w.writeBits64(sHi, sLo, n);
}
