import type { LiveClientMessage, LiveServerMessage } from '../../../src/protocol/live.js';
import type { Scheduler, TimerHandle } from '../time/scheduler.js';
import { backoffDelay, type BackoffOptions } from './backoff.js';

/**
 * State shown by the connection indicator:
 * - `idle`: not started (logged out);
 * - `connecting`: first attempt after start;
 * - `connected`: socket open, subscriptions sent;
 * - `reconnecting`: the connection was lost and attempts are under way;
 * - `offline`: the browser reports no network, or attempts have failed for longer than
 *   `offlineAfterMs` (attempts continue at the maximum backoff).
 */
export type ConnectionState = 'idle' | 'connecting' | 'connected' | 'reconnecting' | 'offline';

/** Callbacks a socket reports to; see {@link SocketFactory}. */
export interface SocketHandlers {
  onOpen(): void;
  onMessage(text: string): void;
  /** Called once when the socket closed or failed to open. */
  onClose(code: number): void;
}

/** The part of a WebSocket the connection uses. */
export interface LiveSocket {
  send(text: string): void;
  close(): void;
}

/** Opens a socket to `url` that reports to `handlers`. */
export type SocketFactory = (url: string, handlers: SocketHandlers) => LiveSocket;

/** What a subscription asks for: a topic and an optional filter (`docs/api.md`, live updates). */
export interface SubscriptionSpec {
  topic: string;
  filter?: Record<string, string>;
}

/** A server message addressed to one subscription. */
export type SubscriptionMessage = Extract<LiveServerMessage, { sub: string }>;

/** Options of {@link LiveConnection}. */
export interface LiveConnectionOptions {
  /** `ws://` or `wss://` URL of `/api/v1/live`. */
  url: string;
  createSocket: SocketFactory;
  scheduler: Scheduler;
  /** Uniform random in [0, 1) for backoff jitter (default Math.random). */
  random?: () => number;
  /** Whether the browser believes it is online (default: always true). */
  isOnline?: () => boolean;
  backoff?: BackoffOptions;
  /** Give up on an attempt that has not opened after this many ms (default 10 s). */
  connectTimeoutMs?: number;
  /** Client ping period in ms; no answer before the next ping means a dead link (default 15 s). */
  pingIntervalMs?: number;
  /** Report `offline` after failing this long, in ms (default 20 s). */
  offlineAfterMs?: number;
  /**
   * Called when the server closes the socket because the session is not valid
   * ({@link LIVE_CLOSE_UNAUTHENTICATED}); the app then sends the user to the login page.
   */
  onUnauthenticated?: () => void;
}

/** Close code the server uses when the WebSocket upgrade carried no valid session. */
export const LIVE_CLOSE_UNAUTHENTICATED = 4001;

interface Subscription {
  id: string;
  spec: SubscriptionSpec;
  onMessage: (msg: SubscriptionMessage) => void;
  onError?: (code: string, message: string) => void;
}

/**
 * The dashboard's single shared WebSocket to `/api/v1/live`. Pages subscribe to topics through
 * it; it reconnects with jittered exponential backoff, re-sends every subscription after a
 * reconnect, detects dead links with pings, and tells listeners to "resync" (refetch what they
 * show) whenever messages may have been missed: after a reconnect and when the server reports
 * dropped messages.
 */
export class LiveConnection {
  private readonly subs = new Map<string, Subscription>();
  private readonly stateListeners = new Set<(state: ConnectionState) => void>();
  private readonly resyncListeners = new Set<() => void>();
  private socket: LiveSocket | null = null;
  private open = false;
  private everConnected = false;
  private currentState: ConnectionState = 'idle';
  private attempt = 0;
  private failingSince: number | null = null;
  private retryTimer: TimerHandle | null = null;
  private connectTimer: TimerHandle | null = null;
  private pingTimer: TimerHandle | null = null;
  private lastMessageAt = 0;
  private lastPingAt = 0;
  private nextSubId = 1;
  private nextRetryAt: number | null = null;

