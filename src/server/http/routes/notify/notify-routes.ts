import type { FastifyInstance } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import type { NotificationStatus } from '../../../../protocol/alerting.js';
import { actorOf } from '../../../auth/principal.js';
import type { AppDeps } from '../../app-deps.js';

const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
const Body = Type.Object({}, { additionalProperties: true });
const ListQuery = Type.Object(
  {
    status: Type.Optional(Type.Union([Type.Literal('pending'), Type.Literal('sending'), Type.Literal('delivered'), Type.Literal('failed'), Type.Literal('dead')])),
    alertId: Type.Optional(Type.String({ maxLength: 64 })),
    before: Type.Optional(Type.Integer({ minimum: 0 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
  },
  { additionalProperties: false },
);
const PersonalParams = Type.Object({ type: Type.String({ pattern: '^[a-z]{1,20}$' }) });
const PersonalBody = Type.Object({ channelId: Type.Union([Type.String({ format: 'uuid' }), Type.Null()]) }, { additionalProperties: false });

/** Channels (secrets write-only), receivers, the routing tree and the notification log. */
export async function notifyRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const svc = deps.incidents.channels;
  app.get('/api/v1/channel-types', { config: { access: 'read:incidents' }, schema: { tags: ['notify'], summary: 'Registered channel types and their secret fields' } }, async () => ({ types: svc.channelTypes() }));
  app.get('/api/v1/channels', { config: { access: 'read:incidents' }, schema: { tags: ['notify'], summary: 'Channels (secrets only as {set})' } }, async () => ({ channels: await svc.listChannels() }));
  app.get<{ Params: Static<typeof IdParams> }>('/api/v1/channels/:id', { config: { access: 'read:incidents' }, schema: { tags: ['notify'], summary: 'One channel', params: IdParams } }, async (req) => svc.getChannel(req.params.id));
  app.post<{ Body: Record<string, unknown> }>('/api/v1/channels', { config: { access: 'write:incidents' }, schema: { tags: ['notify'], summary: 'Create a channel {name, type, config, secrets}', body: Body } }, async (req, reply) =>
    reply.status(201).send(await svc.createChannel(req.body, actorOf(req.principal))),
  );
  app.put<{ Params: Static<typeof IdParams>; Body: Record<string, unknown> }>('/api/v1/channels/:id', { config: { access: 'write:incidents' }, schema: { tags: ['notify'], summary: 'Change a channel (omitted secrets are kept)', params: IdParams, body: Body } }, async (req) =>
    svc.updateChannel(req.params.id, req.body, actorOf(req.principal)),
  );
  app.delete<{ Params: Static<typeof IdParams> }>('/api/v1/channels/:id', { config: { access: 'write:incidents' }, schema: { tags: ['notify'], summary: 'Delete a channel', params: IdParams } }, async (req, reply) => {
    await svc.deleteChannel(req.params.id, actorOf(req.principal));
    return reply.status(204).send();
  });
  app.post<{ Params: Static<typeof IdParams> }>('/api/v1/channels/:id/test', { config: { access: 'trigger:alerts' }, schema: { tags: ['notify'], summary: 'Send a test notification now; returns the delivery record', params: IdParams } }, async (req) =>
    svc.testChannel(req.params.id, actorOf(req.principal)),
  );
  app.get<{ Params: Static<typeof PersonalParams> }>('/api/v1/personal-channels/:type', { config: { access: 'read:incidents' }, schema: { tags: ['notify'], summary: 'Channel used for personal messages of a type', params: PersonalParams } }, async (req) => ({
    channelId: await svc.getPersonalChannel(req.params.type),
  }));
  app.put<{ Params: Static<typeof PersonalParams>; Body: Static<typeof PersonalBody> }>(
    '/api/v1/personal-channels/:type',
    { config: { access: 'write:incidents' }, schema: { tags: ['notify'], summary: 'Set the channel for personal messages (e.g. the SMTP server for users\' e-mail)', params: PersonalParams, body: PersonalBody } },
    async (req) => {
      await svc.setPersonalChannel(req.params.type, req.body.channelId, actorOf(req.principal));
      return { channelId: req.body.channelId };
    },
  );
  app.get('/api/v1/receivers', { config: { access: 'read:incidents' }, schema: { tags: ['notify'], summary: 'Receivers' } }, async () => ({ receivers: await svc.listReceivers() }));
  app.post<{ Body: Record<string, unknown> }>('/api/v1/receivers', { config: { access: 'write:incidents' }, schema: { tags: ['notify'], summary: 'Create a receiver {name, channelIds, userIds}', body: Body } }, async (req, reply) =>
    reply.status(201).send(await svc.createReceiver(req.body, actorOf(req.principal))),
  );
  app.put<{ Params: Static<typeof IdParams>; Body: Record<string, unknown> }>('/api/v1/receivers/:id', { config: { access: 'write:incidents' }, schema: { tags: ['notify'], summary: 'Change a receiver', params: IdParams, body: Body } }, async (req) =>
    svc.updateReceiver(req.params.id, req.body, actorOf(req.principal)),
  );
  app.delete<{ Params: Static<typeof IdParams> }>('/api/v1/receivers/:id', { config: { access: 'write:incidents' }, schema: { tags: ['notify'], summary: 'Delete a receiver', params: IdParams } }, async (req, reply) => {
    await svc.deleteReceiver(req.params.id, actorOf(req.principal));
    return reply.status(204).send();
  });
  app.get('/api/v1/routing', { config: { access: 'read:incidents' }, schema: { tags: ['notify'], summary: 'The routing tree' } }, async () => svc.getRouting());
  app.put<{ Body: Record<string, unknown> }>('/api/v1/routing', { config: { access: 'write:incidents' }, schema: { tags: ['notify'], summary: 'Replace the routing tree (send the version you read)', body: Body } }, async (req) =>
    svc.setRouting(req.body, actorOf(req.principal)),
  );
  app.get<{ Querystring: Static<typeof ListQuery> }>('/api/v1/notifications', { config: { access: 'read:incidents' }, schema: { tags: ['notify'], summary: 'The outbox: notifications, newest first', querystring: ListQuery } }, async (req) => ({
    notifications: await svc.listNotifications({ status: req.query.status as NotificationStatus | undefined, alertId: req.query.alertId, before: req.query.before, limit: req.query.limit }),
    counts: await svc.counts(),
  }));
  app.get<{ Params: Static<typeof IdParams> }>('/api/v1/notifications/:id', { config: { access: 'read:incidents' }, schema: { tags: ['notify'], summary: 'One notification with its delivery log', params: IdParams } }, async (req) =>
    svc.getNotification(req.params.id),
  );
}
