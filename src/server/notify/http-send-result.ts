import { OutboundError, type OutboundResponse } from '../outbound/outbound-http.js';
import type { SendResult } from './channel-type.js';

/** Longest Retry-After honoured, ms (1 h); longer values are capped. */
export const RETRY_AFTER_MAX_MS = 3_600_000;

/** Parses `Retry-After` (seconds or an HTTP date) into ms from `now`, or undefined. */
export function parseRetryAfter(value: string | string[] | undefined, now: number): number | undefined {
  const v = Array.isArray(value) ? value[0] : value;
  if (v === undefined || v.trim() === '') return undefined;
  const s = v.trim();
  const ms = /^\d{1,10}$/.test(s) ? Number(s) * 1000 : Date.parse(s) - now;
  return Number.isFinite(ms) ? Math.min(RETRY_AFTER_MAX_MS, Math.max(0, ms)) : undefined;
}

/**
 * Maps an HTTP answer to a send result: 2xx ok; 429 and 408 retry (honouring Retry-After);
 * other 4xx are configuration errors (never retried forever); 5xx and anything else retry.
 * Response bodies are never included (they could echo internal data).
 */
export function httpSendResult(res: OutboundResponse, now: number): SendResult {
  const code = res.status;
  if (code >= 200 && code < 300) return { kind: 'ok', statusCode: code };
  if (code === 429 || code === 408) {
    const retryAfterMs = parseRetryAfter(res.headers['retry-after'], now);
    return { kind: 'retry', statusCode: code, error: `HTTP ${code}${retryAfterMs !== undefined ? ` (Retry-After ${Math.round(retryAfterMs / 1000)} s)` : ''}`, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) };
  }
  if (code >= 400 && code < 500) return { kind: 'permanent', statusCode: code, error: `HTTP ${code}: the receiver rejected the request; check the channel configuration` };
  return { kind: 'retry', statusCode: code, error: `HTTP ${code}` };
}

/** Maps a failed request: SSRF blocks and invalid URLs are permanent, network errors and timeouts retry. */
export function errorSendResult(err: unknown): SendResult {
  if (err instanceof OutboundError) {
    if (err.kind === 'blocked' || err.kind === 'invalid_url' || err.kind === 'too_many_redirects') return { kind: 'permanent', error: err.message };
    return { kind: 'retry', error: `${err.kind}: ${err.message}` };
  }
  return { kind: 'retry', error: err instanceof Error ? err.message : String(err) };
}
