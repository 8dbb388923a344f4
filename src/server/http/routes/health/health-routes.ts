import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../app-deps.js';

/** `/health` (process up) and `/ready` (storage reachable and not shutting down). */
export async function healthRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  app.get('/health', { config: { access: 'public' }, schema: { hide: true } }, async () => ({ status: 'ok' }));
  app.get('/ready', { config: { access: 'public' }, schema: { hide: true } }, async (_req, reply) => {
    if (deps.isShuttingDown()) return reply.status(503).header('Retry-After', '5').send({ status: 'shutting_down' });
    try {
      await deps.storage.ping();
      return { status: 'ready' };
    } catch {
      return reply.status(503).header('Retry-After', '5').send({ status: 'storage_unavailable' });
    }
  });
}
