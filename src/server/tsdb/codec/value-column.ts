import { BitReader } from './bit-reader.js';
import { BitWriter } from './bit-writer.js';
import { ChunkCorruptError } from './chunk-corrupt-error.js';
import { MAX_SCALED_INT, MAX_DECIMAL_SCALE, POW10, VALUE_INT_DELTA, VALUE_INT_DOD, VALUE_XOR } from './chunk-format.js';
import { HI_WORD, LO_WORD } from './float-bits.js';
import { readVarbitInt, writeVarbitInt } from './varbit-int.js';
import { XorValueReader, XorValueWriter } from './xor-value-codec.js';

/** A value column encoded with the smallest of the value codings of `chunk-format.ts`. */
export interface EncodedValues {
  coding: number;
  /** Decimal scale s of the integer codings (values `k / 10^s`), 0 for XOR. */
  scale: number;
  bits: BitWriter;
}

/**
 * Encodes `values` (read as bit patterns, so exact for any input) as XOR, or — when every value
 * is exactly `k / 10^s` with |k| < 2^50 — as integer deltas or delta-of-deltas, whichever takes
 * the fewest bytes. Ties keep XOR.
 */
export function encodeValueColumn(values: Float64Array): EncodedValues {
  let best: EncodedValues = { coding: VALUE_XOR, scale: 0, bits: xorBits(values) };
  const ints = scaledIntegers(values);
  if (ints) {
    for (const coding of [VALUE_INT_DELTA, VALUE_INT_DOD]) {
      const bits = intBits(ints.k, coding);
      if (bits.byteLength < best.bits.byteLength) best = { coding, scale: ints.scale, bits };
    }
  }
  return best;
}

/** Decodes `n` values coded with `coding`/`scale` from `bytes[start, end)`; damage gives `ChunkCorruptError`. */
export function decodeValueColumn(bytes: Uint8Array, start: number, end: number, n: number, coding: number, scale: number): Float64Array {
  if (coding > VALUE_INT_DOD || scale > MAX_DECIMAL_SCALE || (coding === VALUE_XOR && scale !== 0)) throw new ChunkCorruptError(`bad value coding ${coding}/${scale}`);
  if ((end - start) * 8 < n) throw new ChunkCorruptError(`value section too short for ${n} values`);
  const r = new BitReader(bytes, start, end);
  const values = coding === VALUE_XOR ? decodeXor(r, n) : decodeInts(r, n, coding, scale);
  expectPadding(r);
  return values;
}

/** The section must end within the next byte boundary, with zero padding. */
export function expectPadding(r: BitReader): void {
  const rest = r.remaining;
  if (rest >= 8 || (rest > 0 && r.readBits(rest) !== 0)) throw new ChunkCorruptError('trailing bits after the last value');
}

function xorBits(values: Float64Array): BitWriter {
  const words = new Uint32Array(values.buffer, values.byteOffset, values.length * 2);
  const w = new BitWriter(values.length * 2);
  const hi0 = words[HI_WORD]!;
  const lo0 = words[LO_WORD]!;
  w.writeBits(hi0, 32);
  w.writeBits(lo0, 32);
  const xor = new XorValueWriter(hi0, lo0);
  for (let i = 1; i < values.length; i++) xor.write(w, words[i * 2 + HI_WORD]!, words[i * 2 + LO_WORD]!);
  return w;
}

/**
 * The smallest decimal scale s and integers k with `k / 10^s` (or `k` for s = 0) reproducing every
 * value bit-exactly, or null (NaN, ±Inf, -0, too many decimals, |k| >= 2^50).
 */
function scaledIntegers(values: Float64Array): { scale: number; k: Float64Array } | null {
  const k = new Float64Array(values.length);
  for (let s = 0; s <= MAX_DECIMAL_SCALE; s++) {
    const m = POW10[s]!;
    let ok = true;
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!;
      // `+ 0` turns -0 into +0, so a -0 value fails the exactness check below.
      const ki = Math.round(v * m) + 0;
      if (!(Math.abs(ki) < MAX_SCALED_INT) || !Object.is(s === 0 ? ki : ki / m, v)) {
        ok = false;
        break;
      }
      k[i] = ki;
    }
    if (ok) return { scale: s, k };
  }
  return null;
}

function intBits(k: Float64Array, coding: number): BitWriter {
  const w = new BitWriter(k.length * 2);
  writeVarbitInt(w, k[0]!);
  let prevDelta = 0;
  for (let i = 1; i < k.length; i++) {
    const delta = k[i]! - k[i - 1]!;
    writeVarbitInt(w, coding === VALUE_INT_DOD ? delta - prevDelta : delta);
    prevDelta = delta;
  }
  return w;
}

function decodeXor(r: BitReader, n: number): Float64Array {
  const values = new Float64Array(n);
  const words = new Uint32Array(values.buffer);
  const xor = new XorValueReader(r.readBits(32), r.readBits(32));
  words[HI_WORD] = xor.hi;
  words[LO_WORD] = xor.lo;
  for (let i = 1; i < n; i++) {
    xor.read(r);
    words[i * 2 + HI_WORD] = xor.hi;
    words[i * 2 + LO_WORD] = xor.lo;
  }
  return values;
}

const INT_LIMIT = 2 ** 52;

function decodeInts(r: BitReader, n: number, coding: number, scale: number): Float64Array {
  const values = new Float64Array(n);
  const dod = coding === VALUE_INT_DOD;
  const m = POW10[scale]!;
  let k = readVarbitInt(r);
  let delta = 0;
  values[0] = scale === 0 ? k : k / m;
  for (let i = 1; i < n; i++) {
    const v = readVarbitInt(r);
    delta = dod ? delta + v : v;
    k += delta;
    if (Math.abs(delta) >= INT_LIMIT || Math.abs(k) >= INT_LIMIT) throw new ChunkCorruptError('integer value out of range');
    values[i] = scale === 0 ? k : k / m;
  }
  return values;
}
