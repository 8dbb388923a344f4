import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createServer as createNetServer, type Server as NetServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { HttpPoster, type PostOptions } from './http-post.js';

const CERT = readFileSync(new URL('./testdata/test-cert.pem', import.meta.url));
const KEY = readFileSync(new URL('./testdata/test-key.pem', import.meta.url));
const opts = (extra: Partial<PostOptions> = {}): PostOptions => ({ headers: { 'content-type': 'application/json', 'idempotency-key': 'k-1' }, timeoutMs: 5_000, maxResponseBytes: 64 * 1024, ...extra });

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/** A real node:http server answering with `handler`; counts connections and records requests. */
async function httpServer(handler: (req: IncomingMessage, res: ServerResponse, body: string) => void, tls = false): Promise<{ base: URL; seen: Seen[]; connections: () => number; server: Server; close: () => Promise<void> }> {
  const seen: Seen[] = [];
  let connections = 0;
  const onRequest = (req: IncomingMessage, res: ServerResponse) => {
    const parts: Buffer[] = [];
    req.on('data', (c: Buffer) => parts.push(c));
    req.on('end', () => {
      const body = Buffer.concat(parts).toString('utf8');
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      handler(req, res, body);
    });
  };
  const server = (tls ? createHttpsServer({ cert: CERT, key: KEY }, onRequest) : createHttpServer(onRequest)) as Server;
  server.on(tls ? 'secureConnection' : 'connection', () => connections++);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    base: new URL(`${tls ? 'https' : 'http'}://127.0.0.1:${port}/prefix`),
    seen,
    connections: () => connections,
    server,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

/** A raw TCP server that answers each request with the next script entry, written in pieces. */
async function rawServer(script: ((socket: Socket) => void)[]): Promise<{ base: URL; close: () => Promise<void> }> {
  let n = 0;
  const server: NetServer = createNetServer((socket) => {
    let buffered = '';
    socket.on('data', (d) => {
      buffered += d.toString('latin1');
      // One request per script step: answer once its head and body (content-length) are in.
      const end = buffered.indexOf('\r\n\r\n');
      const len = Number(/content-length: (\d+)/i.exec(buffered)?.[1] ?? 0);
      if (end < 0 || buffered.length < end + 4 + len) return;
      buffered = buffered.slice(end + 4 + len);
      const step = script[n++];
      if (step) step(socket);
    });
    socket.on('error', () => undefined);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return { base: new URL(`http://127.0.0.1:${port}/`), close: () => new Promise<void>((r) => server.close(() => r())) };
}

/** Writes `text` one small piece at a time (exercises the incremental parser). */
function dribble(socket: Socket, text: string, piece = 3): void {
  for (let i = 0; i < text.length; i += piece) socket.write(text.slice(i, i + piece));
}

test('posts with Host, headers and Content-Length under the base path, reads status, headers and body, and keeps one connection', async () => {
  const s = await httpServer((_req, res, body) => {
    res.setHeader('retry-after', '5');
    res.setHeader('set-cookie', ['a=1', 'b=2']);
    res.end(JSON.stringify({ echo: body.length }));
  });
  const client = new HttpPoster(s.base);
  try {
    const body = Buffer.from('{"series":[]}');
    const a = await client.post('/api/v1/ingest', body, opts());
    const b = await client.post('api/v1/agents/register', body, opts());
    assert.equal(a.status, 200);
    assert.equal(a.headers['retry-after'], '5');
    assert.deepEqual(a.headers['set-cookie'], ['a=1', 'b=2']);
    assert.equal(a.body, JSON.stringify({ echo: body.length }));
    assert.equal(b.status, 200);
    assert.deepEqual(s.seen.map((r) => [r.method, r.url]), [['POST', '/prefix/api/v1/ingest'], ['POST', '/prefix/api/v1/agents/register']]);
    assert.equal(s.seen[0]?.headers.host, s.base.host);
    assert.equal(s.seen[0]?.headers['content-length'], String(body.length));
    assert.equal(s.seen[0]?.headers['idempotency-key'], 'k-1');
    assert.equal(s.seen[0]?.body, '{"series":[]}');
    assert.equal(s.connections(), 1, 'the second request reused the connection');
  } finally {
    client.close();
    await s.close();
  }
});

test('a server that closes the idle connection is noticed; the next request opens a new one', async () => {
  // The server ends each connection shortly after answering (as a keep-alive timeout does).
  const s = await httpServer((req, res) => {
    res.on('finish', () => setTimeout(() => req.socket.end(), 30));
    res.end('ok');
  });
  const client = new HttpPoster(s.base);
  try {
    assert.equal((await client.post('/x', Buffer.from('1'), opts())).body, 'ok');
    await new Promise((r) => setTimeout(r, 300));
    assert.equal((await client.post('/x', Buffer.from('2'), opts())).body, 'ok');
    assert.equal(s.connections(), 2);
  } finally {
    client.close();
    await s.close();
  }
});

test('https: the server is verified against the given CA; an unknown CA fails', async () => {
  const s = await httpServer((_req, res) => res.end('secure'), true);
  const trusted = new HttpPoster(s.base, { ca: CERT });
  const untrusted = new HttpPoster(s.base);
  try {
    assert.equal((await trusted.post('/x', Buffer.from('{}'), opts())).body, 'secure');
    await assert.rejects(untrusted.post('/x', Buffer.from('{}'), opts()), /self-signed|certificate/i);
  } finally {
    trusted.close();
    untrusted.close();
    await s.close();
  }
});

test('chunked bodies (with extensions and trailers), interim 1xx answers, 204 and Connection: close, all written in small pieces', async () => {
  const s = await rawServer([
    (so) => dribble(so, 'HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 207 Multi\r\nTransfer-Encoding: chunked\r\nX-A: 1\r\n\r\n5;ext=1\r\nhello\r\n7\r\n, world\r\n0\r\nTrailer: x\r\n\r\n'),
    (so) => dribble(so, 'HTTP/1.1 204 No Content\r\nContent-Length: 0\r\n\r\n'),
    (so) => {
      dribble(so, 'HTTP/1.1 503 Busy\r\nConnection: close\r\nContent-Length: 4\r\n\r\nbusy');
      so.end();
    },
    (so) => {
      // HTTP/1.0 without a length: the body runs until the connection ends.
      so.write('HTTP/1.0 200 OK\r\n\r\nuntil ');
      setTimeout(() => so.end('close'), 20);
    },
  ]);
  const client = new HttpPoster(s.base);
  try {
    const a = await client.post('/a', Buffer.from('{}'), opts());
    assert.deepEqual([a.status, a.body, a.headers['x-a']], [207, 'hello, world', '1']);
    const b = await client.post('/b', Buffer.from('{}'), opts());
    assert.deepEqual([b.status, b.body], [204, '']);
    const c = await client.post('/c', Buffer.from('{}'), opts());
    assert.deepEqual([c.status, c.body], [503, 'busy']);
    const d = await client.post('/d', Buffer.from('{}'), opts());
    assert.deepEqual([d.status, d.body], [200, 'until close']);
  } finally {
    client.close();
    await s.close();
  }
});

test('only maxResponseBytes of a long body are kept, the rest is read and the connection stays usable', async () => {
  const s = await httpServer((req, res) => res.end(req.url?.endsWith('big') ? 'x'.repeat(200_000) : 'small'));
  const client = new HttpPoster(s.base);
  try {
    const big = await client.post('/big', Buffer.from('{}'), opts({ maxResponseBytes: 100 }));
    assert.equal(big.body, 'x'.repeat(100));
    assert.equal((await client.post('/small', Buffer.from('{}'), opts())).body, 'small');
    assert.equal(s.connections(), 1);
  } finally {
    client.close();
    await s.close();
  }
});

test('failures reject with a clear error and never hang: refused, timeout, abort, reset, malformed answer, header injection', async () => {
  const refused = await httpServer(() => undefined);
  const refusedBase = refused.base;
  await refused.close();
  await assert.rejects(new HttpPoster(refusedBase).post('/x', Buffer.from('{}'), opts()), /ECONNREFUSED/);

  const silent = await rawServer([() => undefined, () => undefined]);
  const s1 = new HttpPoster(silent.base);
  await assert.rejects(s1.post('/x', Buffer.from('{}'), opts({ timeoutMs: 100 })), /no answer within 100 ms/);
  const ac = new AbortController();
  setTimeout(() => ac.abort(), 50);
  await assert.rejects(s1.post('/x', Buffer.from('{}'), opts({ signal: ac.signal })), /aborted/);
  s1.close();
  await silent.close();

  const bad = await rawServer([(so) => so.destroy(), (so) => so.write('HTTP/1.1 OK\r\n\r\n'), (so) => so.write('HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n'), (so) => so.end('HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort')]);
  const b = new HttpPoster(bad.base);
  await assert.rejects(b.post('/x', Buffer.from('{}'), opts()), /closed before an answer|ECONNRESET/);
  await assert.rejects(b.post('/x', Buffer.from('{}'), opts()), /malformed status line/);
  await assert.rejects(b.post('/x', Buffer.from('{}'), opts()), /invalid content-length/);
  await assert.rejects(b.post('/x', Buffer.from('{}'), opts()), /before the response was complete/);
  await assert.rejects(b.post('/x', Buffer.from('{}'), opts({ headers: { authorization: 'Bearer a\r\nx-evil: 1' } })), /line break/);
  b.close();
  await bad.close();
});
