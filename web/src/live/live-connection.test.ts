import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LiveConnection, type ConnectionState, type LiveSocket, type SocketHandlers, type SubscriptionMessage } from './live-connection.js';
import { ManualScheduler } from '../testing/manual-scheduler.js';

/** A socket the test opens, feeds and closes by hand; it records what the client sent. */
class TestSocket implements LiveSocket {
  sent: unknown[] = [];
  closed = false;
  constructor(readonly handlers: SocketHandlers) {}
  send(text: string): void {
    this.sent.push(JSON.parse(text));
  }
  close(): void {
    this.closed = true;
  }
  serverSends(msg: unknown): void {
    this.handlers.onMessage(JSON.stringify(msg));
  }
}

function setup(options: { online?: () => boolean } = {}) {
  const clock = new ManualScheduler(0);
  const sockets: TestSocket[] = [];
  const states: ConnectionState[] = [];
  const conn = new LiveConnection({
    url: 'ws://127.0.0.1/api/v1/live',
    scheduler: clock,
    random: () => 1,
    isOnline: options.online,
    createSocket: (_url, handlers) => {
      const s = new TestSocket(handlers);
      sockets.push(s);
      return s;
    },
  });
  conn.onStateChange((s) => states.push(s));
  const last = () => sockets[sockets.length - 1] as TestSocket;
  return { clock, sockets, states, conn, last };
}

test('subscriptions are sent on open, routed by id, and unsubscribed', () => {
  const { conn, last } = setup();
  const got: SubscriptionMessage[] = [];
  const off = conn.subscribe({ topic: 'samples', filter: { host: 'web-1' } }, (m) => got.push(m));
  conn.start();
  assert.equal(conn.state, 'connecting');
  last().handlers.onOpen();
  assert.equal(conn.state, 'connected');
  assert.deepEqual(last().sent, [{ op: 'subscribe', id: 's1', topic: 'samples', filter: { host: 'web-1' } }]);
  last().serverSends({ type: 'samples', sub: 's1', host: 'web-1', series: [] });
  last().serverSends({ type: 'samples', sub: 's999', host: 'web-1', series: [] });
  last().serverSends('not an object');
  last().handlers.onMessage('{broken json');
  assert.equal(got.length, 1);
  const offAgents = conn.subscribe({ topic: 'agents' }, () => undefined);
  assert.deepEqual(last().sent[1], { op: 'subscribe', id: 's2', topic: 'agents' });
  off();
  off();
  offAgents();
  assert.deepEqual(last().sent.slice(2), [
    { op: 'unsubscribe', id: 's1' },
    { op: 'unsubscribe', id: 's2' },
  ]);
  assert.equal(conn.subscriptionCount, 0);
});

test('reconnects with backoff, re-sends subscriptions and asks pages to resync', () => {
  const { conn, clock, sockets, states, last } = setup();
  let resyncs = 0;
  conn.onResync(() => resyncs++);
  conn.subscribe({ topic: 'agents' }, () => undefined);
  conn.start();
  last().handlers.onOpen();
  assert.equal(resyncs, 0, 'the first connection is not a resync');
  last().handlers.onClose(1006);
  assert.equal(conn.state, 'reconnecting');
  assert.equal(sockets.length, 1);
  clock.advance(499);
  assert.equal(sockets.length, 1);
  clock.advance(1);
  assert.equal(sockets.length, 2, 'first retry after 500 ms (random = 1)');
  last().handlers.onClose(1006);
  clock.advance(1000);
  assert.equal(sockets.length, 3, 'second retry after 1 s');
  last().handlers.onOpen();
  assert.equal(conn.state, 'connected');
  assert.deepEqual(last().sent, [{ op: 'subscribe', id: 's1', topic: 'agents' }]);
  assert.equal(resyncs, 1);
  assert.deepEqual(states, ['connecting', 'connected', 'reconnecting', 'connected']);
  // The server dropping messages for us also means "refetch".
  last().serverSends({ type: 'dropped', count: 3 });
  assert.equal(resyncs, 2);
});

