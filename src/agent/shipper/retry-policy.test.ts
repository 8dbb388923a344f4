import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { BACKOFF_MAX_MS, backoffDelay, decide, parseRateLimitReset, parseRetryAfter, type Answer } from './retry-policy.js';

const NOW = Date.parse('2026-11-22T10:00:00Z');
const answer = (status: number, body: unknown = {}, headers: Record<string, string> = {}): Answer => ({ status, headers, body: JSON.stringify(body) });
const half = () => 0.5;

test('backoff grows from ~100 ms to 30 s with jitter in [0.75 d, d]', () => {
  assert.equal(backoffDelay(0, () => 1), 100);
  assert.equal(backoffDelay(0, () => 0), 75);
  assert.equal(backoffDelay(3, () => 1), 800);
  assert.equal(backoffDelay(50, () => 1), BACKOFF_MAX_MS);
  fc.assert(
    fc.property(fc.nat({ max: 1000 }), fc.double({ min: 0, max: 1, noNaN: true }), (n, r) => {
      const d = backoffDelay(n, () => r);
      assert.ok(d >= 75 && d <= BACKOFF_MAX_MS);
      assert.ok(d >= backoffDelay(Math.max(0, n - 1), () => r) || n > 20);
    }),
  );
});

test('Retry-After: seconds or HTTP-date, capped at 1 h; RateLimit t= in seconds', () => {
  assert.equal(parseRetryAfter('5', NOW), 5000);
  assert.equal(parseRetryAfter('  120 ', NOW), 120_000);
  assert.equal(parseRetryAfter('Sun, 22 Nov 2026 10:00:30 GMT', NOW), 30_000);
  assert.equal(parseRetryAfter('Sun, 22 Nov 2026 09:00:00 GMT', NOW), 0);
  assert.equal(parseRetryAfter('999999', NOW), 3_600_000);
  assert.equal(parseRetryAfter('soon', NOW), null);
  assert.equal(parseRetryAfter('-3', NOW), null);
  assert.equal(parseRetryAfter(undefined, NOW), null);
  assert.equal(parseRateLimitReset('"ingest";r=0;t=7'), 7000);
  assert.equal(parseRateLimitReset('limit=10, remaining=0'), null);
  assert.equal(parseRateLimitReset(undefined), null);
});

test('the retry table of docs/api.md', () => {
  const d = (a: Answer | Error) => decide(a, 40, 2, NOW, half);
  assert.deepEqual(d(answer(200)), { kind: 'ack' });
  assert.deepEqual(d(answer(204)), { kind: 'ack' });
  // 422: the valid items were stored; the server's count of rejected items is used.
  assert.deepEqual(d(answer(422, { accepted: 37, duplicates: 0, rejected: 3, errors: [] })), { kind: 'reject', items: 3, wholeBatch: false, detail: 'HTTP 422' });
  assert.deepEqual(d(answer(422, { error: { code: 'VIGIL_ERR_INGEST_REJECTED', message: 'x', details: { rejected: 40 } } })), {
    kind: 'reject',
    items: 40,
    wholeBatch: true,
    detail: 'HTTP 422 VIGIL_ERR_INGEST_REJECTED',
  });
  for (const s of [400, 404, 405, 413, 415]) {
    assert.deepEqual(d(answer(s, { error: { code: 'VIGIL_ERR_X', message: '' } })), { kind: 'reject', items: 40, wholeBatch: true, detail: `HTTP ${s} VIGIL_ERR_X` });
  }
  for (const s of [401, 403]) assert.deepEqual(d(answer(s)), { kind: 'retry', delayMs: 350, health: 'auth', detail: `HTTP ${s}` });
  for (const s of [500, 502, 503, 504, 408]) assert.deepEqual(d(answer(s)), { kind: 'retry', delayMs: 350, health: 'unavailable', detail: `HTTP ${s}` });
  // 503 with Retry-After waits at least that long; a Retry-After never shortens the backoff.
  assert.equal((d(answer(503, {}, { 'retry-after': '10' })) as { delayMs: number }).delayMs, 10_000);
  assert.equal((d(answer(503, {}, { 'retry-after': '0' })) as { delayMs: number }).delayMs, 350);
  // 429: Retry-After wins over RateLimit t; t is used when Retry-After is absent.
  assert.deepEqual(d(answer(429, {}, { 'retry-after': '5', ratelimit: '"ingest";r=0;t=7' })), { kind: 'retry', delayMs: 5000, health: 'rate_limited', detail: 'HTTP 429' });
  assert.equal((d(answer(429, {}, { ratelimit: '"ingest";r=0;t=7' })) as { delayMs: number }).delayMs, 7000);
  assert.equal((d(answer(429)) as { delayMs: number }).delayMs, 350);
  assert.deepEqual(d(new Error('ECONNRESET')), { kind: 'retry', delayMs: 350, health: 'unavailable', detail: 'network: ECONNRESET' });
  assert.deepEqual(d(answer(302)), { kind: 'retry', delayMs: 350, health: 'unexpected', detail: 'HTTP 302' });
  // A 422 whose body is unreadable rejects the whole batch rather than retrying it forever.
  assert.deepEqual(d({ status: 422, headers: {}, body: '<html>' }), { kind: 'reject', items: 40, wholeBatch: true, detail: 'HTTP 422' });
});
