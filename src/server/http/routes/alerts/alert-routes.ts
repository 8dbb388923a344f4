import type { FastifyInstance } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { ALERT_SEVERITIES, ALERT_STATES, type AlertSeverity, type AlertState } from '../../../../protocol/alerting.js';
import { parseDuration } from '../../../../protocol/duration.js';
import { actorOf } from '../../../auth/principal.js';
import { errors } from '../../../core/errors.js';
import type { AppDeps } from '../../app-deps.js';

const IdParams = Type.Object({ id: Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$', description: 'Alert id (24 hex characters); unknown ids answer 404' }) });
const ListQuery = Type.Object(
  {
    state: Type.Optional(Type.String({ maxLength: 100, description: 'Comma-separated states (default firing,pending,resolved)' })),
    severity: Type.Optional(Type.String({ maxLength: 100, description: 'Comma-separated severities' })),
    match: Type.Optional(Type.String({ maxLength: 2000, description: 'Label matchers, e.g. host="web-1",cpu=~"0|1"' })),
    ruleId: Type.Optional(Type.String({ maxLength: 64 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 5000 })),
  },
  { additionalProperties: false },
);
const AckBody = Type.Object({ comment: Type.Optional(Type.String({ maxLength: 1000 })), expiresIn: Type.Optional(Type.String({ maxLength: 32, description: 'Duration, e.g. 2h' })) }, { additionalProperties: false });

function list<T extends string>(raw: string | undefined, allowed: readonly T[], field: string): T[] | undefined {
  if (!raw) return undefined;
  const items = raw.split(',').map((s) => s.trim());
  const bad = items.find((s) => !allowed.includes(s as T));
  if (bad !== undefined) throw errors.validation(`${field}: "${bad.slice(0, 30)}" is not one of ${allowed.join(', ')}`, { field });
  return items as T[];
}

/** Alerts: list and detail with timeline, acknowledgement, and the notification explanation. */
export async function alertRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const svc = deps.incidents.alerts;
  app.get<{ Querystring: Static<typeof ListQuery> }>('/api/v1/alerts', { config: { access: 'read:incidents' }, schema: { tags: ['alerts'], summary: 'Alerts, filtered', querystring: ListQuery } }, async (req) => ({
    alerts: await svc.listAlerts({ states: list<AlertState>(req.query.state, ALERT_STATES, 'state'), severities: list<AlertSeverity>(req.query.severity, ALERT_SEVERITIES, 'severity'), match: req.query.match, ruleId: req.query.ruleId, limit: req.query.limit }),
  }));
  app.get<{ Params: Static<typeof IdParams> }>('/api/v1/alerts/:id', { config: { access: 'read:incidents' }, schema: { tags: ['alerts'], summary: 'One alert with its transitions and rule', params: IdParams } }, async (req) => svc.getAlert(req.params.id));
  app.post<{ Params: Static<typeof IdParams>; Body: Static<typeof AckBody> }>(
    '/api/v1/alerts/:id/ack',
    { config: { access: 'write:incidents' }, schema: { tags: ['alerts'], summary: 'Acknowledge (stops repeats and escalation; PagerDuty gets acknowledge)', params: IdParams, body: AckBody } },
    async (req) => {
      let expiresAt: number | null = null;
      if (req.body.expiresIn) {
        try {
          expiresAt = deps.clock.now() + parseDuration(req.body.expiresIn);
        } catch (err) {
          throw errors.validation(`expiresIn: ${(err as Error).message}`, { field: 'expiresIn' });
        }
      }
      return svc.acknowledge(req.params.id, actorOf(req.principal), req.body.comment ?? '', expiresAt);
    },
  );
  app.delete<{ Params: Static<typeof IdParams> }>('/api/v1/alerts/:id/ack', { config: { access: 'write:incidents' }, schema: { tags: ['alerts'], summary: 'Remove the acknowledgement', params: IdParams } }, async (req) =>
    svc.unacknowledge(req.params.id, actorOf(req.principal)),
  );
  app.get<{ Params: Static<typeof IdParams> }>(
    '/api/v1/alerts/:id/explain',
    { config: { access: 'read:incidents' }, schema: { tags: ['alerts'], summary: 'Why was I (not) notified: routes, group, suppressions, escalation, deliveries', params: IdParams } },
    async (req) => deps.incidents.channels.explain(req.params.id),
  );
}
