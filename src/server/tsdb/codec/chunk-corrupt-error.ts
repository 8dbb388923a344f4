/**
 * Thrown by every decoder of `src/server/tsdb/codec` when its input is not a valid encoding
 * (bad checksum, truncated, impossible field values). Decoders never throw anything else on bad
 * bytes, so callers can count and skip damaged data with one `instanceof` check.
 */
export class ChunkCorruptError extends Error {
  /** Stable code, for logs and metrics. */
  readonly code = 'VIGIL_ERR_CHUNK_CORRUPT';
  constructor(message: string) {
    super(message);
    this.name = 'ChunkCorruptError';
  }
}

/**
 * Thrown by encoders when the caller breaks their input contract (timestamps not strictly
 * increasing, not a safe non-negative integer ms value). This is a programming error of the
 * caller (the head orders samples before encoding), never a result of untrusted bytes.
 */
export class ChunkOrderError extends RangeError {
  /** Stable code, for logs. */
  readonly code = 'VIGIL_ERR_CHUNK_ORDER';
  constructor(message: string) {
    super(message);
    this.name = 'ChunkOrderError';
  }
}
