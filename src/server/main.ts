import { hostname } from 'node:os';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join, resolve } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Logger } from '../options/command.js';
import { AgentService } from './agents/agent-service.js';
import { createIncidentServices } from './incident-services.js';
import pg from 'pg';
import { LocalSingletonRunner, type SingletonRunner } from './cluster/singleton-runner.js';
import { PgSingletonRunner } from './cluster/pg-singleton-runner.js';
import { buildApp, VIGIL_VERSION, type AppDeps } from './app.js';
import { ApiKeyService } from './auth/api-key-service.js';
import { AuditLog } from './auth/audit-log.js';
import { LoginThrottle } from './auth/login-throttle.js';
import { OidcLogin } from './auth/oidc/oidc-login.js';
import { TotpService } from './auth/totp-service.js';
import { PasswordHasher } from './auth/password-hasher.js';
import { SessionService } from './auth/session-service.js';
import { UserService } from './auth/user-service.js';
import type { ServerConfig } from './config/server-config.js';
import { systemClock, type Clock } from './core/clock.js';
import { IngestService } from './ingest/ingest-service.js';
import { LocalEventBus, type EventBus } from './live/event-bus.js';
import { RedisEventBus } from './live/redis-event-bus.js';
import { DEFAULT_HUB_LIMITS, LiveHub } from './live/live-hub.js';
import { agentsTopic } from './live/topics/agents-topic.js';
import { alertsTopic } from './live/topics/alerts-topic.js';
import { notificationsTopic } from './live/topics/notifications-topic.js';
import { builtinChannels } from './notify/channels/index.js';
import { samplesTopic } from './live/topics/samples-topic.js';
import { registerSelfMetrics } from './observability/self-metrics.js';
import { MetricsRegistry } from './observability/metrics-registry.js';
import { QueryService } from './query/query-service.js';
import { FitPool } from './prediction/fit-pool.js';
import { PredictionService } from './prediction/prediction-service.js';
import type { OutboundAllowlist } from './outbound/address-policy.js';
import { DEFAULT_OUTBOUND_POLICY, OutboundHttp } from './outbound/outbound-http.js';
import { OUTBOUND_ALLOWLIST_SETTING } from './outbound/outbound-allowlist.js';
import { SecretBox } from './secrets/secret-box.js';
import { loadSecretKey } from './secrets/secret-key-file.js';
import { startMaintenance } from './maintenance.js';
import { createSecurityServices } from './security-services.js';
import { roleHas } from './auth/policy.js';
import { securityEventsTopic } from './live/topics/security-events-topic.js';
import { openSqliteStorage } from './storage/sqlite/open-sqlite-storage.js';
import { openPgStorage } from './storage/postgres/open-pg-storage.js';
import { redactDatabaseUrl } from './config/database-url.js';
import { MemoryRateLimitStore } from './ratelimit/memory-rate-limit-store.js';
import type { RateLimitStore } from './ratelimit/rate-limit-store.js';
import { RateLimiter } from './ratelimit/rate-limiter.js';
import { RedisRateLimitStore } from './ratelimit/redis-rate-limit-store.js';
import type { Storage } from './storage/storage.js';
import { statfsVolume, StorageUsageService } from './tsdb/usage/storage-usage-service.js';

/** A running server. */
export interface RunningServer {
  app: FastifyInstance;
  storage: Storage;
  /** Base URL, e.g. `http://127.0.0.1:8640`. */
  url: string;
  /** Set when this start created the first admin (printed once by the CLI). */
  bootstrap: { username: string; password: string; generated: boolean } | null;
  /** Services the CLI uses (e.g. to enroll the local agent). */
  services: { agents: AgentService; keys: ApiKeyService; users: UserService; audit: AuditLog };
  /** Graceful shutdown: stop accepting, finish in-flight requests, close storage. */
  close(): Promise<void>;
}

/** Directory of the built dashboard shipped with this installation. */
export function defaultWebDir(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  // src/server (tsx) and dist/server (built) both sit two levels below the package root.
  return join(here, '..', '..', 'web', 'dist');
}

/** Opens the storage backend chosen by the configuration (the only place that picks one). */
export async function openStorage(config: ServerConfig, clock: Clock, log?: Logger): Promise<Storage> {
  if (config.database) {
    log?.info('storage: PostgreSQL', { url: redactDatabaseUrl(config.database.url), schema: config.database.schema ?? '(default)', poolSize: config.database.poolSize });
    return openPgStorage({
      url: config.database.url,
      ...(config.database.schema ? { schema: config.database.schema } : {}),
      poolSize: config.database.poolSize,
      connectTimeoutMs: config.database.connectTimeoutMs,
      statementTimeoutMs: config.database.statementTimeoutMs,
      onIdleError: (err) => log?.warn('PostgreSQL connection lost', { err: err.message }),
      retentionMs: config.retentionMs,
      retention1mMs: config.retention1mMs,
      retention1hMs: config.retention1hMs,
      ...(log ? { tsdb: { log } } : {}),
      clock,
    });
  }
  return openSqliteStorage({
    dataDir: resolve(config.dataDir),
    durability: config.durability,
    metricsDurability: config.metricsDurability,
    retentionMs: config.retentionMs,
    retention1mMs: config.retention1mMs,
    retention1hMs: config.retention1hMs,
    ...(log ? { tsdb: { log } } : {}),
    clock,
  });
}

