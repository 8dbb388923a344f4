import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { AgentHello, ProcessInfo, SeriesItem } from '../protocol/ingest.js';
import type { SecurityEventInput } from '../protocol/security.js';
import type { Logger } from '../options/command.js';
import type { AgentConfig } from './agent-options.js';
import { systemClock, type Clock } from './clock.js';
import { collectDeadlineMs } from './collect-deadline.js';
import type { Collector, CollectorContext, CollectResult } from './collector.js';
import { CollectorConfigError, CollectorRegistry } from './collector-registry.js';
import { agentSelfCollectorFactory } from './collectors/agent-self/agent-self-collector.js';
import { builtinCollectorFactories } from './collectors/builtin-collectors.js';
import { securityCollectorFactories } from './collectors/security/security-collectors.js';
import { DataDirLockedError, lockDataDir } from './data-dir-lock.js';
import { execCollectorFactory } from './exec/exec-collector.js';
import { agentVersion, detectPageSize, hostFacts } from './host-facts.js';
import { LogThrottle } from './log-throttle.js';
import { loadPlugin, PluginLoadError } from './plugin/load-plugin.js';
import { sanitizeEvents } from './sanitize-events.js';
import { sanitizeProcesses } from './sanitize-processes.js';
import { sanitizeSeries } from './sanitize-series.js';
import { scopedLogger } from './scoped-logger.js';
import { HttpPoster } from './shipper/http-post.js';
import { Shipper } from './shipper/shipper.js';
import { Spool } from './spool/spool.js';

/** Series per spooled batch; bigger collections are split so no request nears the body limit. */
export const SERIES_PER_BATCH = 5_000;
/** Security events per spooled batch (≤ 200 × 8 KiB metadata keeps a request well under the body limit). */
export const EVENTS_PER_BATCH = 200;
/** How long shutdown waits for a request in flight, in ms. */
export const SHUTDOWN_GRACE_MS = 5_000;

/** Abort reason of a tick's deadline timer; made once (a bare `abort()` builds a DOMException per tick). */
const TICK_DONE = new Error('tick done');

/** A configuration or environment problem found at start (exit code 2). */
export class AgentBootError extends Error {
  override name = 'AgentBootError';
}

/** What the agent needs besides its configuration. */
export interface AgentDeps {
  /** Logger; the agent adds the key to its redaction list. */
  log: Logger;
  clock?: Clock;
  /** Operating system (tests pretend to be another one); default `process.platform`. */
  platform?: NodeJS.Platform;
  /** Base for relative paths (data dir, plugins); default `process.cwd()`. */
  cwd?: string;
  /** Randomness for backoff jitter; default `Math.random`. */
  random?: () => number;
}

interface RunningCollector {
  name: string;
  collector: Collector;
  busy: boolean;
}

/**
 * The host agent: collectors feed the spool once per interval, the shipper drains the spool to
 * the server. Collection never waits on the network; the network never loses what was collected.
 */
export class Agent {
  private readonly throttle = new LogThrottle();
  private running: RunningCollector[] = [];
  private hello: AgentHello | null = null;
  private stopping: Promise<void> | null = null;
  /** Serialises spooling of events emitted between ticks (and lets shutdown wait for it). */
  private emitChain: Promise<void> = Promise.resolve();
  /** Set right after construction: the shipper needs the agent's facts for registration. */
  private shipper!: Shipper;

  private constructor(
    private readonly config: AgentConfig,
    private readonly log: Logger,
    private readonly clock: Clock,
    private readonly spool: Spool,
    /** The security lane: its own spool, sharing the `--spool-max-bytes` budget with priority. */
    private readonly eventSpool: Spool,
    private readonly http: HttpPoster,
    private readonly unlock: () => Promise<void>,
  ) {}

