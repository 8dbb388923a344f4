import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import type { AgentHello, AgentStats } from '../../protocol/ingest.js';
import { PROTOCOL_VERSION } from '../../protocol/version.js';
import type { Logger } from '../../options/command.js';
import type { Clock } from '../clock.js';
import { LogThrottle } from '../log-throttle.js';
import type { Spool } from '../spool/spool.js';
import type { SpoolRecordData } from '../spool/spool-record.js';
import type { HttpPoster } from './http-post.js';
import { backoffDelay, decide, type Answer, type Decision } from './retry-policy.js';

const gzipAsync = promisify(gzip);
// Abort reasons made once: `abort()` without one builds a DOMException (with a stack) per call,
// and the wake-up happens on every tick.
const WOKEN = new Error('shipper woken');
const STOPPED = new Error('shipper stopped');

/** Bodies larger than this are sent gzip-compressed, in bytes (8 KiB). */
export const GZIP_THRESHOLD_BYTES = 8 * 1024;
/** Re-registration period, in ms (10 min). */
export const REGISTER_INTERVAL_MS = 600_000;
/** Limit of one request, in ms. */
export const REQUEST_TIMEOUT_MS = 30_000;
/** Wait before asking again a server that has no `POST /api/v1/events` (404/405: an older Vigil), in ms (10 min). */
export const EVENTS_ENDPOINT_MISSING_RETRY_MS = 600_000;

/** What the shipper needs. */
export interface ShipperOptions {
  http: HttpPoster;
  /** The ingest key; sent only in the Authorization header, never logged. */
  key: string;
  spool: Spool;
  /**
   * Spool of security events (the priority lane, sent to `POST /api/v1/events`): whenever it has
   * a batch that may be sent now, that batch goes before the next metrics batch.
   */
  events?: Spool;
  clock: Clock;
  log: Logger;
  /** Facts sent to `POST /api/v1/agents/register`. */
  hello: () => AgentHello;
  /** Randomness for backoff jitter; default `Math.random`. */
  random?: () => number;
  /** Sent as User-Agent. */
  userAgent: string;
}

/** The shipper's view of its connection, for logs and tests. */
export interface ShipperStatus {
  /** Current health problem, e.g. `auth: HTTP 401 VIGIL_ERR_UNAUTHENTICATED`, or null. */
  lastError: string | null;
  /** Consecutive failed attempts. */
  failures: number;
  registered: boolean;
  /** Batches delivered (2xx) since start. */
  delivered: number;
  /** Security event batches delivered (2xx) since start. */
  deliveredEvents: number;
}

/**
 * Sends spooled batches to the server, oldest first, one request in flight. A backlog drains
 * back to back (no pause between successful sends), so after an outage the agent catches up at
 * the speed of the link rather than the collection rate. Answers are handled by the retry table
 * in `retry-policy.ts`. Registers at start, after every reconnect and every 10 minutes.
 */
export class Shipper {
  private readonly random: () => number;
  private readonly throttle = new LogThrottle();
  private readonly stopController = new AbortController();
  /** Aborted only when a request outlives the shutdown grace; one for the shipper's life. */
  private readonly requestController = new AbortController();
  private wakeController: AbortController | null = null;
  /** Set by `wake`, cleared before each look at the spool, so a wake-up is never missed. */
  private woken = false;
  private loop: Promise<void> | null = null;
  private needRegister = true;
  private nextRegisterAt = 0;
  private failingSince: number | null = null;
  private readonly state: ShipperStatus = { lastError: null, failures: 0, registered: false, delivered: 0, deliveredEvents: 0 };
  /** The security lane's own backoff: a server that refuses events must not hold metrics back. */
  private eventsFailures = 0;
  private eventsRetryAt = 0;
  /** The security lane's current problem; reported until an events batch gets through. */
  private eventsError: string | null = null;

  constructor(private readonly opts: ShipperOptions) {
    this.random = opts.random ?? Math.random;
  }

