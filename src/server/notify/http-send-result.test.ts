import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { backoffDelay, DEFAULT_BACKOFF } from './backoff.js';
import { httpSendResult, parseRetryAfter } from './http-send-result.js';

const res = (status: number, headers: Record<string, string> = {}) => ({ status, headers, body: Buffer.alloc(0), truncated: false, url: 'http://x' });

describe('send results and backoff', () => {
  it('maps statuses: 2xx ok, 429/408 retry with Retry-After, other 4xx permanent, 5xx retry', () => {
    assert.equal(httpSendResult(res(202), 0).kind, 'ok');
    assert.deepEqual(httpSendResult(res(429, { 'retry-after': '7' }), 0), { kind: 'retry', statusCode: 429, error: 'HTTP 429 (Retry-After 7 s)', retryAfterMs: 7000 });
    assert.equal(httpSendResult(res(404), 0).kind, 'permanent');
    assert.equal(httpSendResult(res(400), 0).kind, 'permanent');
    assert.equal(httpSendResult(res(503), 0).kind, 'retry');
    assert.equal(parseRetryAfter('Wed, 21 Oct 2015 07:28:30 GMT', Date.parse('Wed, 21 Oct 2015 07:28:00 GMT')), 30_000);
    assert.equal(parseRetryAfter('999999999', 0), 3_600_000, 'capped at 1 h');
    assert.equal(parseRetryAfter('soon', 0), undefined);
  });

  it('property: backoff stays within [d/2, d] of the capped exponential', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 60 }), fc.double({ min: 0, max: 0.999999, noNaN: true }), (attempt, r) => {
        const d = Math.min(DEFAULT_BACKOFF.maxMs, DEFAULT_BACKOFF.baseMs * 2 ** (attempt - 1));
        const got = backoffDelay(attempt, DEFAULT_BACKOFF, () => r);
        assert.ok(got >= Math.floor(d / 2) && got <= d, `${attempt}: ${got}`);
      }),
    );
  });
});
