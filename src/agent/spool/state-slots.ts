import { closeSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { crc32 } from 'node:zlib';

/** File header: magic | version (u16) | reserved (u16) | slot size in bytes (u32) | reserved (u32). */
const FILE_HEADER_BYTES = 16;
const FILE_MAGIC = 0x50534756; // "VGSP" little-endian
const FILE_VERSION = 1;
/** Slot header: generation (f64) | payload length (u32) | CRC-32 of generation, length and payload (u32). */
const SLOT_HEADER_BYTES = 16;
/** Initial size of one slot in bytes; a bigger payload moves the file to bigger slots. */
export const INITIAL_SLOT_BYTES = 4096;

/** What {@link StateSlots.open} found. */
export interface SlotsOpened {
  slots: StateSlots;
  /** Payload of the newest intact slot; null when the file is new or nothing in it is intact. */
  payload: string | null;
  /** True when the file exists but neither slot holds an intact payload. */
  damaged: boolean;
}

/**
 * A small state document (the spool's ack cursor) kept in two alternating slots of one file,
 * each written in place with one `pwrite` and checked by a CRC when read back.
 *
 * Why not write a temporary file and rename it over the old one: the spool saves its state after
 * every acknowledged batch, and create + write + close + rename cost the agent more CPU per tick
 * than any other file operation. Alternating slots keep the same guarantee: a torn or lost write
 * (power loss; the file is not fsynced, as before) damages only the slot being written, and the
 * reader falls back to the other, one generation older; the spool then re-sends the batches
 * acknowledged since, which the server's idempotency makes harmless.
 */
export class StateSlots {
  private generation: number;

  private constructor(
    private readonly path: string,
    private fd: number,
    private slotBytes: number,
    generation: number,
  ) {
    this.generation = generation;
  }

  /** Opens (or creates) the slot file at `path` and reads its newest intact payload. */
  static open(path: string): SlotsOpened {
    let buf: Buffer | null = null;
    try {
      buf = readFileSync(path);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    if (buf === null || buf.length === 0) {
      // A new file, or one created by a rename that a power loss emptied: start over.
      const slots = new StateSlots(path, -1, INITIAL_SLOT_BYTES, 0);
      slots.rewrite(null);
      return { slots, payload: null, damaged: buf !== null };
    }
    const slotBytes = buf.length >= FILE_HEADER_BYTES && buf.readUInt32LE(0) === FILE_MAGIC && buf.readUInt16LE(4) === FILE_VERSION ? buf.readUInt32LE(8) : 0;
    const newest = slotBytes >= SLOT_HEADER_BYTES ? newestSlot(buf, slotBytes) : null;
    const slots = new StateSlots(path, -1, slotBytes >= SLOT_HEADER_BYTES ? slotBytes : INITIAL_SLOT_BYTES, newest?.generation ?? 0);
    if (slotBytes >= SLOT_HEADER_BYTES) slots.fd = openSync(path, 'r+');
    else slots.rewrite(null);
    return { slots, payload: newest?.payload ?? null, damaged: newest === null };
  }

  /** Saves `payload` in the older slot (a new file with bigger slots when it does not fit). */
  write(payload: string): void {
    const body = Buffer.from(payload, 'utf8');
    if (SLOT_HEADER_BYTES + body.length > this.slotBytes) {
      this.rewrite(body);
      return;
    }
    this.generation++;
    const slot = encodeSlot(this.generation, body);
    writeAll(this.fd, slot, FILE_HEADER_BYTES + (this.generation % 2) * this.slotBytes);
  }

  /** Closes the file. */
  close(): void {
    if (this.fd >= 0) closeSync(this.fd);
    this.fd = -1;
  }

  /** Writes a whole new file (slots big enough for `body`) next to the old one and renames it over. */
  private rewrite(body: Buffer | null): void {
    while (body && SLOT_HEADER_BYTES + body.length > this.slotBytes) this.slotBytes *= 2;
    const file = Buffer.alloc(FILE_HEADER_BYTES + 2 * this.slotBytes);
    file.writeUInt32LE(FILE_MAGIC, 0);
    file.writeUInt16LE(FILE_VERSION, 4);
    file.writeUInt32LE(this.slotBytes, 8);
    if (body) {
      this.generation++;
      encodeSlot(this.generation, body).copy(file, FILE_HEADER_BYTES + (this.generation % 2) * this.slotBytes);
    }
    const tmp = `${this.path}.tmp`;
    const fd = openSync(tmp, 'w');
    try {
      writeAll(fd, file, 0);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, this.path);
    this.close();
    this.fd = openSync(this.path, 'r+');
  }
}

function encodeSlot(generation: number, body: Buffer): Buffer {
  const slot = Buffer.allocUnsafe(SLOT_HEADER_BYTES + body.length);
  slot.writeDoubleLE(generation, 0);
  slot.writeUInt32LE(body.length, 8);
  body.copy(slot, SLOT_HEADER_BYTES);
  slot.writeUInt32LE(crc32(body, crc32(slot.subarray(0, 12))), 12);
  return slot;
}

/** The intact slot with the highest generation, or null. */
function newestSlot(buf: Buffer, slotBytes: number): { generation: number; payload: string } | null {
  let best: { generation: number; payload: string } | null = null;
  for (let i = 0; i < 2; i++) {
    const at = FILE_HEADER_BYTES + i * slotBytes;
    if (at + SLOT_HEADER_BYTES > buf.length) continue;
    const generation = buf.readDoubleLE(at);
    const length = buf.readUInt32LE(at + 8);
    if (!Number.isSafeInteger(generation) || generation < 1 || length > slotBytes - SLOT_HEADER_BYTES || at + SLOT_HEADER_BYTES + length > buf.length) continue;
    const body = buf.subarray(at + SLOT_HEADER_BYTES, at + SLOT_HEADER_BYTES + length);
    if (crc32(body, crc32(buf.subarray(at, at + 12))) !== buf.readUInt32LE(at + 12)) continue;
    if (!best || generation > best.generation) best = { generation, payload: body.toString('utf8') };
  }
  return best;
}

function writeAll(fd: number, data: Buffer, position: number): void {
  let off = 0;
  while (off < data.length) off += writeSync(fd, data, off, data.length - off, position + off);
}
