// The shipper against a real HTTP server (127.0.0.1, port 0) that plays each status of the retry
// contract (reliability T12, T13). Time is a ManualClock: every wait the shipper makes is visible
// and advanced by the test, so backoff and Retry-After are checked exactly without sleeping.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AgentHello, IngestBatch } from '../../protocol/ingest.js';
import { ManualClock } from '../testing/manual-clock.js';
import { memoryLogger } from '../testing/fixture-host.js';
import { IngestSink, defaultReply, until, type SinkReply, type SinkRequest } from '../testing/ingest-sink.js';
import { Spool } from '../spool/spool.js';
import { HttpPoster } from './http-post.js';
import { REGISTER_INTERVAL_MS, Shipper } from './shipper.js';

const KEY = 'vgk_test_secret_key_0123456789';
const HELLO: AgentHello = { hostname: 'h', os: 'linux', kernel: '6', arch: 'x64', agentVersion: '0.1.0', intervalMs: 1000, cpuCount: 2, memoryBytes: 1, capabilities: ['cpu'], unavailable: [] };

interface Harness {
  sink: IngestSink;
  url: string;
  clock: ManualClock;
  log: ReturnType<typeof memoryLogger>;
  spool: Spool;
  shipper: Shipper;
  /** Appends a batch of `items` series (one point each) and wakes the shipper; returns its seq. */
  append(items: number): Promise<number>;
  close(): Promise<void>;
}

