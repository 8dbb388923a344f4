import http from 'node:http';
import https from 'node:https';
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';
import { compileAllowlist, embeddedIpv4, forbiddenReason, type OutboundAllowlist } from './address-policy.js';

/** Why an outbound request failed; `blocked` means the SSRF guard refused the destination. */
export type OutboundErrorKind = 'invalid_url' | 'blocked' | 'timeout' | 'network' | 'too_many_redirects' | 'too_large';

/** A failed outbound request. Messages never contain the response body. */
export class OutboundError extends Error {
  constructor(
    readonly kind: OutboundErrorKind,
    message: string,
  ) {
    super(message);
    this.name = 'OutboundError';
  }
}

/** Settings every outbound call obeys (admin-editable allowlist; defaults for the rest). */
export interface OutboundPolicy {
  allowlist: OutboundAllowlist;
  /** Total time for one request including redirects, ms (default 10 s). */
  timeoutMs: number;
  /** Response bytes kept; more is cut off and `truncated` set (default 1 MiB). */
  maxResponseBytes: number;
  /** Redirect hops followed, each re-checked (default 3). */
  maxRedirects: number;
}

/** Defaults: nothing internal allowed, 10 s, 1 MiB, 3 redirects. */
export const DEFAULT_OUTBOUND_POLICY: OutboundPolicy = { allowlist: { cidrs: [], hosts: [] }, timeoutMs: 10_000, maxResponseBytes: 1 << 20, maxRedirects: 3 };

/** One outbound HTTP request. */
export interface OutboundRequest {
  url: string;
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD';
  headers?: Record<string, string>;
  body?: string | Buffer;
}

/** The answer (status and capped body); the body is for the caller's logic, never echoed to users. */
export interface OutboundResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  truncated: boolean;
  /** URL of the final hop after redirects. */
  url: string;
}

