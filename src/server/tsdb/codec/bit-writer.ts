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
    if (n <= 0) return;
    if (n < 32) value &= (1 << n) - 1;
    const free = 8 - this.bitIndex;
    if (n < free) {
      this.buf[this.byteIndex]! |= value << (free - n);
      this.bitIndex += n;
      return;
    }
    // Fill the current byte with the top `free` bits, then whole bytes, then the rest.
    n -= free;
    this.buf[this.byteIndex]! |= value >>> n;
    this.nextByte();
    while (n >= 8) {
      n -= 8;
      this.buf[this.byteIndex] = (value >>> n) & 0xff;
      this.nextByte();
    }
    if (n > 0) {
      this.buf[this.byteIndex] = (value << (8 - n)) & 0xff;
      this.bitIndex = n;
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
