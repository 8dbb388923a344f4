import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../app-deps.js';

/** The server's own metrics in Prometheus text format (scrape with a user token). */
export async function metricsRoute(app: FastifyInstance, deps: AppDeps): Promise<void> {
  app.get('/metrics', { config: { access: 'read:metrics' }, schema: { tags: ['meta'], summary: 'Server self-metrics (Prometheus text format)' } }, async (_req, reply) => {
    reply.type('text/plain; version=0.0.4; charset=utf-8');
    return deps.metrics.render();
  });
}
