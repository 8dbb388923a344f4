import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { actorOf } from '../../../auth/principal.js';
import { errors } from '../../../core/errors.js';
import type { AppDeps } from '../../app-deps.js';

const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
const ListQuery = Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })) }, { additionalProperties: false });
const PrefsBody = Type.Object(
  {
    email: Type.Optional(Type.Union([Type.String({ maxLength: 254 }), Type.Null()])),
    channels: Type.Optional(Type.Object({ email: Type.Boolean(), inapp: Type.Boolean(), slack: Type.Boolean() }, { additionalProperties: false })),
    minSeverity: Type.Optional(Type.String({ maxLength: 10 })),
    quietHours: Type.Optional(Type.Union([Type.Object({ start: Type.String({ maxLength: 5 }), end: Type.String({ maxLength: 5 }), timeZone: Type.String({ maxLength: 64 }) }, { additionalProperties: false }), Type.Null()])),
    slackWebhookUrl: Type.Optional(Type.Union([Type.String({ maxLength: 2048 }), Type.Null()])),
  },
  { additionalProperties: false },
);

function userId(req: FastifyRequest): string {
  if (req.principal?.kind !== 'user') throw errors.unauthenticated();
  return req.principal.userId;
}

/** The caller's own in-app inbox, notification preferences and test notification. */
export async function meRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const inbox = deps.incidents.inbox;
  app.get<{ Querystring: Static<typeof ListQuery> }>('/api/v1/me/inbox', { config: { access: 'authenticated' }, schema: { tags: ['me'], summary: 'My in-app notifications (newest first) and unread count', querystring: ListQuery } }, async (req) =>
    inbox.list(userId(req), req.query.limit),
  );
  app.post<{ Params: Static<typeof IdParams> }>('/api/v1/me/inbox/:id/read', { config: { access: 'authenticated' }, schema: { tags: ['me'], summary: 'Mark one notification read', params: IdParams } }, async (req, reply) => {
    await inbox.markRead(userId(req), req.params.id);
    return reply.status(204).send();
  });
  app.post('/api/v1/me/inbox/read-all', { config: { access: 'authenticated' }, schema: { tags: ['me'], summary: 'Mark all read' } }, async (req) => ({ marked: await inbox.markAllRead(userId(req)) }));
  app.delete<{ Params: Static<typeof IdParams> }>('/api/v1/me/inbox/:id', { config: { access: 'authenticated' }, schema: { tags: ['me'], summary: 'Dismiss one notification', params: IdParams } }, async (req, reply) => {
    await inbox.dismiss(userId(req), req.params.id);
    return reply.status(204).send();
  });
  app.get('/api/v1/me/preferences', { config: { access: 'authenticated' }, schema: { tags: ['me'], summary: 'My notification preferences' } }, async (req) => deps.incidents.preferences.get(userId(req)));
  app.put<{ Body: Static<typeof PrefsBody> }>('/api/v1/me/preferences', { config: { access: 'authenticated' }, schema: { tags: ['me'], summary: 'Change my notification preferences', body: PrefsBody } }, async (req) =>
    deps.incidents.preferences.set(userId(req), req.body),
  );
  app.post('/api/v1/me/test-notification', { config: { access: 'authenticated' }, schema: { tags: ['me'], summary: 'Send me a test notification through each medium I enabled' } }, async (req) => ({
    notifications: await deps.incidents.channels.testUser(userId(req), actorOf(req.principal)),
  }));
}
