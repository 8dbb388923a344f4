import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { gunzipSync } from 'node:zlib';

/** One request the sink received, body already decompressed and parsed when it was JSON. */
export interface SinkRequest {
  path: string;
  headers: IncomingMessage['headers'];
  body: unknown;
  rawBytes: number;
  /** When the request was complete, `performance.now()` ms. */
  at: number;
}

/** How the sink answers one request. */
export interface SinkReply {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
  /** Wait before answering, in real ms. */
  delayMs?: number;
  /** Cut the connection instead of answering (a network error for the client). */
  destroy?: boolean;
}

/**
 * A real HTTP server on 127.0.0.1 that plays the Vigil ingest API for agent tests: it records
 * every request, answers through a replaceable `reply` function (default: register → 200,
 * ingest → 200 with an IngestResult), and tracks how many requests were in flight at once.
 */
export class IngestSink {
  readonly requests: SinkRequest[] = [];
  reply: (req: SinkRequest) => SinkReply = defaultReply;
  inFlight = 0;
  maxInFlight = 0;
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();

  /** Starts listening (port 0 unless given) and returns the base URL. */
  async start(port = 0): Promise<string> {
    const server = createServer((req, res) => void this.handle(req, res));
    server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    this.server = server;
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  /** Stops listening and cuts open connections (the agent sees a network error). */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (!server) return;
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Ingest requests only. */
  ingests(): SinkRequest[] {
    return this.requests.filter((r) => r.path === '/api/v1/ingest');
  }

  /** Register requests only. */
  registers(): SinkRequest[] {
    return this.requests.filter((r) => r.path === '/api/v1/agents/register');
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      let raw = Buffer.concat(chunks);
      const rawBytes = raw.length;
      if (req.headers['content-encoding'] === 'gzip') raw = gunzipSync(raw);
      let body: unknown = raw.toString('utf8');
      try {
        body = JSON.parse(body as string);
      } catch {
        // keep the text
      }
      const record: SinkRequest = { path: req.url ?? '', headers: req.headers, body, rawBytes, at: performance.now() };
      this.requests.push(record);
      const r = this.reply(record);
      // Unref'd: a slow answer must not keep a finished test process alive.
      if (r.delayMs) await new Promise((resolve) => setTimeout(resolve, r.delayMs).unref());
      if (r.destroy) {
        req.socket.destroy();
        return;
      }
      res.writeHead(r.status, { 'content-type': 'application/json', ...r.headers });
      res.end(r.body === undefined ? '' : JSON.stringify(r.body));
    } finally {
      this.inFlight--;
    }
  }
}

/** Register → `{agentId, name}`; ingest → all items accepted. */
export function defaultReply(req: SinkRequest): SinkReply {
  if (req.path === '/api/v1/agents/register') return { status: 200, body: { agentId: 'agent-1', name: 'test-host' } };
  const series = (req.body as { series?: unknown[] }).series ?? [];
  return { status: 200, body: { accepted: series.length, duplicates: 0, rejected: 0, errors: [] } };
}

/** Polls `cond` every 5 ms of real time until it holds (waiting on real I/O, not on the clock). */
export async function until(cond: () => boolean, timeoutMs = 10_000, what = 'condition'): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