  /**
   * Boots the agent: takes the data-dir lock, opens the spool, loads plugins, starts the
   * collectors and the shipper. Nothing is collected until `run` or `tick`.
   * @throws AgentBootError for configuration mistakes (unknown collector, bad plugin, busy data dir…).
   */
  static async start(config: AgentConfig, deps: AgentDeps): Promise<Agent> {
    const log = scopedLogger(deps.log, {}, [config.key]);
    const clock = deps.clock ?? systemClock;
    const cwd = deps.cwd ?? process.cwd();
    const dataDir = resolve(cwd, config.dataDir);
    let unlock: (() => Promise<void>) | null = null;
    try {
      await mkdir(dataDir, { recursive: true });
      unlock = await lockDataDir(dataDir);
      // Both lanes share one disk budget; metrics give way first (DESIGN.md §4: drop policy).
      // Security events are rare and the priority lane: each is synced at once, not after the delay.
      const eventSpool = await Spool.open({ dir: join(dataDir, 'spool-security'), maxBytes: config.spoolMaxBytes, maxAgeMs: config.spoolMaxAgeMs, fsync: config.spoolFsync, syncDelayMs: 0, log: scopedLogger(log, { component: 'spool', lane: 'security' }) });
      const spool = await Spool.open({
        dir: join(dataDir, 'spool'),
        maxBytes: config.spoolMaxBytes,
        maxAgeMs: config.spoolMaxAgeMs,
        fsync: config.spoolFsync,
        syncDelayMs: config.spoolSyncDelayMs,
        reservedBytes: () => eventSpool.stats().diskBytes,
        log: scopedLogger(log, { component: 'spool' }),
      });
      const http = new HttpPoster(new URL(config.server));
      const agent = new Agent(config, log, clock, spool, eventSpool, http, unlock);
      agent.shipper = new Shipper({
        http,
        key: config.key,
        spool,
        events: eventSpool,
        clock,
        log: scopedLogger(log, { component: 'shipper' }),
        hello: () => agent.facts(),
        random: deps.random,
        userAgent: `vigil-agent/${agentVersion()}`,
      });
      await agent.startCollectors(deps.platform ?? process.platform, cwd, dataDir);
      log.info('agent started', {
        server: config.server,
        intervalMs: config.intervalMs,
        dataDir,
        collectors: agent.hello?.capabilities,
        unavailable: agent.hello?.unavailable,
        pendingBatches: spool.stats().pendingBatches,
        pendingEventBatches: eventSpool.stats().pendingBatches,
      });
      agent.shipper.start();
      return agent;
    } catch (err) {
      await unlock?.();
      if (err instanceof CollectorConfigError || err instanceof PluginLoadError || err instanceof DataDirLockedError) throw new AgentBootError(err.message);
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EACCES' || code === 'EROFS' || code === 'ENOTDIR' || code === 'EEXIST' || code === 'EPERM') throw new AgentBootError(`data dir ${dataDir} is not usable: ${(err as Error).message}`);
      throw err;
    }
  }

  /** The facts sent at registration (collectors running and unavailable included). */
  facts(): AgentHello {
    return this.hello as AgentHello;
  }

  /**
   * Collects until `signal` aborts: one tick at once, then on every multiple of the interval
   * (aligned to the wall clock, so hosts sample at the same instants). Then shuts down.
   */
  async run(signal: AbortSignal): Promise<void> {
    let next = this.clock.now();
    while (!signal.aborted) {
      const wait = next - this.clock.now();
      if (wait > 0) await this.clock.sleep(wait, signal);
      if (signal.aborted) break;
      const now = this.clock.now();
      try {
        await this.tick(now);
      } catch (err) {
        // Collectors and the spool handle their own failures; this is a last line of defence so
        // one bad tick never ends collection.
        this.log.error('tick failed', { error: err });
      }
      next = (Math.floor(now / this.config.intervalMs) + 1) * this.config.intervalMs;
    }
    await this.stop();
  }

