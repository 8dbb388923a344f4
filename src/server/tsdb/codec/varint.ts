import { ChunkCorruptError } from './chunk-corrupt-error.js';

/** Largest integer the varint helpers accept: 2^53 - 1 (`Number.MAX_SAFE_INTEGER`). */
export const MAX_VARINT = Number.MAX_SAFE_INTEGER;

/** Bytes `writeUvarint` needs for `value` (1..8 for safe integers). */
export function uvarintSize(value: number): number {
  let n = 1;
  while (value >= 0x80) {
    value = Math.floor(value / 0x80);
    n++;
  }
  return n;
}

/**
 * Writes `value` (a safe non-negative integer) as an unsigned LEB128 varint at `pos` and returns
 * the position after it. Uses arithmetic, not bit operators, because those truncate to 32 bits.
 */
export function writeUvarint(buf: Uint8Array, pos: number, value: number): number {
  while (value >= 0x80) {
    buf[pos++] = (value % 0x80) | 0x80;
    value = Math.floor(value / 0x80);
  }
  buf[pos++] = value;
  return pos;
}

/** A decoded varint and the position after it. */
export interface VarintRead {
  value: number;
  next: number;
}

/**
 * Reads an unsigned LEB128 varint at `pos` that must end before `end`. A varint that runs past
 * `end`, is longer than 8 bytes or exceeds 2^53 - 1 gives `ChunkCorruptError`.
 */
export function readUvarint(buf: Uint8Array, pos: number, end: number): VarintRead {
  let value = 0;
  let scale = 1;
  for (let i = 0; i < 8; i++) {
    if (pos >= end) throw new ChunkCorruptError('varint runs past the end of its record');
    const byte = buf[pos++]!;
    value += (byte & 0x7f) * scale;
    if (byte < 0x80) {
      if (value > MAX_VARINT) throw new ChunkCorruptError('varint exceeds 2^53 - 1');
      return { value, next: pos };
    }
    scale *= 0x80;
  }
  throw new ChunkCorruptError('varint longer than 8 bytes');
}

/**
 * Like `readUvarint` without allocating: returns the value and leaves the next position in
 * `varintCursor.next` (for hot decode loops).
 */
export function readUvarintAt(buf: Uint8Array, pos: number, end: number): number {
  let value = 0;
  let scale = 1;
  for (let i = 0; i < 8; i++) {
    if (pos >= end) throw new ChunkCorruptError('varint runs past the end of its record');
    const byte = buf[pos++]!;
    value += (byte & 0x7f) * scale;
    if (byte < 0x80) {
      if (value > MAX_VARINT) throw new ChunkCorruptError('varint exceeds 2^53 - 1');
      varintCursor.next = pos;
      return value;
    }
    scale *= 0x80;
  }
  throw new ChunkCorruptError('varint longer than 8 bytes');
}

/** Position after the varint last read by `readUvarintAt`. */
export const varintCursor = { next: 0 };

/** Zigzag mapping of a safe integer to a non-negative one (0, -1, 1, -2 ... → 0, 1, 2, 3 ...). */
export function zigzag(value: number): number {
  return value >= 0 ? value * 2 : -value * 2 - 1;
}

/** Inverse of `zigzag`. */
export function unzigzag(value: number): number {
  return value % 2 === 0 ? value / 2 : -(value + 1) / 2;
}
