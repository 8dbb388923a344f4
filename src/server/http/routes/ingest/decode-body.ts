import { Transform, type TransformCallback } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { VigilError } from '../../../core/errors.js';

/** Stops a decompressed stream once it grows past `max` bytes (gzip-bomb guard). */
class SizeCap extends Transform {
  private seen = 0;
  constructor(private readonly max: number) {
    super();
  }
  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    this.seen += chunk.length;
    if (this.seen > this.max) {
      const err = new VigilError('VIGIL_ERR_PAYLOAD_TOO_LARGE', `the decompressed body is larger than ${this.max} bytes`);
      cb(err);
      return;
    }
    cb(null, chunk);
  }
}

/**
 * Returns the payload stream to parse: as is for identity encoding, gunzipped with a size cap
 * for `gzip`. Other encodings are rejected with 415.
 */
export function decodeBody(encoding: string | undefined, payload: NodeJS.ReadableStream, max: number): NodeJS.ReadableStream {
  const enc = (encoding ?? 'identity').trim().toLowerCase();
  if (enc === 'identity' || enc === '') return payload;
  if (enc !== 'gzip') throw new VigilError('VIGIL_ERR_UNSUPPORTED_MEDIA_TYPE', 'Content-Encoding must be gzip or identity');
  const gunzip = createGunzip();
  const cap = new SizeCap(max);
  payload.on('error', (e) => cap.destroy(e));
  gunzip.on('error', (e) => cap.destroy(e));
  const out = payload.pipe(gunzip).pipe(cap) as unknown as NodeJS.ReadableStream & { receivedEncodedLength?: number };
  // Fastify compares the received length with Content-Length; that header counts compressed bytes.
  let encoded = 0;
  payload.on('data', (c: Buffer) => {
    encoded += c.length;
    out.receivedEncodedLength = encoded;
  });
  return out;
}
