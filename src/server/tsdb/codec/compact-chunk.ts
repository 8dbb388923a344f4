import { BitWriter } from './bit-writer.js';
import { ChunkOrderError } from './chunk-corrupt-error.js';
import { MAX_DECIMAL_SCALE, MAX_SCALED_INT, MAX_TIMESTAMP_MS, POW10, TS_DOD, TS_NOMINAL, VALUE_INT_DELTA, VALUE_INT_DOD, VALUE_XOR, chunkFlags } from './chunk-format.js';
import { HI_WORD, LO_WORD } from './float-bits.js';
import { writeVarbitInt } from './varbit-int.js';
import { uvarintSize } from './varint.js';
import { writeChunk } from './write-chunk.js';
import { XorValueWriter } from './xor-value-codec.js';

/**
 * Encodes samples (timestamps strictly increasing integers in [0, 2^52), ms) with the smallest of
 * the chunk codings: timestamps as delta-of-deltas or as residuals from the median interval, values
 * as XOR or — when every value is exactly `k / 10^s` — as integer deltas or delta-of-deltas.
 * Values are read as bit patterns from the `Float64Array`, so the result is exact for any input.
 * Cost: a few passes over the samples; the head calls it once per sealed chunk.
 */
export function compactChunk(ts: Float64Array, values: Float64Array): Uint8Array {
  const n = ts.length;
  if (n === 0 || values.length !== n) throw new ChunkOrderError('compactChunk needs equally long, non-empty arrays');
  checkTimestamps(ts);
  const ts1 = timestampBits(ts, TS_DOD, 0);
  const nominal = medianDelta(ts);
  const ts2 = nominal > 0 ? timestampBits(ts, TS_NOMINAL, nominal) : null;
  // Compare whole bytes: the nominal interval costs a header varint, padding rounds up.
  const tsBest =
    ts2 && ts2.byteLength + uvarintSize(nominal) + uvarintSize(ts2.byteLength) < ts1.byteLength + uvarintSize(ts1.byteLength)
      ? { coding: TS_NOMINAL, bits: ts2 }
      : { coding: TS_DOD, bits: ts1 };

  let valueCoding = VALUE_XOR;
  let scale = 0;
  let valueBits = xorBits(values);
  const ints = scaledIntegers(values);
  if (ints) {
    for (const coding of [VALUE_INT_DELTA, VALUE_INT_DOD]) {
      const bits = intBits(ints.k, coding);
      if (bits.byteLength < valueBits.byteLength) {
        valueBits = bits;
        valueCoding = coding;
        scale = ints.scale;
      }
    }
  }
  return writeChunk({
    flags: chunkFlags(tsBest.coding, valueCoding, scale),
    count: n,
    firstTs: ts[0]!,
    nominal: tsBest.coding === TS_NOMINAL ? nominal : 0,
    tsBits: tsBest.bits,
    valueBits,
  });
}

function checkTimestamps(ts: Float64Array): void {
  for (let i = 0; i < ts.length; i++) {
    const t = ts[i]!;
    if (!Number.isInteger(t) || t < 0 || t > MAX_TIMESTAMP_MS || (i > 0 && t <= ts[i - 1]!)) {
      throw new ChunkOrderError(`timestamp ${t} at ${i} is not an increasing integer in [0, 2^52)`);
    }
  }
}

function timestampBits(ts: Float64Array, coding: number, nominal: number): BitWriter {
  const w = new BitWriter(ts.length);
  let prevDelta = 0;
  for (let i = 1; i < ts.length; i++) {
    const delta = ts[i]! - ts[i - 1]!;
    writeVarbitInt(w, coding === TS_DOD ? delta - prevDelta : delta - nominal);
    prevDelta = delta;
  }
  return w;
}

/** Median of the deltas (0 for fewer than 3 samples, where a nominal interval cannot pay off). */
function medianDelta(ts: Float64Array): number {
  if (ts.length < 3) return 0;
  const deltas = new Float64Array(ts.length - 1);
  for (let i = 1; i < ts.length; i++) deltas[i - 1] = ts[i]! - ts[i - 1]!;
  deltas.sort();
  return deltas[deltas.length >> 1]!;
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