/** Resolves a host name to its addresses (injected in tests to simulate DNS answers). */
export type Resolver = (hostname: string, family: number, callback: (err: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void) => void;

const systemResolver: Resolver = (hostname, family, callback) => dnsLookup(hostname, { all: true, family }, callback);

/** True for link-local addresses (169.254.0.0/16, fe80::/10), where cloud metadata services live. */
function isLinkLocal(ip: string): boolean {
  const inner = isIP(ip) === 6 ? (embeddedIpv4(ip) ?? ip) : ip;
  return inner.startsWith('169.254.') || /^fe[89ab][0-9a-f]:/i.test(inner);
}

/** Parses and checks a URL's shape: http/https only, no credentials, a host. */
export function checkOutboundUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new OutboundError('invalid_url', 'not a valid absolute URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new OutboundError('invalid_url', `scheme ${url.protocol} is not allowed; use http or https`);
  if (url.username || url.password) throw new OutboundError('invalid_url', 'credentials in the URL are not allowed; use a header instead');
  if (!url.hostname) throw new OutboundError('invalid_url', 'the URL has no host');
  return url;
}

function bareHost(url: URL): string {
  return url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
}

/**
 * The one HTTP client for every feature that calls out (webhooks, Slack, PagerDuty, checks,
 * OIDC, LLM endpoints). The destination IP is checked **at connect time** inside the socket's
 * DNS lookup, so DNS rebinding cannot swap in a private address after validation, and the
 * connection uses exactly the address that was checked. Redirects are followed manually and
 * re-checked; Authorization and Cookie are dropped when a redirect changes origin.
 */
export class OutboundHttp {
  private readonly resolve: Resolver;

  constructor(
    private readonly policy: () => OutboundPolicy | Promise<OutboundPolicy> = () => DEFAULT_OUTBOUND_POLICY,
    opts: { resolver?: Resolver } = {},
  ) {
    this.resolve = opts.resolver ?? systemResolver;
  }

  async request(req: OutboundRequest): Promise<OutboundResponse> {
    const policy = await this.policy();
    const allow = compileAllowlist(policy.allowlist);
    const deadline = Date.now() + policy.timeoutMs;
    let url = checkOutboundUrl(req.url);
    let current = { ...req, headers: { ...(req.headers ?? {}) } };
    for (let hop = 0; ; hop++) {
      const res = await this.once(url, current, allow, policy, deadline);
      const location = res.headers.location;
      if (![301, 302, 303, 307, 308].includes(res.status) || !location) return res;
      if (hop >= policy.maxRedirects) throw new OutboundError('too_many_redirects', `more than ${policy.maxRedirects} redirects`);
      const next = checkOutboundUrl(new URL(location, url).toString());
      if (next.origin !== url.origin) {
        // Credentials never follow a redirect to another origin.
        for (const h of Object.keys(current.headers)) if (/^(authorization|proxy-authorization|cookie)$/i.test(h)) delete current.headers[h];
      }
      if (res.status === 303 || ((res.status === 301 || res.status === 302) && current.method === 'POST')) current = { ...current, method: 'GET', body: undefined };
      url = next;
    }
  }

  private once(url: URL, req: OutboundRequest, allow: ReturnType<typeof compileAllowlist>, policy: OutboundPolicy, deadline: number): Promise<OutboundResponse> {
    const host = bareHost(url);
    const hostAllowed = allow.allowsHost(host);
    if (isIP(host) && !allow.allowsIp(host)) {
      const reason = hostAllowed ? (isLinkLocal(host) ? `${host} is link-local` : null) : forbiddenReason(host);
      if (reason) return Promise.reject(new OutboundError('blocked', `destination blocked: ${reason}`));
    }
    const lookup: LookupFunction = (hostname, options, callback) => {
      const family = options.family === 'IPv4' ? 4 : options.family === 'IPv6' ? 6 : (options.family ?? 0);
      this.resolve(hostname, family, (err, addresses) => {
        if (err) return callback(err, '', 4);
        // Every address must pass (the socket may try any of them). An allowlisted host name may
        // reach internal addresses, but never link-local (cloud metadata) unless a CIDR allows it.
        const bad = addresses.find((a) => !allow.allowsIp(a.address) && (hostAllowed ? isLinkLocal(a.address) : forbiddenReason(a.address)));
        if (bad || addresses.length === 0) {
          return callback(new OutboundError('blocked', `destination blocked: ${bad ? forbiddenReason(bad.address) : 'no address'}`) as NodeJS.ErrnoException, '', 4);
        }
        if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
        callback(null, (addresses[0] as LookupAddress).address, (addresses[0] as LookupAddress).family);
      });
    };
    const remaining = deadline - Date.now();
    if (remaining <= 0) return Promise.reject(new OutboundError('timeout', 'timed out'));
    return new Promise((resolve, reject) => {
      const mod = url.protocol === 'https:' ? https : http;
      const r = mod.request(url, { method: req.method ?? 'GET', headers: req.headers, lookup, timeout: remaining, agent: false }, (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        let truncated = false;
        res.on('data', (c: Buffer) => {
          if (truncated) return;
          size += c.length;
          if (size > policy.maxResponseBytes) {
            truncated = true;
            chunks.push(c.subarray(0, c.length - (size - policy.maxResponseBytes)));
            res.destroy();
            resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks), truncated, url: url.toString() });
            return;
          }
          chunks.push(c);
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks), truncated, url: url.toString() }));
        res.on('error', (e) => reject(new OutboundError('network', e.message)));
      });
      const timer = setTimeout(() => r.destroy(new OutboundError('timeout', `no answer within ${policy.timeoutMs} ms`)), remaining);
      r.on('timeout', () => r.destroy(new OutboundError('timeout', `no answer within ${policy.timeoutMs} ms`)));
      r.on('error', (e) => reject(e instanceof OutboundError ? e : new OutboundError('network', e.message)));
      r.on('close', () => clearTimeout(timer));
      if (req.body !== undefined) r.write(req.body);
      r.end();
    });
  }
}
