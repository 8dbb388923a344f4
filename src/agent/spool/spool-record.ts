import { crc32 } from 'node:zlib';

/** Marks the start of a record ("VGS1" read as a little-endian u32); lets a reader resynchronise after damage. */
export const RECORD_MAGIC = 0x31534756;
/** Bytes before the payload: magic, payload length, CRC-32 of the payload (all u32 little-endian). */
export const FRAME_HEADER_BYTES = 12;
/** Bytes of metadata at the start of the payload: seq (f64), createdAt (f64), samples (u32), items (u32). */
export const RECORD_META_BYTES = 24;
/** Largest payload accepted when reading, in bytes: anything longer is a damaged length field. */
export const MAX_PAYLOAD_BYTES = 64 * 1024 * 1024;

/** One spooled batch. */
export interface SpoolRecordData {
  /** Spool sequence number: strictly increasing, never reused, survives restarts. */
  seq: number;
  /** When the batch was collected, ms since the epoch (used by the age limit). */
  createdAt: number;
  /** Samples in the batch (what a drop of this batch costs). */
  samples: number;
  /** Series items in the batch (what a rejection of the whole batch costs). */
  items: number;
  /** The batch body as sent to the server (JSON). */
  body: Buffer;
}

/**
 * Frames a record: `magic | length | crc32(payload) | payload`, payload = `seq | createdAt |
 * samples | items | body`. The CRC covers the metadata too, so a damaged seq or count is never
 * trusted.
 */
export function encodeRecord(r: SpoolRecordData): Buffer {
  const payloadLen = RECORD_META_BYTES + r.body.length;
  const buf = Buffer.allocUnsafe(FRAME_HEADER_BYTES + payloadLen);
  buf.writeUInt32LE(RECORD_MAGIC, 0);
  buf.writeUInt32LE(payloadLen, 4);
  buf.writeDoubleLE(r.seq, 12);
  buf.writeDoubleLE(r.createdAt, 20);
  buf.writeUInt32LE(r.samples, 28);
  buf.writeUInt32LE(r.items, 32);
  r.body.copy(buf, FRAME_HEADER_BYTES + RECORD_META_BYTES);
  buf.writeUInt32LE(crc32(buf.subarray(FRAME_HEADER_BYTES)), 8);
  return buf;
}

/** Outcome of decoding at one offset: a record and its framed size, or the reason it is not one. */
export type DecodeResult = { ok: true; record: SpoolRecordData; size: number } | { ok: false; reason: 'short' | 'magic' | 'length' | 'crc' | 'meta' };

/** Decodes the record framed at `offset` of `buf`, checking magic, length bounds, CRC and metadata. */
export function decodeRecord(buf: Buffer, offset: number): DecodeResult {
  if (buf.length - offset < FRAME_HEADER_BYTES) return { ok: false, reason: 'short' };
  if (buf.readUInt32LE(offset) !== RECORD_MAGIC) return { ok: false, reason: 'magic' };
  const payloadLen = buf.readUInt32LE(offset + 4);
  if (payloadLen < RECORD_META_BYTES || payloadLen > MAX_PAYLOAD_BYTES || offset + FRAME_HEADER_BYTES + payloadLen > buf.length) return { ok: false, reason: 'length' };
  const payload = buf.subarray(offset + FRAME_HEADER_BYTES, offset + FRAME_HEADER_BYTES + payloadLen);
  if (crc32(payload) !== buf.readUInt32LE(offset + 8)) return { ok: false, reason: 'crc' };
  const seq = payload.readDoubleLE(0);
  const createdAt = payload.readDoubleLE(8);
  if (!Number.isSafeInteger(seq) || seq < 0 || !Number.isFinite(createdAt)) return { ok: false, reason: 'meta' };
  return {
    ok: true,
    size: FRAME_HEADER_BYTES + payloadLen,
    record: { seq, createdAt, samples: payload.readUInt32LE(16), items: payload.readUInt32LE(20), body: Buffer.from(payload.subarray(RECORD_META_BYTES)) },
  };
}

/** A valid record found while scanning a segment, with its byte range. */
export interface ScannedRecord {
  record: SpoolRecordData;
  offset: number;
  size: number;
}

/** Result of scanning a whole segment: valid records in file order and the damaged regions skipped. */
export interface SegmentScan {
  records: ScannedRecord[];
  /** Damaged regions `[start, end)`; each counts as one corruption. */
  damaged: { start: number; end: number; reason: string }[];
}

const MAGIC_BYTES = Buffer.alloc(4);
MAGIC_BYTES.writeUInt32LE(RECORD_MAGIC, 0);

/**
 * Reads every record of a segment. At damage (torn tail, flipped bit, bad length, garbage) the
 * scan looks for the next offset where a complete, CRC-valid record starts and carries on from
 * there, so one bad record costs that record only: records before it are intact and nothing
 * after it is invented (a false start would need a matching CRC-32).
 */
export function scanSegment(buf: Buffer): SegmentScan {
  const out: SegmentScan = { records: [], damaged: [] };
  let pos = 0;
  while (pos < buf.length) {
    const r = decodeRecord(buf, pos);
    if (r.ok) {
      out.records.push({ record: r.record, offset: pos, size: r.size });
      pos += r.size;
      continue;
    }
    let next = buf.indexOf(MAGIC_BYTES, pos + 1);
    while (next >= 0 && !decodeRecord(buf, next).ok) next = buf.indexOf(MAGIC_BYTES, next + 1);
    const end = next < 0 ? buf.length : next;
    out.damaged.push({ start: pos, end, reason: r.reason });
    pos = end;
  }
  return out;
}
