import type { FastifyInstance } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { SuppressionBodySchema, type SuppressionBody } from '../../../../protocol/security.js';
import { actorOf } from '../../../auth/principal.js';
import type { AppDeps } from '../../app-deps.js';

const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });

/** Suppressions (exceptions) of security events: preview, create, list, end (issue 6). */
export async function suppressionRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const svc = deps.soc.suppressions;
  app.post<{ Body: SuppressionBody }>(
    '/api/v1/suppressions/preview',
    { config: { access: 'write:incidents' }, schema: { tags: ['security'], summary: 'How many stored events a suppression would have matched', body: SuppressionBodySchema } },
    async (req) => svc.preview(req.body),
  );
  app.post<{ Body: SuppressionBody }>(
    '/api/v1/suppressions',
    { config: { access: 'write:incidents' }, schema: { tags: ['security'], summary: 'Create a suppression {event_type, host?, src_ip?, days, reason} (audited)', body: SuppressionBodySchema } },
    async (req, reply) => reply.status(201).send(await svc.create(req.body, actorOf(req.principal))),
  );
  app.get('/api/v1/suppressions', { config: { access: 'read:incidents' }, schema: { tags: ['security'], summary: 'Suppressions, newest first (active, expired and ended)' } }, async () => ({
    suppressions: await svc.list(),
  }));
  app.delete<{ Params: Static<typeof IdParams> }>(
    '/api/v1/suppressions/:id',
    { config: { access: 'write:incidents' }, schema: { tags: ['security'], summary: 'End a suppression now (audited)', params: IdParams } },
    async (req) => ({ suppression: await svc.end(req.params.id, actorOf(req.principal)) }),
  );
}
