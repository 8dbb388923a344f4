import type { AgentService } from '../agents/agent-service.js';
import type { IncidentServices } from '../incident-services.js';
import type { ApiKeyService } from '../auth/api-key-service.js';
import type { AuditLog } from '../auth/audit-log.js';
import type { LoginThrottle } from '../auth/login-throttle.js';
import type { OidcLogin } from '../auth/oidc/oidc-login.js';
import type { TotpService } from '../auth/totp-service.js';
import type { RateLimiter } from '../ratelimit/rate-limiter.js';
import type { SessionService } from '../auth/session-service.js';
import type { UserService } from '../auth/user-service.js';
import type { SingletonRunner } from '../cluster/singleton-runner.js';
import type { Clock } from '../core/clock.js';
import type { IngestService } from '../ingest/ingest-service.js';
import type { EventBus } from '../live/event-bus.js';
import type { LiveHub } from '../live/live-hub.js';
import type { MetricsRegistry } from '../observability/metrics-registry.js';
import type { OutboundHttp } from '../outbound/outbound-http.js';
import type { PredictionService } from '../prediction/prediction-service.js';
import type { QueryService } from '../query/query-service.js';
import type { SecretBox } from '../secrets/secret-box.js';
import type { SecurityServices } from '../security-services.js';
import type { Storage } from '../storage/storage.js';
import type { StorageUsageService } from '../tsdb/usage/storage-usage-service.js';

/** Everything `buildApp` wires into routes. Built by `main.ts` (or by tests). */
export interface AppDeps {
  clock: Clock;
  storage: Storage;
  users: UserService;
  sessions: SessionService;
  keys: ApiKeyService;
  audit: AuditLog;
  agents: AgentService;
  ingest: IngestService;
  query: QueryService;
  /** Forecasts and anomaly bands (model fits run on a worker thread). */
  predictions: PredictionService;
  hub: LiveHub;
  metrics: MetricsRegistry;
  /** Encrypts secrets at rest (channel credentials, tokens). */
  secrets: SecretBox;
  /** The SSRF-guarded HTTP client every outbound call goes through. */
  outbound: OutboundHttp;
  /** Runs periodic singleton jobs on the leading replica. */
  runner: SingletonRunner;
  /** The live event bus (in-process, or Redis with several replicas). */
  bus: EventBus;
  /** Request rate limiter (null when disabled with `--rate-limit=false`). */
  rateLimit: RateLimiter | null;
  /** Failed-login budget per account / trusted device. */
  loginThrottle: LoginThrottle;
  /** TOTP second factor. */
  totp: TotpService;
  /** OpenID Connect login, or null when no provider is configured. */
  oidc: OidcLogin | null;
  /** Security switches. */
  security: {
    /** Admins without TOTP may only enrol one (default false). */
    require2faForAdmins: boolean;
  };
  /** Alert rules, alerts, silences, channels, routing, inbox and preferences. */
  incidents: IncidentServices;
  /** The SOC side: security events, suppressions, detections (issue 6). */
  soc: SecurityServices;
  /** Disk use, retention and forecast of the sample store (settings page). */
  storageUsage: StorageUsageService;
  /** HTTP-level settings. */
  http: {
    bodyMaxBytes: number;
    ingestBodyMaxBytes: number;
    /** Origin the dashboard is served from, for the CSRF Origin check (null: derive from Host). */
    publicOrigin: string | null;
    /** True when served over TLS, natively or behind an HTTPS proxy (adds Secure/__Host- cookie and HSTS). */
    tls: boolean;
    /** Certificate and key when Vigil terminates TLS itself (null: plain HTTP listener). */
    tlsFiles: { cert: Buffer; key: Buffer } | null;
    /** Proxies whose X-Forwarded-For is trusted (IPs/CIDRs); empty: use the socket address. */
    trustProxy: string[];
    /** Directory of the built dashboard, or null to serve no UI. */
    webDir: string | null;
    logLevel: 'debug' | 'info' | 'warn' | 'error' | 'silent';
    sessionAbsoluteTimeoutMs: number;
  };
  /** Readiness beyond storage ping (e.g. shutting down). */
  isShuttingDown(): boolean;
}
