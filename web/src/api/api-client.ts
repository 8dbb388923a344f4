import { ABORTED_CODE, ApiError, apiErrorFromResponse, NETWORK_ERROR_CODE, UNEXPECTED_RESPONSE_CODE } from './api-error.js';

/** Query-string values; `undefined` and `null` entries are left out. */
export type QueryParams = Record<string, string | number | undefined | null>;

/** Options of {@link ApiClient}. */
export interface ApiClientOptions {
  /** Origin + prefix prepended to paths (default `""`: same origin as the page). */
  baseUrl?: string;
  /** The fetch implementation (default: the global one). */
  fetch?: typeof fetch;
  /**
   * Called when an authenticated call answers 401, i.e. the session ended. The app sends the
   * user to the login page. Not called for the login request itself.
   */
  onUnauthorized?: () => void;
  /** Called with the server's clock offset (server − client, ms) estimated from `Date` headers. */
  onServerTime?: (offsetMs: number) => void;
}

/** Paths whose 401 means "wrong credentials", not "session ended". */
const LOGIN_PATH = '/api/v1/auth/login';

/**
 * Thin JSON client for the Vigil REST API. Every mutating request carries the CSRF header
 * `X-Requested-With: vigil` required by `docs/api.md`; every failure becomes an {@link ApiError}
 * (never a raw `TypeError` or an HTML page), so panels can always show a message and a Retry.
 */
export class ApiClient {
  private readonly baseUrl: string;
  private readonly fetchImpl: typeof fetch;

  constructor(private readonly options: ApiClientOptions = {}) {
    this.baseUrl = options.baseUrl ?? '';
    this.fetchImpl = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  }

  /** `GET path?params` → parsed JSON body. */
  get<T>(path: string, params?: QueryParams, signal?: AbortSignal): Promise<T> {
    return this.request<T>('GET', path + queryString(params), undefined, signal);
  }

  /** `POST path` with a JSON body → parsed JSON body (`undefined` for 204). */
  post<T>(path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
    return this.request<T>('POST', path, body, signal);
  }

  /** Sends one request; see the class comment for the error contract. */
  async request<T>(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (method !== 'GET' && method !== 'HEAD') headers['X-Requested-With'] = 'vigil';
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const sentAt = Date.now();
    let res: Response;
    try {
      res = await this.fetchImpl(this.baseUrl + path, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        credentials: 'same-origin',
        cache: 'no-store',
        signal,
      });
    } catch (err) {
      if (signal?.aborted) throw new ApiError(0, ABORTED_CODE, 'The request was cancelled.');
      throw new ApiError(0, NETWORK_ERROR_CODE, `Cannot reach the Vigil server (${err instanceof Error ? err.message : String(err)}).`);
    }
    this.reportServerTime(res, sentAt);
    const text = await readText(res, signal);
    if (!res.ok) {
      const error = apiErrorFromResponse(res.status, res.statusText, text, res.headers.get('Retry-After'));
      if (res.status === 401 && path !== LOGIN_PATH) this.options.onUnauthorized?.();
      throw error;
    }
    if (res.status === 204 || text === '') return undefined as T;
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new ApiError(res.status, UNEXPECTED_RESPONSE_CODE, 'The server sent a response that is not JSON.');
    }
  }

  private reportServerTime(res: Response, sentAt: number): void {
    const date = res.headers.get('Date');
    if (!date || !this.options.onServerTime) return;
    const serverMs = Date.parse(date);
    if (Number.isNaN(serverMs)) return;
    // The header has 1 s resolution and was stamped somewhere between send and receive: compare
    // its middle (+500 ms) with the middle of the round trip.
    const receivedAt = Date.now();
    this.options.onServerTime(serverMs + 500 - (sentAt + receivedAt) / 2);
  }
}

async function readText(res: Response, signal?: AbortSignal): Promise<string> {
  try {
    return await res.text();
  } catch {
    if (signal?.aborted) throw new ApiError(0, ABORTED_CODE, 'The request was cancelled.');
    throw new ApiError(0, NETWORK_ERROR_CODE, 'The connection to the Vigil server broke while reading the answer.');
  }
}

/** Encodes params as `?a=1&b=x` (empty string when there are none). */
export function queryString(params?: QueryParams): string {
  if (!params) return '';
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null) search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}
