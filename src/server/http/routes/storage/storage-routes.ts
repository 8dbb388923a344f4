import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../app-deps.js';

/** Storage usage for the settings page: disk per tier, retention, retention forecast (admins). */
export async function storageRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  app.get(
    '/api/v1/storage',
    { config: { access: 'manage:settings' }, schema: { tags: ['settings'], summary: 'Disk use and retention per storage tier, with a forecast of days of disk left' } },
    async () => deps.storageUsage.report(),
  );
}
