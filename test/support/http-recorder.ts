import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request a recorder received. */
export interface RecordedRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  /** Wall-clock receive time, ms. */
  at: number;
}

/** What the recorder answers: status, headers, body; may be async (slow receivers). */
export type Responder = (req: RecordedRequest, index: number) => { status: number; headers?: Record<string, string>; body?: string } | Promise<{ status: number; headers?: Record<string, string>; body?: string }>;

/** A real HTTP server on 127.0.0.1 (random port) that records every request and answers as told. */
export interface HttpRecorder {
  url: string;
  requests: RecordedRequest[];
  respond: Responder;
  /** Resolves when at least `n` requests arrived (rejects after `timeoutMs`). */
  waitFor(n: number, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

/** Starts a recorder. The default responder answers 200 `ok`. */
export async function startHttpRecorder(respond: Responder = () => ({ status: 200, body: 'ok' })): Promise<HttpRecorder> {
  const requests: RecordedRequest[] = [];
  const waiters: { n: number; resolve: () => void }[] = [];
  const rec = { respond } as { respond: Responder };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const r: RecordedRequest = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), at: Date.now() };
      const index = requests.length;
      requests.push(r);
      for (const w of [...waiters]) if (requests.length >= w.n) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
      Promise.resolve(rec.respond(r, index)).then(
        (a) => {
          res.writeHead(a.status, { 'content-type': 'text/plain', ...(a.headers ?? {}) });
          res.end(a.body ?? '');
        },
        () => res.destroy(),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    get respond() {
      return rec.respond;
    },
    set respond(r: Responder) {
      rec.respond = r;
    },
    waitFor(n, timeoutMs = 10_000) {
      if (requests.length >= n) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`expected ${n} requests, got ${requests.length}`)), timeoutMs);
        waiters.push({ n, resolve: () => (clearTimeout(timer), resolve()) });
      });
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
