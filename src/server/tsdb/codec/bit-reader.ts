import { ChunkCorruptError } from './chunk-corrupt-error.js';

/**
 * Reads a bit stream written by `BitWriter` from `bytes[start, end)`. Every read checks the
 * remaining length first, so truncated or hostile input ends in `ChunkCorruptError`, never in a
 * read past the end or an endless loop.
 */
export class BitReader {
  private pos: number;
  private readonly endBit: number;

  constructor(
    private readonly bytes: Uint8Array,
    start: number,
    end: number,
  ) {
    this.pos = start * 8;
    this.endBit = end * 8;
  }

  /** Bits left to read. */
  get remaining(): number {
    return this.endBit - this.pos;
  }

  /** Reads one bit. */
  readBit(): number {
    if (this.pos >= this.endBit) throw new ChunkCorruptError('bit stream truncated');
    const bit = (this.bytes[this.pos >>> 3]! >>> (7 - (this.pos & 7))) & 1;
    this.pos++;
    return bit;
  }

  /** Reads `n` bits (0 <= n <= 32) as an unsigned integer. */
  readBits(n: number): number {
    if (this.pos + n > this.endBit) throw new ChunkCorruptError('bit stream truncated');
    let out = 0;
    let pos = this.pos;
    while (n > 0) {
      const bitOffset = pos & 7;
      const avail = 8 - bitOffset;
      const take = n < avail ? n : avail;
      const bits = (this.bytes[pos >>> 3]! >>> (avail - take)) & ((1 << take) - 1);
      // Multiplication instead of `<<` keeps 32-bit results positive.
      out = out * (1 << take) + bits;
      pos += take;
      n -= take;
    }
    this.pos = pos;
    return out;
  }

  /**
   * Counts leading 1 bits, reading at most `max` bits and consuming the terminating 0 if one was
   * seen before `max` ones. Used for the unary prefix of the timestamp buckets.
   */
  readOnes(max: number): number {
    let ones = 0;
    while (ones < max && this.readBit() === 1) ones++;
    return ones;
  }
}
