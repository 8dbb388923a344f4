import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ApiClient, queryString } from './api-client.js';
import { ApiError, apiErrorFromResponse, NETWORK_ERROR_CODE, UNEXPECTED_RESPONSE_CODE } from './api-error.js';

interface Seen {
  url: string;
  init: RequestInit;
}

function client(respond: (url: string, init: RequestInit) => Response | Promise<Response>, onUnauthorized?: () => void) {
  const seen: Seen[] = [];
  const api = new ApiClient({
    fetch: async (input, init) => {
      seen.push({ url: String(input), init: init ?? {} });
      return respond(String(input), init ?? {});
    },
    onUnauthorized,
  });
  return { api, seen };
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', ...headers } });

test('GET sends no CSRF header; POST sends X-Requested-With and JSON', async () => {
  const { api, seen } = client(() => json(200, { ok: true }));
  assert.deepEqual(await api.get('/api/v1/agents', { a: 1, skip: undefined }), { ok: true });
  await api.post('/api/v1/auth/logout');
  await api.post('/api/v1/auth/login', { username: 'u', password: 'p' });
  const [get, logout, login] = seen as [Seen, Seen, Seen];
  assert.equal(get.url, '/api/v1/agents?a=1');
  assert.equal((get.init.headers as Record<string, string>)['X-Requested-With'], undefined);
  assert.equal((logout.init.headers as Record<string, string>)['X-Requested-With'], 'vigil');
  assert.equal(logout.init.body, undefined);
  assert.equal((login.init.headers as Record<string, string>)['Content-Type'], 'application/json');
  assert.equal(login.init.body, '{"username":"u","password":"p"}');
  assert.equal(login.init.credentials, 'same-origin');
});

test('error bodies become ApiError with the stable code; 401 triggers onUnauthorized except on login', async () => {
  let unauthorized = 0;
  const { api } = client(
    (url) => {
      if (url.startsWith('/api/v1/query')) return json(422, { error: { code: 'VIGIL_ERR_QUERY_TOO_MANY_POINTS', message: 'raise step' } });
      return json(401, { error: { code: 'VIGIL_ERR_UNAUTHENTICATED', message: 'log in' } });
    },
    () => unauthorized++,
  );
  await assert.rejects(api.get('/api/v1/query'), (e: unknown) => e instanceof ApiError && e.status === 422 && e.code === 'VIGIL_ERR_QUERY_TOO_MANY_POINTS' && e.message === 'raise step' && !e.retryable);
  assert.equal(unauthorized, 0);
  await assert.rejects(api.get('/api/v1/agents'), (e: unknown) => e instanceof ApiError && e.status === 401);
  assert.equal(unauthorized, 1);
  await assert.rejects(api.post('/api/v1/auth/login', {}), (e: unknown) => e instanceof ApiError && e.code === 'VIGIL_ERR_UNAUTHENTICATED');
  assert.equal(unauthorized, 1);
});

test('network failures and HTML error pages become retryable ApiErrors', async () => {
  const down = client(() => {
    throw new TypeError('fetch failed');
  });
  await assert.rejects(down.api.get('/api/v1/agents'), (e: unknown) => e instanceof ApiError && e.code === NETWORK_ERROR_CODE && e.status === 0 && e.retryable);
  const proxy = client(() => new Response('<html>Bad gateway</html>', { status: 502, statusText: 'Bad Gateway' }));
  await assert.rejects(proxy.api.get('/x'), (e: unknown) => e instanceof ApiError && e.code === UNEXPECTED_RESPONSE_CODE && e.retryable && /unavailable/.test(e.message));
  const garbage = client(() => new Response('not json', { status: 200 }));
  await assert.rejects(garbage.api.get('/x'), (e: unknown) => e instanceof ApiError && e.code === UNEXPECTED_RESPONSE_CODE);
  const empty = client(() => new Response(null, { status: 204 }));
  assert.equal(await empty.api.post('/api/v1/auth/logout'), undefined);
});

test('Retry-After is parsed from 429 answers', () => {
  const e = apiErrorFromResponse(429, 'Too Many Requests', '{"error":{"code":"VIGIL_ERR_RATE_LIMITED","message":"slow down"}}', '7');
  assert.equal(e.retryAfterSeconds, 7);
  assert.equal(e.retryable, true);
  assert.equal(apiErrorFromResponse(429, '', '', 'soon').retryAfterSeconds, undefined);
});

test('property: any status and body text yields an ApiError with a message, never a throw', () => {
  fc.assert(
    fc.property(fc.integer({ min: 300, max: 599 }), fc.string(), fc.option(fc.string(), { nil: null }), (status, body, retryAfter) => {
      const e = apiErrorFromResponse(status, '', body, retryAfter);
      assert.ok(e instanceof ApiError);
      assert.equal(e.status, status);
      assert.ok(e.message.length > 0);
    }),
  );
});

test('queryString encodes and skips missing values', () => {
  assert.equal(queryString(), '');
  assert.equal(queryString({ a: undefined }), '');
  assert.equal(queryString({ query: 'cpu{cpu="0"}', step: 15000, by: null }), '?query=cpu%7Bcpu%3D%220%22%7D&step=15000');
});
