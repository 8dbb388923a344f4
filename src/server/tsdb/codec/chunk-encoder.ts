import { BitWriter } from './bit-writer.js';
import { ChunkOrderError } from './chunk-corrupt-error.js';
import { MAX_CHUNK_SAMPLES, MAX_TIMESTAMP_MS, TS_DOD, VALUE_XOR, chunkFlags } from './chunk-format.js';
import { highBits, lowBitsOfLast } from './float-bits.js';
import { writeVarbitInt } from './varbit-int.js';
import { chunkSize, writeChunk, type ChunkParts } from './write-chunk.js';
import { XorValueWriter } from './xor-value-codec.js';

/**
 * Builds a chunk (layout in `chunk-format.ts`) from samples appended in strictly increasing
 * timestamp order, with the streaming codings (delta-of-delta timestamps, XOR values). Appending
 * is O(1); `finish()` may be called any number of times and the encoder stays usable, so the head
 * can snapshot an open chunk and keep appending. `compactChunk` re-encodes a sealed chunk with
 * the smallest coding.
 */
export class ChunkEncoder {
  private readonly parts: ChunkParts;
  private xor: XorValueWriter | null = null;
  private last = 0;
  private prevDelta = 0;

  /** @param initialBytes initial capacity of each bit buffer in bytes (default 32; doubles as needed). */
  constructor(initialBytes = 32) {
    this.parts = { flags: chunkFlags(TS_DOD, VALUE_XOR, 0), count: 0, firstTs: 0, nominal: 0, tsBits: new BitWriter(initialBytes), valueBits: new BitWriter(initialBytes) };
  }

  /** Samples appended so far. */
  get count(): number {
    return this.parts.count;
  }

  /** Timestamp (ms) of the first sample; meaningless while `count` is 0. */
  get firstTs(): number {
    return this.parts.firstTs;
  }

  /** Timestamp (ms) of the newest sample; meaningless while `count` is 0. */
  get lastTs(): number {
    return this.last;
  }

  /** Size in bytes `finish()` would return now. */
  get byteLength(): number {
    return chunkSize(this.parts);
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
    const p = this.parts;
    if (p.count >= MAX_CHUNK_SAMPLES) throw new ChunkOrderError(`chunk is full (${MAX_CHUNK_SAMPLES} samples)`);
    if (this.xor === null) {
      p.firstTs = ts;
      p.valueBits.writeBits(hi, 32);
      p.valueBits.writeBits(lo, 32);
      this.xor = new XorValueWriter(hi >>> 0, lo >>> 0);
    } else {
      if (ts <= this.last) throw new ChunkOrderError(`timestamp ${ts} is not after ${this.last}`);
      const delta = ts - this.last;
      writeVarbitInt(p.tsBits, delta - this.prevDelta);
      this.prevDelta = delta;
      this.xor.write(p.valueBits, hi, lo);
    }
    this.last = ts;
    p.count++;
  }

  /** The encoded chunk for the samples appended so far; needs `count >= 1`. */
  finish(): Uint8Array {
    if (this.parts.count === 0) throw new ChunkOrderError('cannot finish an empty chunk');
    return writeChunk(this.parts);
  }
}
