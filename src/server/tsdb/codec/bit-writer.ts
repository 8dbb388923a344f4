/**
 * Append-only bit stream, most significant bit first, over a growable byte buffer.
 * Initial capacity 64 bytes (doubles when full): a 120-sample chunk of node_exporter-like data
 * needs about 170 bytes, so a chunk grows at most twice.
 */
export class BitWriter {
  private buf: Uint8Array;
  /** Index of the byte being filled. */
  private byteIndex = 0;
  /** Bits already used in `buf[byteIndex]` (0..7). */
  private bitIndex = 0;

  constructor(initialBytes = 64) {
    this.buf = new Uint8Array(Math.max(8, initialBytes));
  }

  /** Bits written so far. */
  get bitLength(): number {
    return this.byteIndex * 8 + this.bitIndex;
  }

  /** Bytes needed to hold the bits written so far (the last byte zero-padded). */
  get byteLength(): number {
    return this.byteIndex + (this.bitIndex > 0 ? 1 : 0);
  }

  /** Appends one bit (`0` or `1`). */
  writeBit(bit: number): void {
    if (bit !== 0) this.buf[this.byteIndex]! |= 0x80 >>> this.bitIndex;
    if (++this.bitIndex === 8) this.nextByte();
  }

  /**
   * Appends the low `n` bits of `value` (0 <= n <= 32), most significant first. `value` is read as
   * an unsigned 32-bit integer; bits above `n` are ignored.
   */
  writeBits(value: number, n: number): void {
    while (n > 0) {
      const free = 8 - this.bitIndex;
      const take = n < free ? n : free;
      const shift = n - take;
      const bits = (value >>> shift) & ((1 << take) - 1);
      this.buf[this.byteIndex]! |= bits << (free - take);
      this.bitIndex += take;
      if (this.bitIndex === 8) this.nextByte();
      n -= take;
    }
  }

  /**
   * Appends the low `n` bits (0 <= n <= 64) of the 64-bit integer `hi:lo` (two unsigned 32-bit
   * halves), most significant first.
   */
  writeBits64(hi: number, lo: number, n: number): void {
    if (n > 32) {
      this.writeBits(hi, n - 32);
      this.writeBits(lo, 32);
    } else {
      this.writeBits(lo, n);
    }
  }

  /** Copies the bytes written so far into `target` at `offset` (the partial last byte zero-padded). */
  copyTo(target: Uint8Array, offset: number): void {
    target.set(this.buf.subarray(0, this.byteLength), offset);
  }

  /** A copy of the bytes written so far. */
  toBytes(): Uint8Array {
    return this.buf.slice(0, this.byteLength);
  }

  private nextByte(): void {
    this.byteIndex++;
    this.bitIndex = 0;
    if (this.byteIndex >= this.buf.length) {
      const bigger = new Uint8Array(this.buf.length * 2);
      bigger.set(this.buf);
      this.buf = bigger;
    }
  }
}