  /** Runs every collector once for the instant `now` and spools the batch. */
  async tick(now: number): Promise<void> {
    const deadline = new AbortController();
    const late = this.clock.sleep(collectDeadlineMs(this.config.intervalMs), deadline.signal).then(() => 'late' as const);
    const results = await Promise.all(this.running.map((r) => this.collectOne(r, now, late)));
    deadline.abort(TICK_DONE);
    const series: SeriesItem[] = [];
    let processes: ProcessInfo[] | null = null;
    const events: SecurityEventInput[] = [];
    results.forEach((res, i) => {
      if (!res) return;
      const name = (this.running[i] as RunningCollector).name;
      const clean = sanitizeSeries(res.series);
      if (clean.droppedItems + clean.droppedPoints > 0) this.warn(`invalid:${name}`, now, 'collector returned invalid series; they were dropped', { collector: name, droppedItems: clean.droppedItems, droppedPoints: clean.droppedPoints, reasons: clean.reasons });
      for (const s of clean.series) series.push(s);
      if (res.processes !== undefined) processes = sanitizeProcesses(res.processes);
      for (const e of this.checkEvents(name, res.events, now)) events.push(e);
    });
    // Events first: they are the priority lane, and the shipper is woken for them at once.
    await this.spoolEvents(events, now);
    await this.spoolBatches(series, processes, now);
  }

  private checkEvents(collector: string, raw: unknown, now: number): SecurityEventInput[] {
    const clean = sanitizeEvents(raw);
    if (clean.dropped > 0) this.warn(`invalid-events:${collector}`, now, 'collector returned invalid security events; they were dropped', { collector, dropped: clean.dropped, reasons: clean.reasons });
    return clean.events;
  }

  /** Spools security events in the priority lane (in batches of {@link EVENTS_PER_BATCH}). */
  private async spoolEvents(events: SecurityEventInput[], now: number): Promise<void> {
    for (let i = 0; i < events.length; i += EVENTS_PER_BATCH) {
      const chunk = events.slice(i, i + EVENTS_PER_BATCH);
      try {
        await this.eventSpool.append({ body: Buffer.from(JSON.stringify({ events: chunk })), samples: chunk.length, items: chunk.length }, now);
      } catch (err) {
        this.log.error('cannot spool security events', { error: err, events: chunk.length });
      }
      this.shipper.wake();
    }
  }

  /** Events a collector hands over between ticks (`ctx.emitEvents`, e.g. from fs.watch). */
  private emitted(collector: string, events: SecurityEventInput[]): void {
    const now = this.clock.now();
    const clean = this.checkEvents(collector, events, now);
    if (clean.length === 0) return;
    this.emitChain = this.emitChain.then(() => this.spoolEvents(clean, now)).catch((err: unknown) => this.log.error('cannot spool security events', { error: err }));
  }

  private async spoolBatches(series: SeriesItem[], processes: ProcessInfo[] | null, now: number): Promise<void> {
    for (let i = 0; i === 0 || i < series.length; i += SERIES_PER_BATCH) {
      const chunk = series.slice(i, i + SERIES_PER_BATCH);
      const withProcs = i === 0 && processes !== null && (processes as ProcessInfo[]).length > 0;
      if (chunk.length === 0 && !withProcs) return;
      const batch = withProcs ? { series: chunk, processes: { ts: now, processes } } : { series: chunk };
      let samples = 0;
      for (const s of chunk) samples += s.points.length;
      try {
        await this.spool.append({ body: Buffer.from(JSON.stringify(batch)), samples, items: chunk.length }, now);
      } catch (err) {
        this.log.error('cannot spool the batch', { error: err, samples });
      }
      this.shipper.wake();
    }
  }

  private async collectOne(r: RunningCollector, now: number, late: Promise<'late'>): Promise<CollectResult | null> {
    if (r.busy) {
      this.warn(`busy:${r.name}`, now, 'collector is still busy with an earlier tick; skipped this one', { collector: r.name });
      return null;
    }
    r.busy = true;
    const work = (async () => r.collector.collect(now))().then(
      (v) => ({ ok: true as const, v }),
      (e: unknown) => ({ ok: false as const, e }),
    );
    void work.finally(() => {
      r.busy = false;
    });
    const res = await Promise.race([work, late]);
    if (res === 'late') {
      this.warn(`late:${r.name}`, now, 'collector missed the collection deadline; its result is discarded', { collector: r.name, deadlineMs: collectDeadlineMs(this.config.intervalMs) });
      return null;
    }
    if (!res.ok) {
      this.warn(`error:${r.name}`, now, 'collector failed', { collector: r.name, error: res.e });
      return null;
    }
    this.throttle.reset(`error:${r.name}`);
    return res.v && typeof res.v === 'object' ? res.v : null;
  }