async function harness(): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-shipper-'));
  const sink = new IngestSink();
  const url = await sink.start();
  const clock = new ManualClock(1_800_000_000_000);
  const log = memoryLogger();
  const spool = await Spool.open({ dir, maxBytes: 64 * 1024 * 1024, maxAgeMs: 86_400_000, log });
  const http = new HttpPoster(new URL(url));
  const shipper = new Shipper({ http, key: KEY, spool, clock, log, hello: () => HELLO, random: () => 1, userAgent: 'vigil-agent/test' });
  let n = 0;
  return {
    sink,
    url,
    clock,
    log,
    spool,
    shipper,
    async append(items) {
      const series = Array.from({ length: items }, (_, i) => ({ metric: 'test_metric', labels: { i: String(i), batch: String(n) }, points: [[clock.now(), n]] }));
      n++;
      const r = await spool.append({ body: Buffer.from(JSON.stringify({ series })), samples: items, items }, clock.now());
      assert.ok(r.stored);
      shipper.wake();
      return r.seq;
    },
    async close() {
      await shipper.stop(1000);
      http.close();
      await spool.close();
      await sink.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Ingest replies from a script (then 200); register always succeeds. */
function scripted(replies: SinkReply[]): (req: SinkRequest) => SinkReply {
  return (req) => (req.path === '/api/v1/ingest' && replies.length > 0 ? (replies.shift() as SinkReply) : defaultReply(req));
}

const keyOf = (r: SinkRequest) => r.headers['idempotency-key'];

test('registers, then sends each batch once with bearer key and a stable Idempotency-Key; gzip above 8 KiB', async () => {
  const h = await harness();
  try {
    const s0 = await h.append(2);
    const s1 = await h.append(300);
    h.shipper.start();
    await until(() => h.spool.stats().pendingBatches === 0 && h.sink.ingests().length === 2, 10_000, 'delivery');
    assert.equal(h.sink.requests[0]?.path, '/api/v1/agents/register');
    assert.deepEqual(h.sink.requests[0]?.body, HELLO);
    const [a, b] = h.sink.ingests() as [SinkRequest, SinkRequest];
    assert.equal(a.headers.authorization, `Bearer ${KEY}`);
    assert.equal(a.headers['content-type'], 'application/json');
    assert.equal(keyOf(a), `${h.spool.streamId}-${s0}`);
    assert.equal(keyOf(b), `${h.spool.streamId}-${s1}`);
    assert.equal(a.headers['content-encoding'], undefined);
    assert.equal(b.headers['content-encoding'], 'gzip');
    const batch = a.body as IngestBatch;
    assert.equal(batch.protocol, 1);
    assert.equal(batch.series.length, 2);
    assert.deepEqual(batch.agentStats, { droppedSamples: 0, droppedBatches: 0, rejectedItems: 0, spoolBytes: batch.agentStats?.spoolBytes, spoolBatches: 2 });
    assert.equal((b.body as IngestBatch).series.length, 300);
    assert.ok(b.rawBytes * 3 < JSON.stringify(b.body).length, 'compressed on the wire');
    // Idle: a new batch is sent at once, without any time passing.
    await h.append(1);
    await until(() => h.sink.ingests().length === 3, 10_000, 'third batch');
    // Registration is renewed every 10 minutes.
    h.clock.advance(REGISTER_INTERVAL_MS);
    await until(() => h.sink.registers().length === 2, 10_000, 're-registration');
    assert.equal(h.shipper.status().registered, true);
  } finally {
    await h.close();
  }
});

test('T12: 400/404/405/413/415 and a fully rejected 422 are never retried: one request, dead-lettered and counted', async () => {
  const h = await harness();
  try {
    const statuses = [400, 404, 405, 413, 415, 422];
    h.sink.reply = scripted(statuses.map((s) => ({ status: s, body: { error: { code: s === 422 ? 'VIGIL_ERR_INGEST_REJECTED' : 'VIGIL_ERR_BAD_REQUEST', message: 'no', details: { rejected: 5 } } } })));
    for (let i = 0; i < statuses.length; i++) await h.append(5);
    h.shipper.start();
    await until(() => h.spool.stats().pendingBatches === 0, 10_000, 'all batches handled');
    const keys = h.sink.ingests().map(keyOf);
    assert.equal(keys.length, statuses.length, 'exactly one request per batch');
    assert.equal(new Set(keys).size, statuses.length);
    const st = h.spool.stats();
    assert.equal(st.deadLetterBatches, statuses.length);
    assert.equal(st.rejectedItems, 5 * statuses.length);
    assert.deepEqual(h.clock.calls.filter((ms) => ms < REGISTER_INTERVAL_MS), [], 'no retry waits');
    assert.equal(h.log.events.filter((e) => /rejected items/.test(e.msg)).length, 1, 'the warning is throttled');
  } finally {
    await h.close();
  }
});

test('T13: a partially rejected batch (3 of 1000 items) is removed, the 3 are counted, nothing is requeued', async () => {
  const h = await harness();
  try {
    h.sink.reply = scripted([{ status: 422, body: { accepted: 997, duplicates: 0, rejected: 3, errors: [{ index: 7, code: 'VIGIL_ERR_LABEL_VALUE', message: 'x' }] } }]);
    await h.append(1000);
    await h.append(1);
    h.shipper.start();
    await until(() => h.shipper.status().delivered === 1, 10_000, 'both handled');
    const [first, second] = h.sink.ingests() as [SinkRequest, SinkRequest];
    assert.equal(h.sink.ingests().length, 2);
    assert.notEqual(keyOf(first), keyOf(second));
    assert.equal(h.spool.stats().rejectedItems, 3);
    assert.equal(h.spool.stats().deadLetterBatches, 0);
    // The next batch tells the server about it; afterwards the error is cleared.
    assert.equal((second.body as IngestBatch).agentStats?.lastError, 'rejected: HTTP 422');
    assert.equal(h.shipper.status().lastError, null);
  } finally {
    await h.close();
  }
});

test('T12: 5xx, reset connections and a stopped server are retried with exponential backoff, re-registering, never dropped', async () => {
  const h = await harness();
  try {
    h.sink.reply = scripted([{ status: 500 }, { status: 502 }, { status: 503 }, { status: 504 }, { status: 200, destroy: true }]);
    const seq = await h.append(3);
    h.shipper.start();
    for (const delay of [100, 200, 400, 800]) {
      await until(() => h.clock.pending.includes(delay), 10_000, `backoff ${delay}`);
      assert.equal(h.spool.stats().pendingBatches, 1, 'the batch stays buffered');
      assert.match(h.shipper.status().lastError ?? '', /^unavailable: HTTP 50\d$/);
      h.clock.advance(delay);
    }
    await until(() => h.clock.pending.includes(1600), 10_000, 'backoff after the reset connection');
    assert.match(h.shipper.status().lastError ?? '', /^unavailable: network: /);
    // Now the server is down entirely: connection refused, then it comes back on the same port.
    const port = Number(new URL(h.url).port);
    await h.sink.stop();
    h.clock.advance(1600);
    await until(() => h.clock.pending.includes(3200), 10_000, 'backoff while the server is down');
    h.clock.advance(3200);
    await until(() => h.clock.pending.includes(6400), 10_000, 'longer backoff while the server is down');
    assert.equal(h.spool.stats().pendingBatches, 1);
    await h.sink.start(port);
    h.clock.advance(6400);
    await until(() => h.shipper.status().delivered === 1, 10_000, 'delivery after recovery');
    const keys = new Set(h.sink.ingests().map(keyOf));
    assert.deepEqual([...keys], [`${h.spool.streamId}-${seq}`], 'the same Idempotency-Key on every attempt');
    // A 5xx answer is not a reconnect, a cut or refused connection is: register again before sending.
    const paths = h.sink.requests.map((r) => (r.path.endsWith('register') ? 'R' : 'I')).join('');
    assert.equal(paths, 'RIIIIIRI');
    assert.equal(h.spool.stats().droppedSamples, 0);
    assert.equal(h.shipper.status().failures, 0);
    assert.ok(h.log.events.some((e) => e.msg === 'server reachable again'));
  } finally {
    await h.close();
  }
});

test('T12: 429 waits Retry-After (which wins over RateLimit t), else the RateLimit reset', async () => {
  const h = await harness();
  try {
    h.sink.reply = scripted([
      { status: 429, headers: { 'retry-after': '5', ratelimit: '"ingest";r=0;t=7' } },
      { status: 429, headers: { ratelimit: '"ingest";r=0;t=7' } },
    ]);
    await h.append(1);
    h.shipper.start();
    await until(() => h.clock.pending.includes(5000), 10_000, 'Retry-After wait');
    h.clock.advance(4999);
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(h.sink.ingests().length, 1, 'no attempt before Retry-After has passed');
    h.clock.advance(1);
    await until(() => h.clock.pending.includes(7000), 10_000, 'RateLimit wait');
    assert.equal(h.sink.ingests().length, 2);
    assert.equal(h.sink.registers().length, 1, 'a rate limit is not a reconnect');
    h.clock.advance(7000);
    await until(() => h.spool.stats().pendingBatches === 0, 10_000, 'delivery');
    assert.equal(h.sink.ingests().length, 3);
  } finally {
    await h.close();
  }
});

test('T12: 401/403 keep buffering with an "auth" health error; after the key works again everything arrives in order', async () => {
  const h = await harness();
  try {
    let authOk = false;
    h.sink.reply = (req) => (authOk ? defaultReply(req) : { status: req.path.endsWith('register') ? 403 : 401, body: { error: { code: 'VIGIL_ERR_UNAUTHENTICATED', message: 'bad key' } } });
    await h.append(1);
    h.shipper.start();
    for (const delay of [100, 200, 400]) {
      await until(() => h.clock.pending.includes(delay), 10_000, `auth backoff ${delay}`);
      await h.append(1);
      h.clock.advance(delay);
    }
    await until(() => h.clock.pending.includes(800), 10_000, 'auth backoff 800');
    assert.match(h.shipper.status().lastError ?? '', /^auth: HTTP 403 VIGIL_ERR_UNAUTHENTICATED$/);
    assert.equal(h.spool.stats().pendingBatches, 4, 'nothing dropped');
    const authLogs = h.log.events.filter((e) => e.level === 'error' && /auth/.test(e.msg));
    assert.equal(authLogs.length, 1, 'logged once, not on every retry');
    authOk = true;
    h.clock.advance(800);
    await until(() => h.spool.stats().pendingBatches === 0, 10_000, 'delivery after the key works');
    const ingests = h.sink.ingests().filter((r) => r.headers.authorization && (r.body as IngestBatch).agentStats);
    const delivered = ingests.slice(-4);
    assert.deepEqual(delivered.map((r) => Number(String(keyOf(r)).split('-')[1])), [0, 1, 2, 3]);
    assert.match((delivered[0]?.body as IngestBatch).agentStats?.lastError ?? '', /^auth: /);
    assert.equal((delivered[1]?.body as IngestBatch).agentStats?.lastError, undefined);
    const everything = JSON.stringify(h.log.events);
    assert.ok(!everything.includes(KEY), 'the key never appears in the log');
  } finally {
    await h.close();
  }
});

test('a backlog drains back to back with one request in flight, in order, without waiting for the clock', async () => {
  const h = await harness();
  try {
    for (let i = 0; i < 150; i++) await h.append(20);
    const sleepsBefore = h.clock.calls.length;
    h.shipper.start();
    await until(() => h.spool.stats().pendingBatches === 0, 20_000, 'drain');
    const seqs = h.sink.ingests().map((r) => Number(String(keyOf(r)).split('-')[1]));
    assert.deepEqual(seqs, Array.from({ length: 150 }, (_, i) => i));
    assert.equal(h.sink.maxInFlight, 1);
    // The only wait is the idle wait after the backlog is gone.
    assert.ok(h.clock.calls.slice(sleepsBefore).every((ms) => ms >= REGISTER_INTERVAL_MS - 1), JSON.stringify(h.clock.calls));
  } finally {
    await h.close();
  }
});

test('stop() lets the request in flight finish within the grace period, else aborts it and keeps the batch', async () => {
  const h = await harness();
  try {
    h.sink.reply = scripted([{ status: 200, delayMs: 300, body: {} }]);
    await h.append(1);
    h.shipper.start();
    await until(() => h.sink.inFlight === 1 && h.sink.ingests().length === 1, 10_000, 'request in flight');
    await h.shipper.stop(5000);
    assert.equal(h.spool.stats().pendingBatches, 0, 'acked before stopping');
  } finally {
    await h.close();
  }
  const h2 = await harness();
  try {
    h2.sink.reply = scripted([{ status: 200, delayMs: 3000, body: {} }]);
    await h2.append(1);
    h2.shipper.start();
    await until(() => h2.sink.inFlight === 1 && h2.sink.ingests().length === 1, 10_000, 'request in flight');
    const t0 = Date.now();
    await h2.shipper.stop(100);
    assert.ok(Date.now() - t0 < 2000, 'did not wait for the slow answer');
    assert.equal(h2.spool.stats().pendingBatches, 1, 'the batch stays spooled for the next run');
    assert.deepEqual(h2.log.events.filter((e) => e.level !== 'info' && e.level !== 'debug'), []);
  } finally {
    await h2.close();
  }
});
