import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { HttpProtocolError, HttpResponseParser, MAX_HEAD_BYTES } from './http-response-parser.js';

/** Feeds `bytes` in the given piece sizes; returns the first complete response, or null. */
function parseInPieces(bytes: Buffer, sizes: number[], max = 1 << 20) {
  const p = new HttpResponseParser(max);
  let at = 0;
  for (let i = 0; at < bytes.length; i++) {
    const n = Math.max(1, sizes[i % Math.max(1, sizes.length)] ?? bytes.length);
    const r = p.push(bytes.subarray(at, at + n));
    at += n;
    if (r) return r;
  }
  return null;
}

const chunked = (body: string, sizes: number[]) => {
  let out = '';
  let at = 0;
  for (let i = 0; at < body.length; i++) {
    const n = Math.max(1, sizes[i % Math.max(1, sizes.length)] ?? body.length);
    const part = body.slice(at, at + n);
    out += `${Buffer.byteLength(part).toString(16)}\r\n${part}\r\n`;
    at += n;
  }
  return `${out}0\r\n\r\n`;
};

test('property: however a response is cut into TCP pieces and framed (length or chunked), the same status, headers and body come out', () => {
  fc.assert(
    fc.property(fc.integer({ min: 200, max: 599 }), fc.string({ maxLength: 300 }), fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 8 }), fc.boolean(), (status, text, sizes, useChunks) => {
      const ascii = text.replace(/[^\x20-\x7e]/g, 'x');
      const framing = useChunks ? `Transfer-Encoding: chunked\r\n\r\n${chunked(ascii, sizes)}` : `Content-Length: ${ascii.length}\r\n\r\n${ascii}`;
      const raw = Buffer.from(`HTTP/1.1 ${status} Whatever\r\nX-Test: yes\r\n${status === 204 || status === 304 ? 'Content-Length: 0\r\n\r\n' : framing}`, 'latin1');
      const r = parseInPieces(raw, sizes);
      assert.ok(r);
      assert.equal(r.status, status);
      assert.equal(r.headers['x-test'], 'yes');
      assert.equal(r.body.toString('latin1'), status === 204 || status === 304 ? '' : ascii);
      assert.equal(r.keepAlive, true);
    }),
  );
});

test('property: arbitrary bytes never crash the parser: they give a response, need more bytes, or an HttpProtocolError', () => {
  fc.assert(
    fc.property(fc.oneof(fc.uint8Array({ maxLength: 400 }), fc.string({ maxLength: 400 }).map((s) => `HTTP/1.1 200 OK\r\n${s}`)), fc.array(fc.integer({ min: 1, max: 64 }), { minLength: 1, maxLength: 5 }), (input, sizes) => {
      const bytes = typeof input === 'string' ? Buffer.from(input, 'latin1') : Buffer.from(input);
      try {
        parseInPieces(bytes, sizes);
      } catch (err) {
        assert.ok(err instanceof HttpProtocolError, String(err));
      }
    }),
  );
});

test('limits: an endless head is refused; the kept body is cut at maxBodyBytes; duplicate or conflicting framing is refused', () => {
  assert.throws(() => new HttpResponseParser(10).push(Buffer.from(`HTTP/1.1 200 OK\r\nX: ${'a'.repeat(MAX_HEAD_BYTES)}`)), /head too large/);
  const r = new HttpResponseParser(4).push(Buffer.from('HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n0123456789'));
  assert.equal(r?.body.toString(), '0123');
  assert.throws(() => new HttpResponseParser(10).push(Buffer.from('HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n')), /invalid content-length/);
  assert.throws(() => new HttpResponseParser(10).push(Buffer.from('HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n')), /unsupported transfer-encoding/);
  assert.throws(() => new HttpResponseParser(10).push(Buffer.from('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n')), /malformed chunk size/);
  // A response with bytes after it (a pipelining server) is not kept alive.
  assert.equal(new HttpResponseParser(10).push(Buffer.from('HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nxHTTP/1.1'))?.keepAlive, false);
});
