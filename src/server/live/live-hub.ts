import type { LiveClientMessage, LiveServerMessage } from '../../protocol/live.js';
import { PROTOCOL_VERSION } from '../../protocol/version.js';
import type { Principal } from '../auth/principal.js';
import { actorOf } from '../auth/principal.js';
import type { BusEvent, EventBus } from './event-bus.js';
import type { AnyLiveTopic, LiveTopic } from './live-topic.js';

/** What the hub needs from a socket (the `ws` WebSocket satisfies it). */
export interface LiveSocket {
  send(data: string): void;
  readonly bufferedAmount: number;
  close(code?: number, reason?: string): void;
  ping(): void;
  terminate(): void;
}

/** Hub limits (config). */
export interface LiveHubLimits {
  /** Most concurrent clients (default 1,000); more are refused with close code 1013. */
  maxClients: number;
  /** Most subscriptions per client (default 100). */
  maxSubscriptionsPerClient: number;
  /** Bytes queued in the socket beyond which messages are dropped (default 1 MiB). */
  maxBufferedBytes: number;
  /** Dropped messages after which a client is cut off as a slow consumer (default 5,000). */
  maxDroppedBeforeClose: number;
  /** Ping interval, ms (default 30 s); a client that misses one pong is terminated. */
  heartbeatMs: number;
}

/** Default hub limits. */
export const DEFAULT_HUB_LIMITS: LiveHubLimits = { maxClients: 1000, maxSubscriptionsPerClient: 100, maxBufferedBytes: 1 << 20, maxDroppedBeforeClose: 5000, heartbeatMs: 30_000 };

interface Subscription {
  topic: LiveTopic;
  filter: unknown;
}

interface Client {
  socket: LiveSocket;
  principal: Principal;
  subs: Map<string, Subscription>;
  dropped: number;
  droppedUnreported: number;
  alive: boolean;
}

/** Counters exported on `/metrics`. */
export interface LiveHubCounters {
  messagesSent: number;
  messagesDropped: number;
  slowConsumersClosed: number;
  clientsRefused: number;
}

/**
 * Fans bus events out to authenticated WebSocket clients by topic subscription, with a bounded
 * per-client queue (the socket's buffer): a slow client gets `dropped` notices and is cut off
 * after too many drops, so one bad consumer cannot grow server memory.
 */
export class LiveHub {
  private readonly clients = new Set<Client>();
  private readonly topics = new Map<string, LiveTopic>();
  private readonly unsubscribeBus: () => void;
  private readonly heartbeat: NodeJS.Timeout;
  readonly counters: LiveHubCounters = { messagesSent: 0, messagesDropped: 0, slowConsumersClosed: 0, clientsRefused: 0 };

  constructor(
    bus: EventBus,
    topics: readonly AnyLiveTopic[],
    private readonly limits: LiveHubLimits = DEFAULT_HUB_LIMITS,
    private readonly onError: (err: unknown) => void = () => {},
  ) {
    for (const t of topics) this.topics.set(t.name, t as LiveTopic);
    this.unsubscribeBus = bus.subscribe((e) => void this.dispatch(e).catch(onError));
    this.heartbeat = setInterval(() => this.beat(), limits.heartbeatMs);
    this.heartbeat.unref();
  }

  /** Number of connected clients. */
  get size(): number {
    return this.clients.size;
  }

  /** Accepts a new authenticated socket; returns the handlers the transport must call. */
  connect(socket: LiveSocket, principal: Principal): { onMessage(text: string): void; onPong(): void; onClose(): void } {
    if (this.clients.size >= this.limits.maxClients) {
      this.counters.clientsRefused++;
      socket.close(1013, 'too many live clients; try again later');
      return { onMessage: () => {}, onPong: () => {}, onClose: () => {} };
    }
    const client: Client = { socket, principal, subs: new Map(), dropped: 0, droppedUnreported: 0, alive: true };
    this.clients.add(client);
    this.send(client, { type: 'hello', protocol: PROTOCOL_VERSION, user: actorOf(principal), heartbeatMs: this.limits.heartbeatMs });
    return {
      onMessage: (text) => this.handle(client, text),
      onPong: () => {
        client.alive = true;
      },
      onClose: () => {
        this.clients.delete(client);
      },
    };
  }

  /** Closes every client socket whose principal matches (e.g. on logout or user disable). */
  disconnectWhere(predicate: (p: Principal) => boolean, reason: string): number {
    let n = 0;
    for (const c of this.clients) {
      if (predicate(c.principal)) {
        c.socket.close(4001, reason);
        this.clients.delete(c);
        n++;
      }
    }
    return n;
  }

