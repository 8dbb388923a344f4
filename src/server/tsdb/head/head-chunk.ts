import { ChunkEncoder } from '../codec/chunk-encoder.js';
import { compactChunk } from '../codec/compact-chunk.js';
import { decodeChunk, type DecodedChunk } from '../codec/decode-chunk.js';

/**
 * One chunk of a series in the head. Open chunks append through a streaming `ChunkEncoder`;
 * closed chunks hold their bytes; a finalized chunk is frozen (compacted, waiting to be
 * persisted) and never changes again.
 */
export class HeadChunk {
  /** Timestamp (ms) of the first and last sample. */
  minTs = 0;
  maxTs = 0;
  count = 0;
  /** Set once the chunk is frozen for persistence. */
  final = false;

  private constructor(
    public enc: ChunkEncoder | null,
    public bytes: Uint8Array | null,
  ) {}

  /** An empty open chunk. */
  static open(): HeadChunk {
    return new HeadChunk(new ChunkEncoder(), null);
  }

  /** A chunk holding `samples` (timestamps ascending); open ones accept further in-order appends. */
  static fromSamples(ts: Float64Array, values: Float64Array, open: boolean): HeadChunk {
    const c = open ? HeadChunk.open() : new HeadChunk(null, compactChunk(ts, values));
    if (c.enc) for (let i = 0; i < ts.length; i++) c.enc.append(ts[i]!, values[i]!);
    c.minTs = ts[0]!;
    c.maxTs = ts[ts.length - 1]!;
    c.count = ts.length;
    return c;
  }

  /** A closed chunk over already-encoded bytes (a checkpoint entry); the caller knows its range. */
  static closedFrom(bytes: Uint8Array, minTs: number, maxTs: number, count: number): HeadChunk {
    const c = new HeadChunk(null, bytes.slice());
    c.minTs = minTs;
    c.maxTs = maxTs;
    c.count = count;
    return c;
  }

  /** Appends a sample newer than `maxTs`; only on open chunks. */
  append(ts: number, value: number): void {
    this.enc!.append(ts, value);
    if (this.count === 0) this.minTs = ts;
    this.maxTs = ts;
    this.count++;
  }

  /** Current encoding of the chunk (a fresh copy for open chunks). */
  encoded(): Uint8Array {
    return this.bytes ?? this.enc!.finish();
  }

  /** All samples of the chunk. */
  decode(): DecodedChunk {
    return decodeChunk(this.encoded());
  }

  /** Stops appending: keeps the streaming encoding (cheap); `freeze` compacts later. */
  close(): void {
    if (this.enc) {
      this.bytes = this.enc.finish();
      this.enc = null;
    }
  }

  /** Closes, re-encodes with the smallest coding and marks the chunk final. */
  freeze(): void {
    const d = this.decode();
    this.bytes = compactChunk(d.ts, d.values);
    this.enc = null;
    this.final = true;
  }

  /** Bytes held (approximate for open chunks). */
  get byteLength(): number {
    return this.bytes ? this.bytes.length : this.enc!.byteLength;
  }
}