/** Settings key of the admin allowlist of internal outbound targets (re-exported for existing callers). */
export { OUTBOUND_ALLOWLIST_SETTING };

/** Services built from storage and config, shared by {@link startServer} and the test harness. */
export interface Services {
  deps: Omit<AppDeps, 'http' | 'isShuttingDown'>;
  bus: EventBus;
  hub: LiveHub;
  /** Counters of the rate limiter and login throttle (closed on shutdown). */
  rateLimitStore: RateLimitStore;
  /** The model-fitting worker (stopped on shutdown). */
  fitPool: FitPool;
  bootstrap: { username: string; password: string; generated: boolean } | null;
}

/** Roles whose users may read incidents (they get security notices in the notification center). */
const READ_INCIDENT_ROLES = (['admin', 'operator', 'viewer', 'guest'] as const).filter((r) => roleHas(r, 'read:incidents'));

/** Builds every service over an open storage (the one place that wires modules together). */
export async function createServices(storage: Storage, config: ServerConfig, log: Logger, clock: Clock): Promise<Services> {
  const metrics = new MetricsRegistry();
  const bus = createEventBus(config, log, metrics);
  const hasher = new PasswordHasher({ logN: config.scryptLogN });
  const users = new UserService(storage.users, hasher, clock);
  const sessions = new SessionService(storage.sessions, storage.users, clock, { idleTimeoutMs: config.sessionIdleTimeoutMs, absoluteTimeoutMs: config.sessionAbsoluteTimeoutMs });
  // Revoked/expired key use is API key misuse; `soc` exists before the first request arrives.
  const keys = new ApiKeyService(storage.apiKeys, clock, (rec, reason) => soc.platform.keyMisuse({ keyId: rec.id, actor: rec.kind === 'agent' ? `agent-key:${rec.name}` : `user-token:${rec.name}`, reason: `${reason} key presented` }));
  const audit = new AuditLog(storage.audit, clock, bus);
  const agents = new AgentService(storage.agents, storage.series, storage.samples, keys, bus, clock);
  const ingest = new IngestService({ series: storage.series, samples: storage.samples, agents: storage.agents, idempotency: storage.idempotency, bus, clock }, {
    maxSampleAgeMs: config.retentionMs,
    maxSeriesPerAgent: config.maxSeriesPerAgent,
  });
  const query = new QueryService(storage.series, storage.samples, clock, { maxRangeMs: config.queryMaxRangeMs, maxSeries: config.queryMaxSeries, maxPoints: 11_000 });
  const fitPool = new FitPool();
  const predictions = new PredictionService(query, storage.series, fitPool, clock);
  const hub = new LiveHub(bus, [samplesTopic, agentsTopic(agents, clock), alertsTopic, notificationsTopic, securityEventsTopic], { ...DEFAULT_HUB_LIMITS, maxClients: config.liveMaxClients }, (err) => log.warn('live hub error', { err: String(err) }));
  registerSelfMetrics(metrics, { storage, ingest, hub, version: VIGIL_VERSION });
  metrics.counterFn('vigil_forecast_jobs_total', 'Model fits run by the forecast/anomaly API.', () => fitPool.counters.jobs);
  metrics.counterFn('vigil_forecast_busy_total', 'Forecast/anomaly requests answered 429 because the fit queue was full.', () => fitPool.counters.rejectedBusy);
  const secrets = new SecretBox(loadSecretKey(config.secretKey, resolve(config.dataDir)));
  const outbound = new OutboundHttp(async () => ({ ...DEFAULT_OUTBOUND_POLICY, allowlist: (await storage.settings.get<OutboundAllowlist>(OUTBOUND_ALLOWLIST_SETTING)) ?? DEFAULT_OUTBOUND_POLICY.allowlist }));
  const bootstrap = await users.bootstrapAdmin(config.adminUser, config.adminPassword);
  if (bootstrap) await audit.record({ actor: 'system', action: 'user.bootstrap_admin', target: `user:${bootstrap.username}`, outcome: 'success' });
  const runner = await createSingletonRunner(config, log);
  metrics.gauge('vigil_cluster_leader', 'Whether this replica runs the singleton jobs (alert evaluation, notifications, maintenance): 1 or 0.', () => (runner.isLeader('alerting') ? 1 : 0));
  const allowlist = async () => (await storage.settings.get<OutboundAllowlist>(OUTBOUND_ALLOWLIST_SETTING)) ?? DEFAULT_OUTBOUND_POLICY.allowlist;
  const incidents = await createIncidentServices({
    storage,
    bus,
    clock,
    audit,
    runner,
    secrets,
    outbound,
    metrics,
    log,
    channelTypes: builtinChannels(),
    allowlist,
    options: { tickMs: config.alertingTickMs, externalUrl: config.publicUrl ?? `http://${config.host}:${config.port}` },
  });
  const soc = await createSecurityServices({
    storage,
    bus,
    clock,
    audit,
    runner,
    metrics,
    log,
    retentionMs: config.securityRetentionMs,
    alerts: incidents.engine.system,
    hostname: hostname(),
    // Everyone who may read incidents sees high/critical security events in the notification center.
    notices: async (n) => void (await incidents.inbox.deliver([], READ_INCIDENT_ROLES, { alertId: null, notificationId: n.dedupKey, severity: n.severity, kind: 'firing', title: n.title, body: n.body })),
  });
  const rateLimitStore = createRateLimitStore(config, log, metrics);
  const rl = config.rateLimit;
  const rateLimit = rl.enabled
    ? new RateLimiter(rateLimitStore, clock, {
        policies: {
          api: { limit: rl.api, windowMs: rl.windowMs },
          ui: { limit: rl.ui, windowMs: rl.windowMs },
          ingest: { limit: rl.ingest, windowMs: rl.windowMs },
          login: { limit: rl.login, windowMs: rl.windowMs },
          public: { limit: rl.public, windowMs: rl.windowMs },
        },
      })
    : null;
  const loginThrottle = new LoginThrottle(rateLimitStore, clock, { maxFailures: rl.loginMaxFailures, windowMs: rl.loginFailureWindowMs }, secrets.deriveKey('device-cookie'));
  const totp = new TotpService(storage.users, secrets, clock);
  const oidc = config.oidc ? new OidcLogin(config.oidc, outbound, users, secrets, clock) : null;
  const storageUsage = new StorageUsageService({ samples: storage.samples, backend: storage.backend, clock, volume: storage.backend === 'sqlite' ? statfsVolume(resolve(config.dataDir)) : null });
  return {
    deps: { clock, storage, users, sessions, keys, audit, agents, ingest, query, predictions, hub, metrics, secrets, outbound, bus, runner, rateLimit, loginThrottle, totp, oidc, security: { require2faForAdmins: config.require2faForAdmins }, incidents, storageUsage, soc },
    bus,
    hub,
    rateLimitStore,
    fitPool,
    bootstrap,
  };
}

