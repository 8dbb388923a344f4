import { crc32 } from 'node:zlib';
import { ChunkCorruptError } from './chunk-corrupt-error.js';
import { readUvarint, uvarintSize, writeUvarint } from './varint.js';

/**
 * One part of a head checkpoint: the head's chunks (each a complete chunk with its own CRC),
 * framed as `uvarint series id, uvarint byte length, chunk bytes`, followed by a CRC-32 of the
 * whole part. Parts are kept to a few MiB so no single row or allocation grows with the head.
 */
export interface CheckpointEntry {
  seriesId: number;
  bytes: Uint8Array;
}

/** Largest payload of one part before a new one is started (4 MiB). */
export const CHECKPOINT_PART_BYTES = 4 * 1024 * 1024;

/** Packs entries into parts of at most about `partBytes` (default 4 MiB) each. */
export function encodeCheckpointParts(entries: Iterable<CheckpointEntry>, partBytes = CHECKPOINT_PART_BYTES): Uint8Array[] {
  const parts: Uint8Array[] = [];
  let batch: CheckpointEntry[] = [];
  let size = 0;
  const flush = () => {
    if (batch.length === 0) return;
    const out = new Uint8Array(size + 4);
    let pos = 0;
    for (const e of batch) {
      pos = writeUvarint(out, pos, e.seriesId);
      pos = writeUvarint(out, pos, e.bytes.length);
      out.set(e.bytes, pos);
      pos += e.bytes.length;
    }
    new DataView(out.buffer).setUint32(pos, crc32(out.subarray(0, pos)));
    parts.push(out);
    batch = [];
    size = 0;
  };
  for (const e of entries) {
    batch.push(e);
    size += uvarintSize(e.seriesId) + uvarintSize(e.bytes.length) + e.bytes.length;
    if (size >= partBytes) flush();
  }
  flush();
  return parts;
}

/** Unpacks one part; a damaged part (checksum, framing) gives `ChunkCorruptError`. */
export function decodeCheckpointPart(part: Uint8Array): CheckpointEntry[] {
  if (part.length < 4) throw new ChunkCorruptError('checkpoint part too short');
  const end = part.length - 4;
  const view = new DataView(part.buffer, part.byteOffset, part.byteLength);
  if (view.getUint32(end) !== crc32(part.subarray(0, end))) throw new ChunkCorruptError('checkpoint part checksum mismatch');
  const out: CheckpointEntry[] = [];
  let pos = 0;
  while (pos < end) {
    const id = readUvarint(part, pos, end);
    const len = readUvarint(part, id.next, end);
    if (len.next + len.value > end) throw new ChunkCorruptError('checkpoint entry runs past the part');
    out.push({ seriesId: id.value, bytes: part.subarray(len.next, len.next + len.value) });
    pos = len.next + len.value;
  }
  return out;
}
