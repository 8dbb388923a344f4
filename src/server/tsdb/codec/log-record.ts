import { crc32 } from 'node:zlib';
import { ChunkCorruptError } from './chunk-corrupt-error.js';
import { MAX_TIMESTAMP_MS } from './chunk-format.js';
import { readUvarint, readUvarintAt, unzigzag, varintCursor, writeUvarint, zigzag } from './varint.js';

/**
 * One ingest-log record: the samples one `append` call stored, in arrival order. Layout
 * (version 1):
 *
 * ```
 * u8       version (1)
 * uvarint  sample count n
 * n ×      uvarint series id, zigzag-varint ts delta from the previous entry (first from 0),
 *          8 bytes value bits (little-endian float64)
 * u32 BE   CRC-32 (IEEE) of every preceding byte
 * ```
 *
 * Consecutive entries of a batch usually share a scrape timestamp, so a sample costs about
 * 10-12 bytes here, against ~25 for a SQLite row per sample.
 */
export const LOG_RECORD_VERSION = 1;

/** Decoded log record; the three arrays are parallel. */
export interface LogRecord {
  seriesIds: Float64Array;
  ts: Float64Array;
  values: Float64Array;
}

/** Samples as the log takes them: parallel columns (same shape as the sample store's `SampleColumns`). */
export interface LogColumns {
  seriesIds: ArrayLike<number>;
  ts: ArrayLike<number>;
  values: ArrayLike<number>;
}

/**
 * Encodes the samples of `batch` in order: those whose entry in `outcomes` is `'stored'`, or all
 * when `outcomes` is omitted. Series ids must be safe non-negative integers and timestamps
 * integers in [0, 2^52).
 */
export function encodeLogRecord(batch: LogColumns, outcomes?: readonly string[]): Uint8Array {
  const { seriesIds, ts, values } = batch;
  const total = ts.length;
  // Upper bound per sample: 8-byte varints for id and delta, 8 bytes value. The scratch buffer is
  // reused across calls, so only the exact-size result is allocated.
  const need = 1 + 8 + total * 24 + 4;
  if (scratch.length < need) scratch = new Uint8Array(Math.max(need, scratch.length * 2));
  const buf = scratch;
  const view = scratchView.buffer === buf.buffer ? scratchView : (scratchView = new DataView(buf.buffer));
  buf[0] = LOG_RECORD_VERSION;
  // The count is written last, into a fixed 8-byte slot shifted down at the end.
  let pos = 9;
  let n = 0;
  let prevTs = 0;
  for (let i = 0; i < total; i++) {
    if (outcomes && outcomes[i] !== 'stored') continue;
    const t = ts[i]!;
    pos = writeUvarint(buf, pos, seriesIds[i]!);
    pos = writeUvarint(buf, pos, zigzag(t - prevTs));
    prevTs = t;
    // Byte order fixed to little-endian so logs move between machines.
    view.setFloat64(pos, values[i]!, true);
    pos += 8;
    n++;
  }
  const countEnd = writeUvarint(buf, 1, n);
  buf.copyWithin(countEnd, 9, pos);
  const end = pos - (9 - countEnd);
  const out = buf.slice(0, end + 4);
  new DataView(out.buffer).setUint32(end, crc32(out.subarray(0, end)));
  return out;
}

let scratch = new Uint8Array(64 * 1024);
let scratchView = new DataView(scratch.buffer);

/** Decodes a log record; any damage (checksum, truncation, bad field) gives `ChunkCorruptError`. */
export function decodeLogRecord(bytes: Uint8Array): LogRecord {
  if (bytes.length < 1 + 1 + 4) throw new ChunkCorruptError(`log record too short (${bytes.length} bytes)`);
  const end = bytes.length - 4;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint32(end) !== crc32(bytes.subarray(0, end))) throw new ChunkCorruptError('log record checksum mismatch');
  if (bytes[0] !== LOG_RECORD_VERSION) throw new ChunkCorruptError(`unknown log record version ${bytes[0]}`);
  const count = readUvarint(bytes, 1, end);
  const n = count.value;
  // Each entry takes at least 10 bytes: bound the allocation by what the record can hold.
  if (n * 10 > end - count.next) throw new ChunkCorruptError(`log record claims ${n} samples`);
  const seriesIds = new Float64Array(n);
  const ts = new Float64Array(n);
  const values = new Float64Array(n);
  let pos = count.next;
  let prevTs = 0;
  for (let i = 0; i < n; i++) {
    const id = readUvarintAt(bytes, pos, end);
    const delta = readUvarintAt(bytes, varintCursor.next, end);
    const t = prevTs + unzigzag(delta);
    if (t < 0 || t > MAX_TIMESTAMP_MS) throw new ChunkCorruptError('log record timestamp out of range');
    pos = varintCursor.next;
    if (pos + 8 > end) throw new ChunkCorruptError('log record truncated');
    seriesIds[i] = id;
    ts[i] = t;
    prevTs = t;
    values[i] = view.getFloat64(pos, true);
    pos += 8;
  }
  if (pos !== end) throw new ChunkCorruptError('log record has trailing bytes');
  return { seriesIds, ts, values };
}