test('reports offline after failing long enough or when the browser is offline', () => {
  let online = true;
  const { conn, clock, last } = setup({ online: () => online });
  conn.start();
  for (let i = 0; i < 7; i++) {
    last().handlers.onClose(1006);
    clock.advance(conn.nextRetryAtMs! - clock.now());
  }
  assert.equal(conn.state, 'offline');
  last().handlers.onOpen();
  assert.equal(conn.state, 'connected');
  online = false;
  last().handlers.onClose(1006);
  assert.equal(conn.state, 'offline');
  online = true;
  const before = conn.nextRetryAtMs!;
  conn.reconnectNow();
  assert.ok(clock.now() < before);
  last().handlers.onOpen();
  assert.equal(conn.state, 'connected');
});

test('a dead link (no answer to a ping) is closed and reconnected', () => {
  const { conn, clock, sockets, last } = setup();
  conn.start();
  last().handlers.onOpen();
  clock.advance(15_000);
  assert.deepEqual(last().sent, [{ op: 'ping' }]);
  last().serverSends({ type: 'pong' });
  clock.advance(15_000);
  assert.equal(conn.state, 'connected');
  // Second ping sent; no answer this time.
  clock.advance(15_000);
  assert.equal(conn.state, 'reconnecting');
  assert.equal(sockets[0]!.closed, true);
});

test('an attempt that never opens times out and is retried', () => {
  const { conn, clock, sockets } = setup();
  conn.start();
  clock.advance(10_000);
  assert.equal(sockets[0]!.closed, true);
  assert.equal(conn.state, 'reconnecting');
  clock.advance(500);
  assert.equal(sockets.length, 2);
});

test('stop leaves no timer, socket or listener behind', () => {
  const { conn, clock, last } = setup();
  const offState = conn.onStateChange(() => undefined);
  const offResync = conn.onResync(() => undefined);
  const offSub = conn.subscribe({ topic: 'agents' }, () => undefined);
  conn.start();
  last().handlers.onOpen();
  assert.ok(clock.pendingCount > 0);
  last().handlers.onClose(1006);
  conn.stop();
  assert.equal(clock.pendingCount, 0);
  assert.equal(conn.pendingTimerCount, 0);
  assert.equal(conn.state, 'idle');
  offState();
  offResync();
  offSub();
  assert.equal(conn.subscriptionCount, 0);
  assert.equal(conn.listenerCount, 1, 'only the listener of setup() remains');
  // Late events from the old socket are ignored.
  last().handlers.onClose(1006);
  assert.equal(clock.pendingCount, 0);
});

test('a socket constructor that throws is retried, not fatal', () => {
  const clock = new ManualScheduler(0);
  let calls = 0;
  const conn = new LiveConnection({
    url: 'ws://x',
    scheduler: clock,
    random: () => 0,
    createSocket: () => {
      calls++;
      throw new SyntaxError('bad url');
    },
  });
  conn.start();
  clock.advance(5000);
  assert.ok(calls > 1);
  conn.stop();
  assert.equal(clock.pendingCount, 0);
});

test('a close for a missing session is reported to the app', () => {
  const clock = new ManualScheduler(0);
  let rejected = 0;
  let socket: TestSocket | null = null;
  const conn = new LiveConnection({
    url: 'ws://x',
    scheduler: clock,
    onUnauthenticated: () => rejected++,
    createSocket: (_u, h) => (socket = new TestSocket(h)),
  });
  conn.start();
  socket!.handlers.onOpen();
  socket!.handlers.onClose(1006);
  assert.equal(rejected, 0);
  clock.advance(1000);
  socket!.handlers.onOpen();
  socket!.handlers.onClose(4001);
  assert.equal(rejected, 1);
  conn.stop();
});