  /** Stops heartbeats, leaves the bus and closes all sockets (server shutdown). */
  close(): void {
    clearInterval(this.heartbeat);
    this.unsubscribeBus();
    for (const c of this.clients) c.socket.close(1001, 'server shutting down');
    this.clients.clear();
  }

  private handle(client: Client, text: string): void {
    let msg: LiveClientMessage;
    try {
      msg = JSON.parse(text) as LiveClientMessage;
      if (typeof msg !== 'object' || msg === null) throw new Error('not an object');
    } catch {
      this.send(client, { type: 'error', code: 'VIGIL_ERR_INVALID_JSON', message: 'messages must be JSON objects' });
      return;
    }
    if (msg.op === 'ping') this.send(client, { type: 'pong' });
    else if (msg.op === 'unsubscribe' && typeof msg.id === 'string') client.subs.delete(msg.id);
    else if (msg.op === 'subscribe') this.subscribe(client, msg);
    else this.send(client, { type: 'error', code: 'VIGIL_ERR_VALIDATION', message: 'op must be subscribe, unsubscribe or ping' });
  }

  private subscribe(client: Client, msg: { id: unknown; topic: unknown; filter?: unknown }): void {
    const id = typeof msg.id === 'string' && msg.id.length > 0 && msg.id.length <= 64 ? msg.id : null;
    const fail = (code: string, message: string) => this.send(client, { type: 'error', ...(id ? { id } : {}), code, message });
    if (!id) return fail('VIGIL_ERR_VALIDATION', 'subscribe needs an "id" string of 1-64 characters');
    const topic = typeof msg.topic === 'string' ? this.topics.get(msg.topic) : undefined;
    if (!topic) return fail('VIGIL_ERR_VALIDATION', `unknown topic; available: ${[...this.topics.keys()].join(', ')}`);
    if (!canUse(client.principal, topic)) return fail('VIGIL_ERR_FORBIDDEN', `missing permission ${topic.permission}`);
    if (!client.subs.has(id) && client.subs.size >= this.limits.maxSubscriptionsPerClient) {
      return fail('VIGIL_ERR_VALIDATION', `at most ${this.limits.maxSubscriptionsPerClient} subscriptions per connection`);
    }
    let filter: unknown;
    try {
      filter = topic.parseFilter(msg.filter ?? {});
    } catch (err) {
      return fail('VIGIL_ERR_VALIDATION', err instanceof Error ? err.message : 'invalid filter');
    }
    client.subs.set(id, { topic, filter });
    this.send(client, { type: 'subscribed', id, topic: topic.name });
  }

  private async dispatch(event: BusEvent): Promise<void> {
    for (const topic of this.topics.values()) {
      if (!topic.eventTypes.includes(event.type) || !this.anySubscribed(topic)) continue;
      const prepared = await topic.prepare(event);
      if (prepared === null) continue;
      for (const client of this.clients) {
        for (const [id, sub] of client.subs) {
          if (sub.topic !== topic) continue;
          const fields = topic.select(prepared, sub.filter as Record<string, string>, client.principal);
          if (fields) this.send(client, { ...fields, sub: id } as unknown as LiveServerMessage);
        }
      }
    }
  }

  private anySubscribed(topic: LiveTopic): boolean {
    for (const c of this.clients) for (const s of c.subs.values()) if (s.topic === topic) return true;
    return false;
  }

  private send(client: Client, msg: LiveServerMessage): void {
    if (client.socket.bufferedAmount > this.limits.maxBufferedBytes) {
      client.dropped++;
      client.droppedUnreported++;
      this.counters.messagesDropped++;
      if (client.dropped >= this.limits.maxDroppedBeforeClose) {
        this.counters.slowConsumersClosed++;
        client.socket.close(1013, 'slow consumer: too many messages dropped');
        this.clients.delete(client);
      }
      return;
    }
    try {
      if (client.droppedUnreported > 0) {
        client.socket.send(JSON.stringify({ type: 'dropped', count: client.droppedUnreported }));
        client.droppedUnreported = 0;
      }
      client.socket.send(JSON.stringify(msg));
      this.counters.messagesSent++;
    } catch (err) {
      this.onError(err);
    }
  }

  private beat(): void {
    for (const c of this.clients) {
      if (!c.alive) {
        c.socket.terminate();
        this.clients.delete(c);
        continue;
      }
      c.alive = false;
      c.socket.ping();
    }
  }
}

function canUse(p: Principal, topic: LiveTopic): boolean {
  return p.kind === 'user' && p.permissions.includes(topic.permission);
}
