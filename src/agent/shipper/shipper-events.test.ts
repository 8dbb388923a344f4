// The security lane of the shipper (issue 6) against a real HTTP server on 127.0.0.1: events go
// to POST /api/v1/events before any metrics batch, and a server without that endpoint neither
// stalls the metrics nor loses the events nor gets hammered. Time is a ManualClock.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import type { AgentHello } from '../../protocol/ingest.js';
import type { SecurityEventBatch } from '../../protocol/security.js';
import { ManualClock } from '../testing/manual-clock.js';
import { memoryLogger } from '../testing/fixture-host.js';
import { IngestSink, defaultReply, until, type SinkReply, type SinkRequest } from '../testing/ingest-sink.js';
import { Spool } from '../spool/spool.js';
import { HttpPoster } from './http-post.js';
import { EVENTS_ENDPOINT_MISSING_RETRY_MS, Shipper } from './shipper.js';

const HELLO: AgentHello = { hostname: 'h', os: 'linux', kernel: '6', arch: 'x64', agentVersion: '0.1.0', intervalMs: 1000, cpuCount: 2, memoryBytes: 1, capabilities: ['cpu'], unavailable: [] };

async function harness(reply: (req: SinkRequest) => SinkReply) {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-shipper-ev-'));
  const sink = new IngestSink();
  sink.reply = reply;
  const url = await sink.start();
  const clock = new ManualClock(1_800_000_000_000);
  const log = memoryLogger();
  const events = await Spool.open({ dir: join(dir, 'ev'), maxBytes: 64 * 1024 * 1024, maxAgeMs: 86_400_000, log });
  const spool = await Spool.open({ dir: join(dir, 'm'), maxBytes: 64 * 1024 * 1024, maxAgeMs: 86_400_000, log });
  const http = new HttpPoster(new URL(url));
  const shipper = new Shipper({ http, key: 'vgk_x', spool, events, clock, log, hello: () => HELLO, random: () => 1, userAgent: 'vigil-agent/test' });
  return {
    sink,
    clock,
    log,
    events,
    spool,
    shipper,
    async metrics(n: number) {
      await spool.append({ body: Buffer.from(JSON.stringify({ series: [{ metric: 'm', labels: { n: String(n) }, points: [[clock.now(), n]] }] })), samples: 1, items: 1 }, clock.now());
      shipper.wake();
    },
    async event(n: number) {
      const e = { event_id: randomUUID(), ts: clock.now(), event_type: 'auth_failure', severity: 'medium', source: 'auth-log', description: `failure ${n}` };
      await events.append({ body: Buffer.from(JSON.stringify({ events: [e] })), samples: 1, items: 1 }, clock.now());
      shipper.wake();
    },
    posts: () => sink.requests.filter((r) => r.path !== '/api/v1/agents/register'),
    async close() {
      await shipper.stop(1000);
      http.close();
      await spool.close();
      await events.close();
      await sink.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const eventsReply = (req: SinkRequest): SinkReply => {
  if (req.path === '/api/v1/events') {
    const n = (req.body as SecurityEventBatch).events.length;
    return { status: 200, body: { accepted: n, duplicates: 0, rejected: 0, errors: [] } };
  }
  return defaultReply(req);
};

test('security batches are sent before metrics, to /api/v1/events with their own idempotency keys', async () => {
  const h = await harness(eventsReply);
  try {
    for (let i = 0; i < 3; i++) await h.metrics(i);
    await h.event(0);
    await h.event(1);
    h.shipper.start();
    await until(() => h.posts().length === 5, 10_000, 'all delivered');
    assert.deepEqual(h.posts().map((r) => r.path), ['/api/v1/events', '/api/v1/events', '/api/v1/ingest', '/api/v1/ingest', '/api/v1/ingest']);
    const first = h.posts()[0];
    assert.equal((first?.body as SecurityEventBatch).events[0]?.description, 'failure 0');
    assert.match(String(first?.headers['idempotency-key']), /^ev-[0-9a-f]{16}-0$/);
    assert.equal(first?.headers.authorization, 'Bearer vgk_x');
    // An event spooled while metrics are pending jumps the queue.
    sinkPause(h.sink, true);
    await h.metrics(3);
    await h.metrics(4);
    await h.event(2);
    sinkPause(h.sink, false);
    await until(() => h.posts().length === 8, 10_000, 'second round');
    assert.equal(h.shipper.status().deliveredEvents, 3);
    assert.equal(h.events.stats().pendingBatches, 0);
  } finally {
    await h.close();
  }
});

/** Holds ingest answers back (the shipper waits on a request) so the test can queue work behind it. */
function sinkPause(sink: IngestSink, on: boolean): void {
  const base = eventsReply;
  sink.reply = on ? (req) => ({ ...base(req), delayMs: req.path === '/api/v1/ingest' ? 200 : 0 }) : base;
}

test('a server without /api/v1/events (404): metrics keep flowing, events stay buffered, asked again after 10 min, no spin', async () => {
  let hasEndpoint = false;
  const h = await harness((req) => (req.path === '/api/v1/events' && !hasEndpoint ? { status: 404, body: { error: { code: 'VIGIL_ERR_NOT_FOUND', message: 'Route POST:/api/v1/events not found' } } } : eventsReply(req)));
  try {
    await h.event(0);
    await h.metrics(0);
    await h.metrics(1);
    h.shipper.start();
    await until(() => h.spool.stats().pendingBatches === 0, 10_000, 'metrics delivered despite the 404');
    await until(() => h.clock.sleeping > 0, 10_000, 'shipper idle');
    assert.equal(h.posts().filter((r) => r.path === '/api/v1/events').length, 1, 'one attempt, no retry loop');
    assert.equal(h.events.stats().pendingBatches, 1, 'events kept');
    assert.match(h.shipper.status().lastError ?? '', /events: HTTP 404/);
    assert.equal(h.log.events.filter((e) => /does not accept security events/.test(e.msg)).length, 1);
    // More metrics while waiting: still no event retry before the 10 minutes are up.
    await h.metrics(2);
    await until(() => h.spool.stats().pendingBatches === 0, 10_000, 'third metrics batch');
    h.clock.advance(EVENTS_ENDPOINT_MISSING_RETRY_MS - 1000);
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(h.posts().filter((r) => r.path === '/api/v1/events').length, 1);
    // The server is upgraded; the retry is due and succeeds with the same idempotency key.
    hasEndpoint = true;
    h.clock.advance(1000);
    await until(() => h.events.stats().pendingBatches === 0, 10_000, 'events delivered after the upgrade');
    const tries = h.posts().filter((r) => r.path === '/api/v1/events');
    assert.equal(tries.length, 2);
    assert.equal(tries[0]?.headers['idempotency-key'], tries[1]?.headers['idempotency-key']);
  } finally {
    await h.close();
  }
});

test('a 503 on events backs off the events lane only; the events are delivered when it recovers', async () => {
  let fail = 2;
  const h = await harness((req) => (req.path === '/api/v1/events' && fail-- > 0 ? { status: 503 } : eventsReply(req)));
  try {
    await h.event(0);
    await h.metrics(0);
    h.shipper.start();
    await until(() => h.spool.stats().pendingBatches === 0, 10_000, 'metrics delivered');
    for (let i = 0; i < 2 && h.events.stats().pendingBatches > 0; i++) {
      await until(() => h.clock.sleeping > 0, 10_000, 'waiting');
      h.clock.advance(Math.max(...h.clock.pending.filter((ms) => ms < 60_000), 1000));
      await new Promise((r) => setTimeout(r, 30));
    }
    await until(() => h.events.stats().pendingBatches === 0, 10_000, 'events delivered');
    assert.equal(h.posts().filter((r) => r.path === '/api/v1/events').length, 3);
  } finally {
    await h.close();
  }
});

test('shared disk budget: when both lanes exceed it, the metrics lane drops its oldest batches and the security lane keeps everything', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-lanes-'));
  const log = memoryLogger();
  try {
    const budget = 1024 * 1024;
    const events = await Spool.open({ dir: join(dir, 'ev'), maxBytes: budget, maxAgeMs: 86_400_000, segmentBytes: 64 * 1024, fsync: false, log });
    const metrics = await Spool.open({ dir: join(dir, 'm'), maxBytes: budget, maxAgeMs: 86_400_000, segmentBytes: 64 * 1024, fsync: false, reservedBytes: () => events.stats().diskBytes, log });
    const body = (kb: number) => Buffer.alloc(kb * 1024, 0x61);
    for (let i = 0; i < 12; i++) await metrics.append({ body: body(50), samples: 10, items: 1 }, 1);
    assert.equal(metrics.stats().droppedBatches, 0);
    // 600 KiB of security events arrive while the server is away (nothing is acked).
    for (let i = 0; i < 12; i++) await events.append({ body: body(50), samples: 1, items: 1 }, 1);
    await metrics.append({ body: body(50), samples: 10, items: 1 }, 1);
    assert.equal(events.stats().droppedBatches, 0, 'no security batch dropped');
    assert.equal(events.stats().pendingBatches, 12);
    assert.ok(metrics.stats().droppedBatches > 0, 'metrics gave way');
    assert.ok(metrics.stats().diskBytes + events.stats().diskBytes <= budget + 64 * 1024, `total ${metrics.stats().diskBytes + events.stats().diskBytes}`);
    await metrics.close();
    await events.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
