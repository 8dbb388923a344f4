import { BitWriter } from './bit-writer.js';
import { ChunkOrderError } from './chunk-corrupt-error.js';
import { MAX_TIMESTAMP_MS, TS_DOD, TS_NOMINAL, chunkFlags } from './chunk-format.js';
import { writeVarbitInt } from './varbit-int.js';
import { uvarintSize } from './varint.js';
import { writeChunk } from './write-chunk.js';
import { encodeValueColumn } from './value-column.js';

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

  const v = encodeValueColumn(values);
  return writeChunk({
    flags: chunkFlags(tsBest.coding, v.coding, v.scale),
    count: n,
    firstTs: ts[0]!,
    nominal: tsBest.coding === TS_NOMINAL ? nominal : 0,
    tsBits: tsBest.bits,
    valueBits: v.bits,
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
