/**
 * Conversions between float64 values and their IEEE 754 bit patterns as two unsigned 32-bit
 * halves. The codecs work on bit patterns so that NaN payloads, -0 and ±Inf survive exactly:
 * JS engines may canonicalise NaN in ordinary arrays, never in a typed-array byte view.
 */
const scratch = new Float64Array(1);
const scratchWords = new Uint32Array(scratch.buffer);
// Index of the high word inside a Float64Array's memory depends on platform endianness.
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
/** Index of the most significant 32-bit word of a float64 inside a `Uint32Array` view. */
export const HI_WORD = LITTLE_ENDIAN ? 1 : 0;
/** Index of the least significant 32-bit word of a float64 inside a `Uint32Array` view. */
export const LO_WORD = LITTLE_ENDIAN ? 0 : 1;

/** High 32 bits (sign, exponent, top of mantissa) of `value`, as an unsigned integer. */
export function highBits(value: number): number {
  scratch[0] = value;
  return scratchWords[HI_WORD]!;
}

/** Low 32 bits of the mantissa of the value last passed to `highBits` (call right after it). */
export function lowBitsOfLast(): number {
  return scratchWords[LO_WORD]!;
}

/** The float64 whose bit pattern is `hi:lo` (both unsigned 32-bit integers). */
export function fromBits(hi: number, lo: number): number {
  scratchWords[HI_WORD] = hi;
  scratchWords[LO_WORD] = lo;
  return scratch[0]!;
}
