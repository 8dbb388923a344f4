import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../app-deps.js';

/** `GET /api/v1/live`: the WebSocket of live updates (authenticated at upgrade). */
export async function liveRoute(app: FastifyInstance, deps: AppDeps): Promise<void> {
  app.get('/api/v1/live', { websocket: true, config: { access: 'read:overview' }, schema: { tags: ['live'], summary: 'WebSocket: live samples and agent updates (see docs/api.md)' } }, (socket, req) => {
    const principal = req.principal;
    if (!principal) {
      socket.close(4001, 'unauthenticated');
      return;
    }
    const handlers = deps.hub.connect(socket, principal);
    socket.on('message', (data: Buffer, isBinary: boolean) => {
      if (isBinary || data.length > 64 * 1024) {
        socket.close(1009, 'messages must be JSON text under 64 KiB');
        return;
      }
      handlers.onMessage(data.toString('utf8'));
    });
    socket.on('pong', handlers.onPong);
    socket.on('close', handlers.onClose);
    socket.on('error', handlers.onClose);
  });
}