  constructor(private readonly options: LiveConnectionOptions) {}

  /** Current state. */
  get state(): ConnectionState {
    return this.currentState;
  }

  /** Active subscriptions (pages that are listening). */
  get subscriptionCount(): number {
    return this.subs.size;
  }

  /** Timers this connection has pending (retry, connect timeout, ping). */
  get pendingTimerCount(): number {
    return [this.retryTimer, this.connectTimer, this.pingTimer].filter((t) => t !== null).length;
  }

  /** When the next reconnect attempt fires (ms since epoch), or null. */
  get nextRetryAtMs(): number | null {
    return this.nextRetryAt;
  }

  /** Opens the connection (no-op when already started). */
  start(): void {
    if (this.currentState !== 'idle') return;
    this.attempt = 0;
    this.failingSince = null;
    this.everConnected = false;
    this.connect('connecting');
  }

  /** Closes the connection and cancels every timer. Subscriptions stay registered. */
  stop(): void {
    this.clearTimers();
    this.dropSocket();
    this.setState('idle');
  }

  /**
   * Tries to reconnect now instead of waiting for the backoff timer (after the browser comes
   * back online, the tab becomes visible, or the user clicks the indicator).
   */
  reconnectNow(): void {
    // Only while waiting for the backoff timer: an attempt in flight or an open socket stays.
    if (this.retryTimer === null) return;
    this.clearTimers();
    this.connect(this.currentState);
  }

  /**
   * Subscribes to a topic. `onMessage` receives the server messages addressed to this
   * subscription; `onError` a subscription-level error (e.g. permission denied).
   * @returns the unsubscribe function; calling it twice is harmless.
   */
  subscribe(spec: SubscriptionSpec, onMessage: (msg: SubscriptionMessage) => void, onError?: (code: string, message: string) => void): () => void {
    const id = `s${this.nextSubId++}`;
    const sub: Subscription = { id, spec, onMessage, onError };
    this.subs.set(id, sub);
    if (this.open) this.sendSubscribe(sub);
    return () => {
      if (!this.subs.delete(id)) return;
      if (this.open) this.send({ op: 'unsubscribe', id });
    };
  }

  /** Listens to state changes; returns the remover. */
  onStateChange(listener: (state: ConnectionState) => void): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  /** Listens for "data may have been missed, refetch"; returns the remover. */
  onResync(listener: () => void): () => void {
    this.resyncListeners.add(listener);
    return () => this.resyncListeners.delete(listener);
  }

  /** Number of state and resync listeners (for leak checks). */
  get listenerCount(): number {
    return this.stateListeners.size + this.resyncListeners.size;
  }

  private connect(state: ConnectionState): void {
    this.setState(state);
    this.nextRetryAt = null;
    const { scheduler } = this.options;
    let socket: LiveSocket | null = null;
    const handlers: SocketHandlers = {
      onOpen: () => {
        if (socket === this.socket) this.handleOpen();
      },
      onMessage: (text) => {
        if (socket === this.socket) this.handleMessage(text);
      },
      onClose: (code) => {
        if (socket !== this.socket) return;
        this.handleClose();
        if (code === LIVE_CLOSE_UNAUTHENTICATED) this.options.onUnauthenticated?.();
      },
    };
    try {
      socket = this.options.createSocket(this.options.url, handlers);
    } catch {
      this.socket = null;
      this.scheduleRetry();
      return;
    }
    this.socket = socket;
    this.connectTimer = scheduler.setTimeout(() => {
      this.connectTimer = null;
      if (!this.open) {
        this.dropSocket();
        this.scheduleRetry();
      }
    }, this.options.connectTimeoutMs ?? 10_000);
  }