  /** Current status (a copy). */
  status(): ShipperStatus {
    return { ...this.state, lastError: this.state.lastError ?? this.eventsError };
  }

  /** The agent's health counters as sent with each batch. */
  agentStats(): AgentStats {
    const s = this.opts.spool.stats();
    const stats: AgentStats = {
      droppedSamples: s.droppedSamples,
      droppedBatches: s.droppedBatches,
      rejectedItems: s.rejectedItems,
      spoolBytes: s.pendingBytes,
      spoolBatches: s.pendingBatches,
    };
    const lastError = this.state.lastError ?? this.eventsError;
    if (lastError) stats.lastError = lastError;
    return stats;
  }

  /** Starts the send loop (idempotent). */
  start(): void {
    this.loop ??= this.run();
  }

  /** Wakes the loop when it waits for new batches (called after every append). */
  wake(): void {
    this.woken = true;
    this.wakeController?.abort(WOKEN);
  }

  /**
   * Stops the loop. A request in flight may finish within `graceMs` so its answer is recorded
   * (an acked batch is not sent again); after that it is aborted and the batch stays spooled.
   */
  async stop(graceMs: number): Promise<void> {
    this.stopController.abort(STOPPED);
    this.wake();
    if (!this.loop) return;
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        this.requestController.abort(STOPPED);
        resolve();
      }, graceMs);
    });
    await Promise.race([this.loop, grace]);
    await this.loop;
    clearTimeout(timer);
  }

  private get stopping(): boolean {
    return this.stopController.signal.aborted;
  }

  private async run(): Promise<void> {
    while (!this.stopping) {
      try {
        await this.step();
      } catch (err) {
        // A spool failure (disk gone) must not kill the loop; wait and try again.
        const delay = backoffDelay(this.state.failures++, this.random);
        this.opts.log.error('shipper step failed; retrying', { error: err, retryInMs: delay });
        await this.opts.clock.sleep(delay, this.stopController.signal);
      }
    }
  }

  private async step(): Promise<void> {
    const now = this.opts.clock.now();
    if (this.needRegister || now >= this.nextRegisterAt) {
      const wait = await this.register();
      if (wait !== null) {
        await this.opts.clock.sleep(wait, this.stopController.signal);
        return;
      }
    }
    this.woken = false;
    const events = this.opts.events;
    if (events && now >= this.eventsRetryAt) {
      const ev = await events.peek();
      if (ev) {
        await this.shipEvents(events, ev);
        return;
      }
    }
    const rec = await this.opts.spool.peek();
    if (!rec) {
      await this.waitForWork();
      return;
    }
    const decision = await this.send(rec);
    if (decision.kind === 'retry') {
      await this.opts.spool.release(rec.seq);
      if (!this.stopping) await this.opts.clock.sleep(decision.delayMs, this.stopController.signal);
      return;
    }
    if (decision.kind === 'reject') {
      await this.opts.spool.ack(rec.seq, { kind: 'rejected', items: decision.items, wholeBatch: decision.wholeBatch });
      this.state.lastError = `rejected: ${decision.detail}`;
      if (this.throttle.check('reject', this.opts.clock.now()) !== null) {
        this.opts.log.warn('server rejected items of a batch; they will not be retried', { seq: rec.seq, items: decision.items, wholeBatch: decision.wholeBatch, status: decision.detail });
      }
      this.recovered();
      return;
    }
    await this.opts.spool.ack(rec.seq, { kind: 'delivered' });
    this.state.delivered++;
    // The batch just delivered carried the error to the server; from now on all is well.
    this.state.lastError = null;
    this.recovered();
  }

  /**
   * Sends one security batch. Failures back this lane off on its own (`eventsRetryAt`), and the
   * loop meanwhile sends metrics; a 404/405 (a server from before issue 6) keeps the events
   * buffered and asks again after {@link EVENTS_ENDPOINT_MISSING_RETRY_MS}.
   */
  private async shipEvents(spool: Spool, rec: SpoolRecordData): Promise<void> {
    let body = rec.body;
    const headers: Record<string, string> = { 'idempotency-key': `ev-${spool.streamId}-${rec.seq}` };
    if (body.length > GZIP_THRESHOLD_BYTES) {
      body = await gzipAsync(body);
      headers['content-encoding'] = 'gzip';
    }
    const answer = await this.post('/api/v1/events', body, headers);
    const now = this.opts.clock.now();
    if (this.stopping && answer instanceof Error) {
      await spool.release(rec.seq);
      return;
    }
    if (!(answer instanceof Error) && (answer.status === 404 || answer.status === 405)) {
      await spool.release(rec.seq);
      this.eventsRetryAt = now + EVENTS_ENDPOINT_MISSING_RETRY_MS;
      this.eventsError = `events: HTTP ${answer.status} (server without POST /api/v1/events)`;
      if (this.throttle.check('events-missing', now) !== null) {
        this.opts.log.warn('server does not accept security events (older Vigil?); they stay buffered and are offered again later', { status: answer.status, retryInMs: EVENTS_ENDPOINT_MISSING_RETRY_MS, pendingEventBatches: spool.stats().pendingBatches });
      }
      return;
    }
    const d = decide(answer, rec.items, this.eventsFailures, now, this.random);
    if (d.kind === 'retry') {
      await spool.release(rec.seq);
      this.eventsFailures++;
      this.eventsRetryAt = now + d.delayMs;
      if (answer instanceof Error) this.needRegister = true;
      this.eventsError = `events ${d.health}: ${d.detail}`;
      if (this.throttle.check(`events-${d.health}`, now) !== null) {
        this.opts.log.warn('security events could not be delivered; they stay buffered and will be retried', { problem: d.detail, retryInMs: d.delayMs, pendingEventBatches: spool.stats().pendingBatches });
      }
      return;
    }
    this.eventsFailures = 0;
    this.eventsRetryAt = 0;
    this.eventsError = null;
    this.throttle.reset('events-missing');
    if (d.kind === 'reject') {
      await spool.ack(rec.seq, { kind: 'rejected', items: d.items, wholeBatch: d.wholeBatch });
      this.eventsError = `events rejected: ${d.detail}`;
      if (this.throttle.check('events-reject', now) !== null) this.opts.log.warn('server rejected security events; they will not be retried', { seq: rec.seq, items: d.items, wholeBatch: d.wholeBatch, status: d.detail });
      return;
    }
    await spool.ack(rec.seq, { kind: 'delivered' });
    this.state.deliveredEvents++;
  }

  /** Returns null when ingest may proceed, else the ms to wait before the next attempt. */
  private async register(): Promise<number | null> {
    const body = Buffer.from(JSON.stringify(this.opts.hello()));
    const answer = await this.post('/api/v1/agents/register', body, {});
    if (this.stopping) return 0;
    const d = decide(answer, 0, this.state.failures, this.opts.clock.now(), this.random);
    if (d.kind === 'retry') return this.onRetry(d, answer instanceof Error);
    this.needRegister = false;
    this.nextRegisterAt = this.opts.clock.now() + REGISTER_INTERVAL_MS;
    if (d.kind === 'ack') {
      this.state.registered = true;
      const reply = parseJson((answer as Answer).body) as { agentId?: unknown; name?: unknown } | null;
      // Backoff is reset by a delivered batch only: a server that registers agents but cannot
      // store batches (503) must still see the agent slow down.
      this.opts.log.info('registered with the server', { agentId: reply?.agentId ?? null, name: reply?.name ?? null });
    } else {
      // An old or strict server refused the facts; metrics can still flow, try again later.
      this.opts.log.warn('registration was refused; sending batches anyway', { status: d.detail });
    }
    return null;
  }

  private async send(rec: SpoolRecordData): Promise<Decision> {
    const stats = JSON.stringify(this.agentStats());
    // The spooled body is `{"series":…}`; protocol and fresh health counters are spliced in front.
    let body = Buffer.concat([Buffer.from(`{"protocol":${PROTOCOL_VERSION},"agentStats":${stats},`), rec.body.subarray(1)]);
    const headers: Record<string, string> = { 'idempotency-key': `${this.opts.spool.streamId}-${rec.seq}` };
    if (body.length > GZIP_THRESHOLD_BYTES) {
      body = await gzipAsync(body);
      headers['content-encoding'] = 'gzip';
    }
    const answer = await this.post('/api/v1/ingest', body, headers);
    // Cut short by shutdown: not a server problem, the batch simply stays spooled.
    if (this.stopping && answer instanceof Error) return { kind: 'retry', delayMs: 0, health: 'unavailable', detail: 'aborted by shutdown' };
    const d = decide(answer, rec.items, this.state.failures, this.opts.clock.now(), this.random);
    if (d.kind === 'retry') d.delayMs = this.onRetry(d, answer instanceof Error);
    return d;
  }

  private async post(path: string, body: Buffer, extra: Record<string, string>): Promise<Answer | Error> {
    try {
      return await this.opts.http.post(path, body, {
        headers: { 'content-type': 'application/json', authorization: `Bearer ${this.opts.key}`, 'user-agent': this.opts.userAgent, ...extra },
        timeoutMs: REQUEST_TIMEOUT_MS,
        maxResponseBytes: 64 * 1024,
        signal: this.requestController.signal,
      });
    } catch (err) {
      return err as Error;
    }
  }

  /**
   * Records a failed attempt and returns the wait; logs the first failure, then every 10 min.
   * After a network failure the next successful contact is a reconnect, so register first.
   */
  private onRetry(d: Extract<Decision, { kind: 'retry' }>, network: boolean): number {
    this.state.failures++;
    if (network) this.needRegister = true;
    const now = this.opts.clock.now();
    this.failingSince ??= now;
    this.state.lastError = `${d.health}: ${d.detail}`;
    const skipped = this.throttle.check(d.health, now);
    if (skipped !== null) {
      const fields = { problem: d.detail, retryInMs: d.delayMs, pendingBatches: this.opts.spool.stats().pendingBatches, similarSinceLastLog: skipped };
      if (d.health === 'auth') this.opts.log.error('server refused the agent key (auth); batches stay buffered - check --key', fields);
      else if (d.health === 'rate_limited') this.opts.log.warn('server asked the agent to slow down', fields);
      else this.opts.log.warn('server unavailable; batches stay buffered and will be retried', fields);
    }
    return d.delayMs;
  }

  private recovered(): void {
    if (this.failingSince !== null) {
      this.opts.log.info('server reachable again', { afterMs: this.opts.clock.now() - this.failingSince, pendingBatches: this.opts.spool.stats().pendingBatches });
      for (const h of ['auth', 'unavailable', 'rate_limited', 'unexpected']) this.throttle.reset(h);
    }
    this.failingSince = null;
    this.state.failures = 0;
  }

  private async waitForWork(): Promise<void> {
    // `stop` aborts the stop signal and then wakes, so this one signal also ends the wait at
    // shutdown (no AbortSignal.any: it costs a composite signal and weak references per tick).
    if (this.woken || this.stopping) return;
    const wake = new AbortController();
    this.wakeController = wake;
    // Wake for the security lane's retry too, when it has batches waiting.
    const eventsDue = (this.opts.events?.stats().pendingBatches ?? 0) > 0 ? this.eventsRetryAt : Infinity;
    await this.opts.clock.sleep(Math.max(0, Math.min(this.nextRegisterAt, eventsDue) - this.opts.clock.now()), wake.signal);
    this.wakeController = null;
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
