import type { BitReader } from './bit-reader.js';
import type { BitWriter } from './bit-writer.js';
import { ChunkCorruptError } from './chunk-corrupt-error.js';

/**
 * Gorilla XOR coding of a float64 stream, on bit patterns (two unsigned 32-bit halves) so every
 * value, NaN payloads included, round-trips exactly. Each value is XORed with the previous one:
 * `0` = same bits; `10` + the meaningful bits inside the previous leading/trailing-zero window;
 * `11` + 5 bits leading zeros (capped at 31) + 6 bits meaningful-bit count (0 means 64) + bits.
 * The stream starts from a given previous value (0 bits unless the caller stores a first value raw).
 */
export class XorValueWriter {
  private leading = 255;
  private trailing = 0;

  constructor(
    private prevHi = 0,
    private prevLo = 0,
  ) {}

  /** Appends the value with bit pattern `hi:lo`. */
  write(w: BitWriter, hi: number, lo: number): void {
    const xHi = (hi ^ this.prevHi) >>> 0;
    const xLo = (lo ^ this.prevLo) >>> 0;
    this.prevHi = hi >>> 0;
    this.prevLo = lo >>> 0;
    if (xHi === 0 && xLo === 0) {
      w.writeBit(0);
      return;
    }
    let lead = xHi !== 0 ? Math.clz32(xHi) : 32 + Math.clz32(xLo);
    const trail = xLo !== 0 ? ctz32(xLo) : 32 + ctz32(xHi);
    // 5 bits hold the leading-zero count; a capped count only costs a few extra meaningful bits.
    if (lead > 31) lead = 31;
    if (this.leading !== 255 && lead >= this.leading && trail >= this.trailing) {
      w.writeBits(0b10, 2);
      writeShifted(w, xHi, xLo, this.trailing, 64 - this.leading - this.trailing);
      return;
    }
    this.leading = lead;
    this.trailing = trail;
    const meaningful = 64 - lead - trail;
    w.writeBits(0b11, 2);
    w.writeBits(lead, 5);
    w.writeBits(meaningful & 63, 6);
    writeShifted(w, xHi, xLo, trail, meaningful);
  }
}

/** Reads a stream written by `XorValueWriter`; after `read`, `hi`/`lo` hold the value's bits. */
export class XorValueReader {
  private leading = 255;
  private trailing = 0;

  constructor(
    /** High 32 bits of the current value (unsigned). */
    public hi = 0,
    /** Low 32 bits of the current value (unsigned). */
    public lo = 0,
  ) {}

  /** Reads the next value; damage gives `ChunkCorruptError`. */
  read(r: BitReader): void {
    if (r.readBit() === 0) return;
    if (r.readBit() === 1) {
      this.leading = r.readBits(5);
      let meaningful = r.readBits(6);
      if (meaningful === 0) meaningful = 64;
      this.trailing = 64 - this.leading - meaningful;
      if (this.trailing < 0) throw new ChunkCorruptError('XOR window exceeds 64 bits');
    } else if (this.leading === 255) {
      throw new ChunkCorruptError('XOR window reused before one was set');
    }
    const n = 64 - this.leading - this.trailing;
    const shift = this.trailing;
    let vHi = 0;
    let vLo: number;
    if (n > 32) {
      vHi = r.readBits(n - 32);
      vLo = r.readBits(32);
    } else {
      vLo = r.readBits(n);
    }
    let xHi: number;
    let xLo: number;
    if (shift === 0) {
      xHi = vHi;
      xLo = vLo;
    } else if (shift < 32) {
      xHi = (vHi << shift) | (vLo >>> (32 - shift));
      xLo = vLo << shift;
    } else {
      xHi = vLo << (shift - 32);
      xLo = 0;
    }
    this.hi = (this.hi ^ xHi) >>> 0;
    this.lo = (this.lo ^ xLo) >>> 0;
  }
}

/** Count of trailing zero bits of a non-zero 32-bit integer. */
function ctz32(x: number): number {
  return 31 - Math.clz32(x & -x);
}

/** Writes `n` bits of the 64-bit value `hi:lo` shifted right by `shift` (0..63). */
function writeShifted(w: BitWriter, hi: number, lo: number, shift: number, n: number): void {
  if (shift === 0) {
    w.writeBits64(hi, lo, n);
  } else if (shift < 32) {
    w.writeBits64(hi >>> shift, ((lo >>> shift) | (hi << (32 - shift))) >>> 0, n);
  } else {
    w.writeBits64(0, hi >>> (shift - 32), n);
  }
}