/**
 * Who runs singleton jobs: with PostgreSQL, the replica holding the lease (docs/adr/0004); with
 * SQLite the one process. The lease has its own two-connection pool so renewals never wait
 * behind ingest or long queries on the storage pool.
 */
async function createSingletonRunner(config: ServerConfig, log: Logger): Promise<SingletonRunner> {
  if (!config.database) return new LocalSingletonRunner();
  const timeoutMs = Math.max(1000, Math.floor(config.leaderLeaseMs / 3));
  const settings = [`-c statement_timeout=${timeoutMs}`, ...(config.database.schema ? [`-c search_path=${config.database.schema}`] : [])];
  const pool = new pg.Pool({ connectionString: config.database.url, max: 2, connectionTimeoutMillis: timeoutMs, query_timeout: timeoutMs, options: settings.join(' '), application_name: 'vigil-leader' });
  pool.on('error', () => {});
  let lastLog = 0;
  const runner = new PgSingletonRunner({
    pool,
    closePool: true,
    ttlMs: config.leaderLeaseMs,
    renewMs: Math.floor(config.leaderLeaseMs / 3),
    onError: (err) => {
      if (Date.now() - lastLog > 10_000) {
        lastLog = Date.now();
        log.warn('leader lease: PostgreSQL unreachable', { err: String(err) });
      }
    },
    onChange: (leader, fencingToken) => log.info(leader ? 'this replica now runs the singleton jobs' : 'this replica no longer runs the singleton jobs', { fencingToken }),
  });
  await runner.start();
  return runner;
}

