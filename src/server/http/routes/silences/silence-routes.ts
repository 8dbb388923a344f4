import type { FastifyInstance } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { actorOf } from '../../../auth/principal.js';
import type { AppDeps } from '../../app-deps.js';

const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
const Body = Type.Object({}, { additionalProperties: true });
const InhibitBody = Type.Object({ rules: Type.Array(Type.Object({}, { additionalProperties: true }), { maxItems: 100 }) }, { additionalProperties: false });

/** Silences, recurring maintenance windows and inhibition rules. */
export async function silenceRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const svc = deps.incidents.silences;
  app.get('/api/v1/silences', { config: { access: 'read:incidents' }, schema: { tags: ['silences'], summary: 'Active, pending and recently expired silences' } }, async () => ({ silences: await svc.listSilences() }));
  app.post<{ Body: Record<string, unknown> }>('/api/v1/silences', { config: { access: 'write:incidents' }, schema: { tags: ['silences'], summary: 'Create a silence {matchers, startsAt?, endsAt, comment}', body: Body } }, async (req, reply) =>
    reply.status(201).send(await svc.createSilence(req.body, actorOf(req.principal))),
  );
  app.put<{ Params: Static<typeof IdParams>; Body: Record<string, unknown> }>('/api/v1/silences/:id', { config: { access: 'write:incidents' }, schema: { tags: ['silences'], summary: 'Change a silence', params: IdParams, body: Body } }, async (req) =>
    svc.updateSilence(req.params.id, req.body, actorOf(req.principal)),
  );
  app.delete<{ Params: Static<typeof IdParams> }>('/api/v1/silences/:id', { config: { access: 'write:incidents' }, schema: { tags: ['silences'], summary: 'Expire a silence now', params: IdParams } }, async (req) =>
    svc.expireSilence(req.params.id, actorOf(req.principal)),
  );
  app.get('/api/v1/maintenance-windows', { config: { access: 'read:incidents' }, schema: { tags: ['silences'], summary: 'Recurring maintenance windows' } }, async () => ({ windows: await svc.listWindows() }));
  app.post<{ Body: Record<string, unknown> }>('/api/v1/maintenance-windows', { config: { access: 'write:incidents' }, schema: { tags: ['silences'], summary: 'Create a maintenance window', body: Body } }, async (req, reply) =>
    reply.status(201).send(await svc.createWindow(req.body, actorOf(req.principal))),
  );
  app.put<{ Params: Static<typeof IdParams>; Body: Record<string, unknown> }>('/api/v1/maintenance-windows/:id', { config: { access: 'write:incidents' }, schema: { tags: ['silences'], summary: 'Change a maintenance window', params: IdParams, body: Body } }, async (req) =>
    svc.updateWindow(req.params.id, req.body, actorOf(req.principal)),
  );
  app.delete<{ Params: Static<typeof IdParams> }>('/api/v1/maintenance-windows/:id', { config: { access: 'write:incidents' }, schema: { tags: ['silences'], summary: 'Delete a maintenance window', params: IdParams } }, async (req, reply) => {
    await svc.deleteWindow(req.params.id, actorOf(req.principal));
    return reply.status(204).send();
  });
  app.get('/api/v1/inhibit-rules', { config: { access: 'read:incidents' }, schema: { tags: ['silences'], summary: 'Inhibition rules' } }, async () => ({ rules: await svc.inhibitRules() }));
  app.put<{ Body: Static<typeof InhibitBody> }>('/api/v1/inhibit-rules', { config: { access: 'write:incidents' }, schema: { tags: ['silences'], summary: 'Replace the inhibition rules', body: InhibitBody } }, async (req) => ({
    rules: await svc.setInhibitRules(req.body.rules, actorOf(req.principal)),
  }));
}
