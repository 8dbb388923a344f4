import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { LocalEventBus, type BusEvent, type EventBus } from './event-bus.js';

/** Options of {@link RedisEventBus}. */
export interface RedisEventBusOptions {
  url: string;
  /** Pub/sub channel shared by the replicas of one installation (default `vigil:live`). */
  channel?: string;
  /** Largest encoded event sent or accepted, bytes (default 8 MiB); larger ones stay local and are counted. */
  maxMessageBytes?: number;
  /** Most events buffered while Redis is unreachable (default 10,000); older ones are dropped and counted. */
  maxPending?: number;
  /** Called when a local handler throws. */
  onHandlerError?: (err: unknown) => void;
  /** Called on connection problems (for a rate-limited log line). */
  onConnectionError?: (err: unknown) => void;
}

/** Counters exported on `/metrics` (`vigil_live_bus_*`). */
export interface RedisBusCounters {
  published: number;
  received: number;
  /** Messages from Redis that were not a valid envelope (ignored). */
  malformed: number;
  /** Events larger than `maxMessageBytes` (kept local when sent, ignored when received). */
  oversized: number;
  /** Events lost because the outgoing buffer was full while Redis was down. */
  dropped: number;
  /** Publishes that Redis refused (connection lost mid-flight). */
  publishErrors: number;
}

/** What travels on the channel: the event plus the id of the replica that produced it. */
interface Envelope {
  o: string;
  t: string;
  d: unknown;
}

/** Reconnect delay after `times` failed attempts, ms: 100 ms doubling to 5 s. */
export function reconnectDelay(times: number): number {
  return Math.min(100 * 2 ** Math.min(times - 1, 6), 5000);
}

/** Parses one channel message; null when it is not a valid envelope. */
export function parseEnvelope(raw: string): Envelope | null {
  let v: unknown;
  try {
    v = JSON.parse(raw);
  } catch {
    return null;
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return null;
  const e = v as Record<string, unknown>;
  if (typeof e.o !== 'string' || typeof e.t !== 'string' || e.t === '' || !('d' in e)) return null;
  return { o: e.o, t: e.t, d: e.d };
}

/**
 * The event bus shared by replicas through Redis pub/sub (`--redis-url`).
 *
 * An event reaches this replica's handlers synchronously, exactly as with {@link LocalEventBus},
 * and is published to Redis tagged with this bus's origin id; messages carrying our own origin
 * are ignored on receipt. Local delivery stays synchronous (the alert engine and tests rely on
 * it) and keeps working while Redis is down; every other replica gets each event once.
 *
 * Delivery between replicas is at-most-once (Redis pub/sub): live views are refreshed from
 * storage on (re)subscribe, so a lost message only delays a browser update. While Redis is
 * unreachable, outgoing events are buffered (bounded) and sent after the reconnect.
 */
export class RedisEventBus implements EventBus {
  readonly counters: RedisBusCounters = { published: 0, received: 0, malformed: 0, oversized: 0, dropped: 0, publishErrors: 0 };
  /** Identifies this replica's messages on the channel. */
  readonly origin = randomUUID();
  private readonly local: LocalEventBus;
  private readonly pub: Redis;
  private readonly sub: Redis;
  private readonly channel: string;
  private readonly maxBytes: number;
  private readonly maxPending: number;
  private pending: string[] = [];
  private closed = false;
  private subscribed = false;

  constructor(opts: RedisEventBusOptions) {
    this.channel = opts.channel ?? 'vigil:live';
    this.maxBytes = opts.maxMessageBytes ?? 8 * 1024 * 1024;
    this.maxPending = opts.maxPending ?? 10_000;
    this.local = new LocalEventBus(opts.onHandlerError);
    const onErr = opts.onConnectionError ?? (() => {});
    const common = { lazyConnect: false, maxRetriesPerRequest: null, enableOfflineQueue: true, retryStrategy: reconnectDelay, connectTimeout: 5000 };
    this.pub = new Redis(opts.url, { ...common, enableOfflineQueue: false });
    this.sub = new Redis(opts.url, common);
    this.pub.on('error', onErr);
    this.sub.on('error', onErr);
    this.pub.on('ready', () => this.flushPending());
    // ioredis re-subscribes on reconnect by itself (autoResubscribe).
    this.sub.subscribe(this.channel).then(
      () => (this.subscribed = true),
      (err: unknown) => onErr(err),
    );
    this.sub.on('message', (channel: string, message: string) => {
      if (channel === this.channel) this.receive(message);
    });
  }

  publish(event: BusEvent): void {
    this.local.publish(event);
    if (this.closed) return;
    const message = JSON.stringify({ o: this.origin, t: event.type, d: event.data } satisfies Envelope);
    if (Buffer.byteLength(message) > this.maxBytes) {
      this.counters.oversized++;
      return;
    }
    if (this.pub.status !== 'ready') {
      this.buffer(message);
      return;
    }
    this.send(message);
  }

  subscribe(handler: (event: BusEvent) => void): () => void {
    return this.local.subscribe(handler);
  }

  /** Resolves once both connections are up (startup and tests), false after `timeoutMs`. */
  async ready(timeoutMs = 5000): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.subscribed && this.pub.status === 'ready' && this.sub.status === 'ready') return true;
      await new Promise((r) => setTimeout(r, 20));
    }
    return false;
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.local.close();
    this.pending = [];
    // QUIT on a connection that is not up would wait in the offline queue for a reconnect.
    await Promise.allSettled([this.sub, this.pub].map((c) => (c.status === 'ready' ? c.quit() : Promise.resolve(c.disconnect()))));
    this.sub.disconnect();
    this.pub.disconnect();
  }

  private receive(message: string): void {
    if (Buffer.byteLength(message) > this.maxBytes) {
      this.counters.oversized++;
      return;
    }
    const env = parseEnvelope(message);
    if (!env) {
      this.counters.malformed++;
      return;
    }
    if (env.o === this.origin) return;
    this.counters.received++;
    this.local.publish({ type: env.t, data: env.d });
  }

  private send(message: string): void {
    this.counters.published++;
    this.pub.publish(this.channel, message).catch(() => {
      this.counters.publishErrors++;
    });
  }

  private buffer(message: string): void {
    if (this.pending.length >= this.maxPending) {
      this.pending.shift();
      this.counters.dropped++;
    }
    this.pending.push(message);
  }

  private flushPending(): void {
    const out = this.pending;
    this.pending = [];
    for (const m of out) this.send(m);
  }
}
