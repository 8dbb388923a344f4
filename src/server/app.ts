import Fastify, { type FastifyInstance } from 'fastify';
import cookie from '@fastify/cookie';
import websocket from '@fastify/websocket';
import type { AppDeps } from './http/app-deps.js';
import './http/fastify-types.js';
import { requireAccessDeclarations, installAuthentication } from './http/plugins/authenticate.js';
import { installErrorHandler } from './http/plugins/error-handler.js';
import { installJsonBodyParser } from './http/plugins/json-body.js';
import { DOCS_PREFIX, installOpenApi } from './http/plugins/openapi.js';
import { installSecurityHeaders } from './http/plugins/security-headers.js';
import { installWebStatic } from './http/plugins/web-static.js';
import { agentRoutes } from './http/routes/agents/agent-routes.js';
import { alertRoutes } from './http/routes/alerts/alert-routes.js';
import { auditRoutes } from './http/routes/audit/audit-routes.js';
import { authRoutes } from './http/routes/auth/auth-routes.js';
import { oidcRoutes } from './http/routes/auth/oidc-routes.js';
import { totpRoutes } from './http/routes/auth/totp-routes.js';
import { keyRoutes } from './http/routes/keys/key-routes.js';
import { settingsRoutes } from './http/routes/settings/settings-routes.js';
import { userRoutes } from './http/routes/users/user-routes.js';
import { healthRoutes } from './http/routes/health/health-routes.js';
import { ingestRoutes } from './http/routes/ingest/ingest-routes.js';
import { meRoutes } from './http/routes/me/me-routes.js';
import { metricsRoute } from './http/routes/metrics/metrics-route.js';
import { notifyRoutes } from './http/routes/notify/notify-routes.js';
import { queryRoutes } from './http/routes/query/query-routes.js';
import { forecastRoutes } from './http/routes/forecast/forecast-routes.js';
import { storageRoutes } from './http/routes/storage/storage-routes.js';
import { ruleRoutes } from './http/routes/rules/rule-routes.js';
import { silenceRoutes } from './http/routes/silences/silence-routes.js';
import { securityEventRoutes } from './http/routes/security/security-event-routes.js';
import { suppressionRoutes } from './http/routes/security/suppression-routes.js';
import { detectionRoutes } from './http/routes/security/detection-routes.js';
import { liveRoute } from './http/ws/live-route.js';

export type { AppDeps } from './http/app-deps.js';

/** Version reported by the API docs and `/metrics`. */
export const VIGIL_VERSION = '0.1.0';

/**
 * Builds the Fastify application from its dependencies (used by `main.ts` and by tests through
 * `app.inject()`). Nothing here opens storage or listens on a port.
 */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    logger: deps.http.logLevel === 'silent' ? false : { level: deps.http.logLevel, redact: ['req.headers.authorization', 'req.headers.cookie'] },
    bodyLimit: deps.http.bodyMaxBytes,
    // X-Forwarded-For is believed only when the socket peer is one of the configured proxies.
    trustProxy: deps.http.trustProxy.length > 0 ? deps.http.trustProxy : false,
    ...(deps.http.tlsFiles ? { https: { cert: deps.http.tlsFiles.cert, key: deps.http.tlsFiles.key, minVersion: 'TLSv1.2' as const } } : {}),
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', allErrors: false } },
    return503OnClosing: true,
    forceCloseConnections: true,
  });
  installErrorHandler(app);
  installJsonBodyParser(app);
  defaultDocsAccess(app);
  requireAccessDeclarations(app);
  installSecurityHeaders(app, { tls: deps.http.tls });
  installHttpMetrics(app, deps);
  await app.register(cookie);
  await app.register(websocket, { options: { maxPayload: 64 * 1024 } });
  installAuthentication(app, deps);
  await installOpenApi(app, VIGIL_VERSION);
  for (const routes of [healthRoutes, authRoutes, totpRoutes, oidcRoutes, userRoutes, keyRoutes, auditRoutes, settingsRoutes, agentRoutes, ingestRoutes, queryRoutes, forecastRoutes, storageRoutes, metricsRoute, liveRoute, ruleRoutes, alertRoutes, silenceRoutes, notifyRoutes, meRoutes, securityEventRoutes, suppressionRoutes, detectionRoutes]) {
    await app.register(async (scope) => routes(scope, deps));
  }
  installWebStatic(app, deps.http.webDir);
  return app;
}

/** The generated API-docs routes have no access declaration of their own: signed-in users only. */
function defaultDocsAccess(app: FastifyInstance): void {
  app.addHook('onRoute', (route) => {
    if (route.url.startsWith(DOCS_PREFIX) && !(route.config as { access?: string } | undefined)?.access) {
      route.config = { ...(route.config ?? {}), access: 'authenticated' } as typeof route.config;
    }
  });
}

function installHttpMetrics(app: FastifyInstance, deps: AppDeps): void {
  const requests = deps.metrics.counter('vigil_http_requests_total', 'HTTP requests by route, method and status.');
  const duration = deps.metrics.histogram('vigil_http_request_duration_seconds', 'HTTP request latency by route.', [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]);
  app.addHook('onResponse', async (req, reply) => {
    const route = req.routeOptions.url ?? 'unmatched';
    requests.inc({ route, method: req.method, status: String(reply.statusCode) });
    duration.observe(reply.elapsedTime / 1000, { route });
  });
}