/** The live event bus: through Redis pub/sub when `--redis-url` is set (replicas see each other's events), else in-process. */
function createEventBus(config: ServerConfig, log: Logger, metrics: MetricsRegistry): EventBus {
  const onHandlerError = (err: unknown) => log.error('live bus handler failed', { err: String(err) });
  if (!config.redisUrl) return new LocalEventBus(onHandlerError);
  let lastLog = 0;
  const bus = new RedisEventBus({
    url: config.redisUrl,
    channel: `${config.redisPrefix}live`,
    onHandlerError,
    onConnectionError: (err) => {
      // One line per 10 s at most: a Redis outage must not flood the log.
      if (Date.now() - lastLog > 10_000) {
        lastLog = Date.now();
        log.warn('live event bus: Redis unavailable; events stay on this replica until it returns', { err: String(err) });
      }
    },
  });
  const c = bus.counters;
  metrics.counterFn('vigil_live_bus_published_total', 'Live events this replica published to Redis.', () => c.published);
  metrics.counterFn('vigil_live_bus_received_total', 'Live events received from other replicas through Redis.', () => c.received);
  metrics.counterFn('vigil_live_bus_malformed_total', 'Messages on the Redis live channel that were not valid events (ignored).', () => c.malformed);
  metrics.counterFn('vigil_live_bus_oversized_total', 'Live events larger than the message limit (kept on this replica or ignored).', () => c.oversized);
  metrics.counterFn('vigil_live_bus_dropped_total', 'Live events dropped because the buffer was full while Redis was unreachable.', () => c.dropped + c.publishErrors);
  return bus;
}

/** Rate-limit counters: in Redis when `--redis-url` is set (shared by replicas), else in memory. */
function createRateLimitStore(config: ServerConfig, log: Logger, metrics: MetricsRegistry): RateLimitStore {
  if (!config.redisUrl) return new MemoryRateLimitStore();
  let errors = 0;
  let lastLog = 0;
  const store = new RedisRateLimitStore({
    url: config.redisUrl,
    prefix: `${config.redisPrefix}rl:`,
    onError: (err) => {
      errors++;
      // One line per 10 s at most: a Redis outage must not flood the log.
      if (Date.now() - lastLog > 10_000) {
        lastLog = Date.now();
        log.warn('rate-limit store unavailable; counting in memory', { err: String(err), errors });
      }
    },
  });
  metrics.counterFn('vigil_rate_limit_store_errors_total', 'Rate-limit counter operations answered by the in-memory fallback because Redis failed.', () => store.fallbacks);
  return store;
}

/** HTTP settings derived from the config. */
export function httpSettings(config: ServerConfig): AppDeps['http'] {
  if ((config.tlsCert === null) !== (config.tlsKey === null)) throw new Error('--tls-cert and --tls-key must be given together');
  const tlsFiles = config.tlsCert && config.tlsKey ? { cert: readFileSync(config.tlsCert), key: readFileSync(config.tlsKey) } : null;
  return {
    bodyMaxBytes: config.bodyMaxBytes,
    ingestBodyMaxBytes: config.ingestBodyMaxBytes,
    publicOrigin: config.publicUrl ? new URL(config.publicUrl).origin : null,
    // Behind an HTTPS reverse proxy the browser still sees TLS: cookies get Secure/__Host-.
    tls: tlsFiles !== null || (config.publicUrl?.startsWith('https:') ?? false),
    tlsFiles,
    trustProxy: config.trustProxy,
    webDir: config.webDir ?? defaultWebDir(),
    logLevel: config.logLevel === 'info' ? 'warn' : config.logLevel,
    sessionAbsoluteTimeoutMs: config.sessionAbsoluteTimeoutMs,
  };
}

/** Composition root: opens storage, builds services, the HTTP app and background jobs, then listens. */
export async function startServer(config: ServerConfig, log: Logger, clock: Clock = systemClock): Promise<RunningServer> {
  const storage = await openStorage(config, clock, log);
  const { deps, bus, hub, bootstrap, rateLimitStore, fitPool } = await createServices(storage, config, log, clock);
  let shuttingDown = false;
  const app = await buildApp({ ...deps, http: httpSettings(config), isShuttingDown: () => shuttingDown });
  const address = await app.listen({ host: config.host, port: config.port });
  if (!config.publicUrl) deps.incidents.links.externalUrl = address.replace('[::1]', 'localhost');
  const maintenance = startMaintenance({ storage, sessions: deps.sessions, clock, log, runner: deps.runner });
  return {
    app,
    storage,
    url: address.replace('[::1]', 'localhost'),
    bootstrap,
    services: { agents: deps.agents, keys: deps.keys, users: deps.users, audit: deps.audit },
    async close() {
      shuttingDown = true;
      hub.close();
      await app.close();
      await maintenance.stop();
      await deps.soc.stop();
      await deps.incidents.stop();
      await deps.runner.close();
      await bus.close();
      await rateLimitStore.close();
      await fitPool.close();
      await storage.close();
    },
  };
}
