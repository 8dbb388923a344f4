/** Longest status line plus headers accepted, in bytes. */
export const MAX_HEAD_BYTES = 64 * 1024;

/** A response the agent cannot read (the connection is closed after it). */
export class HttpProtocolError extends Error {
  override name = 'HttpProtocolError';
}

/** One parsed HTTP/1.1 response. */
export interface ParsedResponse {
  status: number;
  /** Header names in lower case; repeated headers as arrays. */
  headers: Record<string, string | string[]>;
  /** The first `maxBodyBytes` bytes of the body. */
  body: Buffer;
  /** False when the connection must not be used again (Connection: close, HTTP/1.0, body until close). */
  keepAlive: boolean;
}

type BodyMode = { kind: 'length'; left: number } | { kind: 'chunked'; state: 'size' | 'data' | 'data-end' | 'trailers'; left: number } | { kind: 'close' };

/**
 * Incremental parser of one HTTP/1.1 response (status line, headers, and a body framed by
 * Content-Length, chunked transfer coding, or the end of the connection). Interim 1xx responses
 * are skipped. Bytes of the body beyond `maxBodyBytes` are read and discarded.
 */
export class HttpResponseParser {
  private buf: Buffer = Buffer.alloc(0);
  private head: { status: number; headers: Record<string, string | string[]>; keepAlive: boolean } | null = null;
  private mode: BodyMode | null = null;
  private readonly kept: Buffer[] = [];
  private keptBytes = 0;
  /** Bytes of the response received so far (status line included). */
  received = 0;

  constructor(private readonly maxBodyBytes: number) {}

  /** Feeds bytes; returns the response once complete. @throws HttpProtocolError on malformed input. */
  push(chunk: Buffer): ParsedResponse | null {
    this.received += chunk.length;
    this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk]);
    for (;;) {
      if (!this.head) {
        if (!this.readHead()) return null;
        continue;
      }
      const done = this.readBody();
      if (done) return this.result();
      return null;
    }
  }

  /** The connection ended: completes a body that runs until the close. @throws HttpProtocolError when the response is incomplete. */
  end(): ParsedResponse {
    if (this.head && this.mode?.kind === 'close') return this.result();
    throw new HttpProtocolError('connection closed before the response was complete');
  }

  private readHead(): boolean {
    const end = this.buf.indexOf('\r\n\r\n');
    if (end < 0) {
      if (this.buf.length > MAX_HEAD_BYTES) throw new HttpProtocolError('response head too large');
      return false;
    }
    if (end > MAX_HEAD_BYTES) throw new HttpProtocolError('response head too large');
    const lines = this.buf.subarray(0, end).toString('latin1').split('\r\n');
    this.buf = this.buf.subarray(end + 4);
    const m = /^HTTP\/1\.([01]) (\d{3})(?: .*)?$/.exec(lines[0] ?? '');
    if (!m) throw new HttpProtocolError('malformed status line');
    const status = Number(m[2]);
    const headers: Record<string, string | string[]> = {};
    for (const line of lines.slice(1)) {
      const colon = line.indexOf(':');
      if (colon <= 0) throw new HttpProtocolError('malformed header line');
      const name = line.slice(0, colon).trim().toLowerCase();
      const value = line.slice(colon + 1).trim();
      const prev = headers[name];
      headers[name] = prev === undefined ? value : Array.isArray(prev) ? [...prev, value] : [prev, value];
    }
    // Interim answers (100 Continue, 103 Early Hints) precede the real one.
    if (status >= 100 && status < 200) return true;
    const connection = String(headers.connection ?? '').toLowerCase();
    const keepAlive = m[1] === '1' ? !connection.includes('close') : connection.includes('keep-alive');
    this.head = { status, headers, keepAlive };
    this.mode = this.bodyMode(status, headers);
    return true;
  }

  private bodyMode(status: number, headers: Record<string, string | string[]>): BodyMode {
    if (status === 204 || status === 304) return { kind: 'length', left: 0 };
    const te = headers['transfer-encoding'];
    if (te !== undefined) {
      if (String(te).toLowerCase().split(',').pop()?.trim() !== 'chunked') throw new HttpProtocolError('unsupported transfer-encoding');
      return { kind: 'chunked', state: 'size', left: 0 };
    }
    const cl = headers['content-length'];
    if (cl !== undefined) {
      if (Array.isArray(cl) || !/^\d{1,15}$/.test(cl)) throw new HttpProtocolError('invalid content-length');
      return { kind: 'length', left: Number(cl) };
    }
    return { kind: 'close' };
  }

  /** Consumes body bytes from the buffer; true when the body is complete. */
  private readBody(): boolean {
    const mode = this.mode as BodyMode;
    if (mode.kind === 'close') {
      this.keep(this.buf);
      this.buf = Buffer.alloc(0);
      return false;
    }
    if (mode.kind === 'length') {
      const n = Math.min(mode.left, this.buf.length);
      this.keep(this.buf.subarray(0, n));
      this.buf = this.buf.subarray(n);
      mode.left -= n;
      return mode.left === 0;
    }
    return this.readChunks(mode);
  }

  private readChunks(mode: Extract<BodyMode, { kind: 'chunked' }>): boolean {
    for (;;) {
      if (mode.state === 'data') {
        const n = Math.min(mode.left, this.buf.length);
        this.keep(this.buf.subarray(0, n));
        this.buf = this.buf.subarray(n);
        mode.left -= n;
        if (mode.left > 0) return false;
        mode.state = 'data-end';
        continue;
      }
      const eol = this.buf.indexOf('\r\n');
      if (eol < 0) {
        if (this.buf.length > MAX_HEAD_BYTES) throw new HttpProtocolError('chunk line too long');
        return false;
      }
      const line = this.buf.subarray(0, eol).toString('latin1');
      this.buf = this.buf.subarray(eol + 2);
      if (mode.state === 'data-end') {
        if (line !== '') throw new HttpProtocolError('malformed chunk end');
        mode.state = 'size';
      } else if (mode.state === 'size') {
        const size = /^([0-9a-fA-F]{1,12})(?:;.*)?$/.exec(line.trim());
        if (!size) throw new HttpProtocolError('malformed chunk size');
        mode.left = parseInt(size[1] as string, 16);
        mode.state = mode.left === 0 ? 'trailers' : 'data';
      } else if (line === '') {
        return true;
      }
    }
  }

  private keep(part: Buffer): void {
    if (this.keptBytes >= this.maxBodyBytes || part.length === 0) return;
    const take = part.subarray(0, this.maxBodyBytes - this.keptBytes);
    this.kept.push(Buffer.from(take));
    this.keptBytes += take.length;
  }

  private result(): ParsedResponse {
    const head = this.head as NonNullable<typeof this.head>;
    const keepAlive = head.keepAlive && this.mode?.kind !== 'close' && this.buf.length === 0;
    return { status: head.status, headers: head.headers, body: Buffer.concat(this.kept), keepAlive };
  }
}