  private handleOpen(): void {
    const { scheduler } = this.options;
    this.open = true;
    this.clearTimer('connectTimer');
    this.attempt = 0;
    this.failingSince = null;
    this.lastMessageAt = scheduler.now();
    this.setState('connected');
    for (const sub of this.subs.values()) this.sendSubscribe(sub);
    this.schedulePing();
    if (this.everConnected) this.emitResync();
    this.everConnected = true;
  }

  private handleMessage(text: string): void {
    this.lastMessageAt = this.options.scheduler.now();
    let msg: LiveServerMessage;
    try {
      msg = JSON.parse(text) as LiveServerMessage;
    } catch {
      return;
    }
    if (typeof msg !== 'object' || msg === null) return;
    if (msg.type === 'dropped') {
      this.emitResync();
      return;
    }
    if (msg.type === 'error') {
      const sub = msg.id !== undefined ? this.subs.get(msg.id) : undefined;
      sub?.onError?.(msg.code, msg.message);
      return;
    }
    if ('sub' in msg && typeof msg.sub === 'string') {
      // A message for a subscription we just dropped is expected (it crossed our unsubscribe).
      this.subs.get(msg.sub)?.onMessage(msg);
    }
  }

  private handleClose(): void {
    this.dropSocket();
    this.clearTimers();
    this.scheduleRetry();
  }

  private scheduleRetry(): void {
    const { scheduler } = this.options;
    const now = scheduler.now();
    this.failingSince ??= now;
    const offline = !(this.options.isOnline?.() ?? true) || now - this.failingSince >= (this.options.offlineAfterMs ?? 20_000);
    this.setState(offline ? 'offline' : 'reconnecting');
    const delay = backoffDelay(this.attempt++, (this.options.random ?? Math.random)(), this.options.backoff);
    this.nextRetryAt = now + delay;
    this.retryTimer = scheduler.setTimeout(() => {
      this.retryTimer = null;
      this.connect(this.currentState);
    }, delay);
  }

  private schedulePing(): void {
    const { scheduler } = this.options;
    const period = this.options.pingIntervalMs ?? 15_000;
    this.pingTimer = scheduler.setTimeout(() => {
      this.pingTimer = null;
      if (!this.open) return;
      // Nothing at all (not even the pong) since the previous ping: the link is dead even though
      // TCP has not noticed (laptop sleep, NAT timeout, frozen server).
      if (this.lastPingAt > 0 && this.lastMessageAt < this.lastPingAt) {
        this.handleClose();
        return;
      }
      this.lastPingAt = scheduler.now();
      this.send({ op: 'ping' });
      this.schedulePing();
    }, period);
  }

  private sendSubscribe(sub: Subscription): void {
    const msg = { op: 'subscribe', id: sub.id, topic: sub.spec.topic, ...(sub.spec.filter ? { filter: sub.spec.filter } : {}) } as LiveClientMessage;
    this.send(msg);
  }

  private send(msg: LiveClientMessage): void {
    try {
      this.socket?.send(JSON.stringify(msg));
    } catch {
      // The socket is closing; its onClose will schedule the reconnect that re-sends this.
    }
  }

  private dropSocket(): void {
    const socket = this.socket;
    this.socket = null;
    this.open = false;
    this.lastPingAt = 0;
    if (socket) {
      try {
        socket.close();
      } catch {
        // Already closed.
      }
    }
  }

  private clearTimer(name: 'retryTimer' | 'connectTimer' | 'pingTimer'): void {
    const handle = this[name];
    if (handle !== null) this.options.scheduler.clearTimeout(handle);
    this[name] = null;
  }

  private clearTimers(): void {
    this.clearTimer('retryTimer');
    this.clearTimer('connectTimer');
    this.clearTimer('pingTimer');
    this.nextRetryAt = null;
  }

  private setState(state: ConnectionState): void {
    if (state === this.currentState) return;
    this.currentState = state;
    for (const listener of [...this.stateListeners]) listener(state);
  }

  private emitResync(): void {
    for (const listener of [...this.resyncListeners]) listener();
  }
}
