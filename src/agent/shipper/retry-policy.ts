/** Smallest backoff step, in ms. */
export const BACKOFF_MIN_MS = 100;
/** Largest backoff, in ms. */
export const BACKOFF_MAX_MS = 30_000;
/** Longest wait a server may ask for with Retry-After / RateLimit, in ms (1 h). */
export const RETRY_AFTER_MAX_MS = 3_600_000;

/**
 * Jittered exponential backoff: the n-th consecutive failure (0-based) waits a random time in
 * [0.75·d, d] with d = min(30 s, 100 ms · 2ⁿ). The jitter spreads agents that lost the server at
 * the same moment, so they do not come back in synchronised waves.
 */
export function backoffDelay(failures: number, random: () => number): number {
  const d = Math.min(BACKOFF_MAX_MS, BACKOFF_MIN_MS * 2 ** Math.min(failures, 20));
  return Math.round(d * (0.75 + 0.25 * random()));
}

/**
 * Reads `Retry-After` (RFC 9110 §10.2.3): delay-seconds or an HTTP-date. Returns ms from `now`,
 * capped at {@link RETRY_AFTER_MAX_MS}, or null when absent or malformed.
 */
export function parseRetryAfter(value: string | string[] | undefined, now: number): number | null {
  const text = (Array.isArray(value) ? value[0] : value)?.trim();
  if (!text) return null;
  if (/^\d+$/.test(text)) return Math.min(RETRY_AFTER_MAX_MS, Number(text) * 1000);
  const at = Date.parse(text);
  if (!Number.isFinite(at) || !/[a-z]/i.test(text)) return null;
  return Math.min(RETRY_AFTER_MAX_MS, Math.max(0, at - now));
}

/**
 * Reads the reset time `t` (seconds) of the IETF `RateLimit` field, e.g. `"ingest";r=0;t=7`.
 * Returns ms (capped), or null when absent.
 */
export function parseRateLimitReset(value: string | string[] | undefined): number | null {
  const text = Array.isArray(value) ? value.join(',') : value;
  const m = text ? /(?:^|;)\s*t=(\d+)/.exec(text) : null;
  return m ? Math.min(RETRY_AFTER_MAX_MS, Number(m[1]) * 1000) : null;
}

/** What to do with a batch after one attempt. */
export type Decision =
  | { kind: 'ack' }
  /** Never retry: remove the batch, counting `items` rejected. */
  | { kind: 'reject'; items: number; wholeBatch: boolean; detail: string }
  /** Keep the batch and try again after `delayMs`. */
  | { kind: 'retry'; delayMs: number; health: 'auth' | 'unavailable' | 'rate_limited' | 'unexpected'; detail: string };

/** An HTTP answer as the policy needs it. */
export interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** Response body text (truncated by the client). */
  body: string;
}

/**
 * The retry table of docs/api.md, in one place:
 * 2xx ack; 422 reject the items the server counts (valid ones were stored); other 4xx except
 * 401/403/408/429 reject the whole batch (dead letter, never retried); 429 waits `Retry-After`
 * (which wins over the RateLimit `t`), else backoff; 5xx, 408 and network errors back off
 * (a 503 `Retry-After` lengthens the wait, never shortens it); 401/403 back off with an "auth"
 * health error while the batch stays buffered. Anything else (1xx, 3xx) backs off too: a
 * redirect means a wrong URL, and dropping data for it would be worse than waiting.
 */
export function decide(answer: Answer | Error, batchItems: number, failures: number, now: number, random: () => number): Decision {
  const backoff = backoffDelay(failures, random);
  if (answer instanceof Error) return { kind: 'retry', delayMs: backoff, health: 'unavailable', detail: `network: ${answer.message}` };
  const { status } = answer;
  const code = errorCode(answer.body);
  const detail = `HTTP ${status}${code ? ` ${code}` : ''}`;
  if (status >= 200 && status < 300) return { kind: 'ack' };
  if (status === 401 || status === 403) return { kind: 'retry', delayMs: backoff, health: 'auth', detail };
  if (status === 429) {
    const wait = parseRetryAfter(answer.headers['retry-after'], now) ?? parseRateLimitReset(answer.headers['ratelimit']) ?? backoff;
    return { kind: 'retry', delayMs: wait, health: 'rate_limited', detail };
  }
  if (status === 408 || status >= 500) {
    const asked = parseRetryAfter(answer.headers['retry-after'], now);
    return { kind: 'retry', delayMs: Math.max(backoff, asked ?? 0), health: 'unavailable', detail };
  }
  if (status === 422) {
    const rejected = rejectedCount(answer.body);
    return { kind: 'reject', items: rejected ?? batchItems, wholeBatch: code === 'VIGIL_ERR_INGEST_REJECTED' || rejected === null, detail };
  }
  if (status >= 400) return { kind: 'reject', items: batchItems, wholeBatch: true, detail };
  return { kind: 'retry', delayMs: backoff, health: 'unexpected', detail };
}

function parseBody(body: string): Record<string, unknown> | null {
  try {
    const v: unknown = JSON.parse(body);
    return typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

function errorCode(body: string): string | null {
  const err = parseBody(body)?.error as { code?: unknown } | undefined;
  return typeof err?.code === 'string' ? err.code.slice(0, 100) : null;
}

/** `rejected` of an IngestResult (top level, or under `error.details`), or null. */
function rejectedCount(body: string): number | null {
  const b = parseBody(body);
  const candidates = [b?.rejected, (b?.error as { details?: { rejected?: unknown } } | undefined)?.details?.rejected];
  const n = candidates.find((v) => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0);
  return typeof n === 'number' ? n : null;
}