  private warn(key: string, now: number, msg: string, fields: Record<string, unknown>): void {
    const skipped = this.throttle.check(key, now);
    if (skipped !== null) this.log.warn(msg, { ...fields, similarSinceLastLog: skipped });
  }

  private async startCollectors(platform: NodeJS.Platform, cwd: string, dataDir: string): Promise<void> {
    const c = this.config;
    const registry = new CollectorRegistry();
    for (const f of builtinCollectorFactories({ processScanIntervalMs: c.processesIntervalMs })) registry.register(f);
    registry.register(
      agentSelfCollectorFactory(() => {
        const s = this.spool.stats();
        return { spoolBytes: s.pendingBytes, droppedSamples: s.droppedSamples };
      }),
    );
    for (const f of securityCollectorFactories(c.security)) registry.register(f);
    for (const p of c.plugins) registry.register(await loadPlugin(p, cwd));
    for (const e of c.exec) registry.register(execCollectorFactory(e));
    const base: CollectorContext = {
      intervalMs: c.intervalMs,
      procRoot: resolve(cwd, c.procRoot),
      sysRoot: resolve(cwd, c.sysRoot),
      rootFs: resolve(cwd, c.rootFs),
      topProcesses: c.topProcesses,
      log: this.log,
      platform,
      clockTicks: 100,
      pageSize: platform === 'linux' ? detectPageSize() : 4096,
      stateDir: join(dataDir, 'state'),
      emitEvents: () => undefined,
    };
    const selection = registry.select(c.collectors, c.disable, base);
    const unavailable = [...selection.unavailable];
    for (const f of selection.enabled) {
      const ctx: CollectorContext = {
        ...base,
        log: scopedLogger(this.log, { collector: f.name }),
        stateDir: join(base.stateDir, f.name),
        emitEvents: (events) => this.emitted(f.name, events),
      };
      try {
        await mkdir(ctx.stateDir, { recursive: true });
        const collector = f.create(ctx);
        await collector.init(ctx);
        this.running.push({ name: f.name, collector, busy: false });
      } catch (err) {
        this.log.error('collector failed to start; running without it', { collector: f.name, error: err });
        unavailable.push(`${f.name}: failed to start: ${(err as Error).message}`.slice(0, 300));
      }
    }
    this.hello = {
      ...hostFacts({ hostname: c.hostname, procRoot: base.procRoot, rootFs: base.rootFs, intervalMs: c.intervalMs, now: this.clock.now() }),
      capabilities: this.running.map((r) => r.name).slice(0, 200),
      unavailable: unavailable.map((u) => u.slice(0, 300)).slice(0, 200),
    };
  }

  /**
   * Stops the shipper (a request in flight gets {@link SHUTDOWN_GRACE_MS} to finish), closes the
   * collectors and the spool and releases the data dir. Idempotent; `run` calls it on abort.
   */
  stop(): Promise<void> {
    this.stopping ??= this.shutdown();
    return this.stopping;
  }

  private async shutdown(): Promise<void> {
    this.log.info('agent stopping');
    await this.shipper.stop(SHUTDOWN_GRACE_MS);
    for (const r of this.running) {
      try {
        await r.collector.close();
      } catch (err) {
        this.log.warn('collector failed to close', { collector: r.name, error: err });
      }
    }
    await this.emitChain;
    this.http.close();
    const s = this.spool.stats();
    await this.spool.close();
    await this.eventSpool.close();
    await this.unlock();
    this.log.info('agent stopped', { pendingBatches: s.pendingBatches, pendingBytes: s.pendingBytes, delivered: this.shipper.status().delivered });
  }
}
