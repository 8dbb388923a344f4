import type { Agent as HttpAgent, ClientRequest, IncomingMessage, RequestOptions } from 'node:http';
import type { Answer } from './retry-policy.js';

/** Options of one POST. */
export interface PostOptions {
  headers: Record<string, string>;
  /** Whole-request limit in ms (connect, upload, answer). */
  timeoutMs: number;
  /** Bytes of the response body kept; the rest is read and discarded. */
  maxResponseBytes: number;
  signal?: AbortSignal;
}

type RequestFn = (url: URL, opts: RequestOptions, cb: (res: IncomingMessage) => void) => ClientRequest;

/**
 * A minimal keep-alive HTTP(S) client for the shipper: one connection, one request at a time.
 * `node:https` is loaded only for https URLs (it costs memory the agent does not otherwise need).
 */
export class HttpPoster {
  private request: RequestFn | null = null;
  private agent: HttpAgent | null = null;
  /** Resolved URL per path (the shipper posts to three paths, every tick). */
  private readonly urls = new Map<string, URL>();

  constructor(private readonly base: URL) {}

  /** POSTs `body` to `path` (relative to the base URL). @throws Error on network failure or timeout. */
  async post(path: string, body: Buffer, opts: PostOptions): Promise<Answer> {
    await this.ensureClient();
    const url = this.urlOf(path);
    return new Promise<Answer>((resolve, reject) => {
      const req = (this.request as RequestFn)(
        url,
        { method: 'POST', agent: this.agent as HttpAgent, headers: { ...opts.headers, 'content-length': String(body.length) }, signal: opts.signal },
        (res) => {
          const chunks: Buffer[] = [];
          let kept = 0;
          res.on('data', (c: Buffer) => {
            if (kept < opts.maxResponseBytes) {
              chunks.push(c.subarray(0, opts.maxResponseBytes - kept));
              kept += c.length;
            }
          });
          res.on('end', () => {
            clearTimeout(timer);
            resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') });
          });
          res.on('error', (err) => {
            clearTimeout(timer);
            reject(err);
          });
        },
      );
      const timer = setTimeout(() => req.destroy(new Error(`no answer within ${opts.timeoutMs} ms`)), opts.timeoutMs);
      req.on('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
      req.end(body);
    });
  }

  private urlOf(path: string): URL {
    let url = this.urls.get(path);
    if (!url) {
      url = new URL(path.replace(/^\//, ''), this.base.href.endsWith('/') ? this.base.href : `${this.base.href}/`);
      this.urls.set(path, url);
    }
    return url;
  }

  /** Closes idle connections. */
  close(): void {
    this.agent?.destroy();
  }

  private async ensureClient(): Promise<void> {
    if (this.request) return;
    if (this.base.protocol === 'https:') {
      const https = await import('node:https');
      this.agent = new https.Agent({ keepAlive: true, maxSockets: 1 });
      this.request = https.request as unknown as RequestFn;
    } else {
      const http = await import('node:http');
      this.agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
      this.request = http.request as unknown as RequestFn;
    }
  }
}
