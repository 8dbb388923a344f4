import { crc32 } from 'node:zlib';
import type { BitWriter } from './bit-writer.js';
import { CHUNK_CRC_BYTES, CHUNK_FORMAT_VERSION, TS_NOMINAL } from './chunk-format.js';
import { uvarintSize, writeUvarint } from './varint.js';

/** Header fields and the two encoded sections of a chunk. */
export interface ChunkParts {
  flags: number;
  count: number;
  firstTs: number;
  /** Nominal interval (ms), written only when the flags say NOMINAL timestamps. */
  nominal: number;
  tsBits: BitWriter;
  valueBits: BitWriter;
}

/** Assembles a chunk (layout in `chunk-format.ts`): header, both sections, CRC. */
export function writeChunk(p: ChunkParts): Uint8Array {
  const nominal = p.flags >> 6 === TS_NOMINAL;
  const tsLen = p.tsBits.byteLength;
  const size =
    2 + uvarintSize(p.count) + uvarintSize(p.firstTs) + (nominal ? uvarintSize(p.nominal) : 0) + uvarintSize(tsLen) + tsLen + p.valueBits.byteLength + CHUNK_CRC_BYTES;
  const out = new Uint8Array(size);
  out[0] = CHUNK_FORMAT_VERSION;
  out[1] = p.flags;
  let pos = writeUvarint(out, 2, p.count);
  pos = writeUvarint(out, pos, p.firstTs);
  if (nominal) pos = writeUvarint(out, pos, p.nominal);
  pos = writeUvarint(out, pos, tsLen);
  p.tsBits.copyTo(out, pos);
  p.valueBits.copyTo(out, pos + tsLen);
  const body = size - CHUNK_CRC_BYTES;
  new DataView(out.buffer).setUint32(body, crc32(out.subarray(0, body)));
  return out;
}

/** Size `writeChunk` would produce for these parts, in bytes. */
export function chunkSize(p: ChunkParts): number {
  const nominal = p.flags >> 6 === TS_NOMINAL;
  const tsLen = p.tsBits.byteLength;
  return 2 + uvarintSize(p.count) + uvarintSize(p.firstTs) + (nominal ? uvarintSize(p.nominal) : 0) + uvarintSize(tsLen) + tsLen + p.valueBits.byteLength + CHUNK_CRC_BYTES;
}
