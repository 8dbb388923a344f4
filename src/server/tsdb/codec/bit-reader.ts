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
    if (n === 0) return 0;
    if (n > 24) {
      // A 32-bit window holds at most 25 bits past an arbitrary bit offset: split wide reads.
      const high = this.readBits(n - 16);
      return high * 65536 + this.readBits(16);
    }
    const pos = this.pos;
    const i = pos >>> 3;
    const b = this.bytes;
    // Near the end of the array, missing bytes count as 0 (the bounds check above keeps them out
    // of the result); reading past a typed array is slow in V8, so it is avoided, not relied on.
    const window =
      i + 3 < b.length
        ? ((b[i]! << 24) | (b[i + 1]! << 16) | (b[i + 2]! << 8) | b[i + 3]!) >>> 0
        : ((b[i]! << 24) | ((i + 1 < b.length ? b[i + 1]! : 0) << 16) | ((i + 2 < b.length ? b[i + 2]! : 0) << 8)) >>> 0;
    this.pos = pos + n;
    return ((window << (pos & 7)) >>> 0) >>> (32 - n);
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
