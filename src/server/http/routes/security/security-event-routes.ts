import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import {
  SECURITY_EVENT_QUERY_PARAMS,
  SECURITY_EVENT_SORTS,
  SECURITY_EVENT_TYPES,
  SEVERITIES,
  SavedFiltersSchema,
  SecurityEventBatchSchema,
  TRIAGE_STATES,
  TriageBodySchema,
  type SavedFilters,
  type TriageBody,
} from '../../../../protocol/security.js';
import { errors } from '../../../core/errors.js';
import { EXPORT_FORMATS, exportEvents, type ExportFormat } from '../../../security/event-export.js';
import { parseEventQuery, type RawQuery } from '../../../security/parse-event-query.js';
import type { AppDeps } from '../../app-deps.js';
import { decodeBody } from '../ingest/decode-body.js';

const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });

/** Query documentation of the event search (validated by `parseEventQuery`, which lists allowed values on a 400). */
const EventQueryDoc = Type.Object({
  event_type: Type.Optional(Type.String({ description: `Comma-separated or repeated; one of ${SECURITY_EVENT_TYPES.join(', ')}` })),
  severity: Type.Optional(Type.String({ description: `Comma-separated or repeated; one of ${SEVERITIES.join(', ')}` })),
  host: Type.Optional(Type.String({ description: 'Comma-separated or repeated host names.' })),
  agent_id: Type.Optional(Type.String()),
  from: Type.Optional(Type.String({ description: 'RFC 3339, inclusive.' })),
  to: Type.Optional(Type.String({ description: 'RFC 3339, exclusive.' })),
  q: Type.Optional(Type.String({ description: 'Free text in the description (every word must occur), ≤ 200 characters.' })),
  triage: Type.Optional(Type.String({ description: `Comma-separated or repeated; one of ${TRIAGE_STATES.join(', ')}` })),
  include_suppressed: Type.Optional(Type.String({ description: 'true to include events matched by a suppression (default false).' })),
  correlation_id: Type.Optional(Type.String()),
  sort: Type.Optional(Type.String({ description: `${SECURITY_EVENT_SORTS.join(' | ')} (default time, newest first; severity: critical first).` })),
  cursor: Type.Optional(Type.String({ description: 'next_cursor of the previous page.' })),
  limit: Type.Optional(Type.String({ description: 'Page size, default 50, capped at 1000.' })),
});

/** Security events: ingest, search, detail, triage, export, saved filters (issue 6). */
export async function securityEventRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const svc = deps.soc.events;
  app.post(
    '/api/v1/events',
    {
      config: { access: 'agent|write:incidents' },
      bodyLimit: deps.http.ingestBodyMaxBytes,
      // Same body handling as metrics ingest: agents may gzip, with a cap on the decompressed size.
      preParsing: async (req, _reply, payload) => decodeBody(req.headers['content-encoding'], payload, deps.http.ingestBodyMaxBytes),
      schema: {
        tags: ['security'],
        summary: 'Send security events (agent key, or a user with write:incidents naming the host). 200 all stored; 422 per-item errors (valid items stored)',
        body: { ...SecurityEventBatchSchema, description: 'Validated item by item by the server (see docs/api.md).', additionalProperties: true } as object,
      },
      // The body schema is documentation only: items are validated one by one so valid items survive.
      validatorCompiler: () => () => true,
    },
    async (req, reply) => {
      if (!req.principal) throw errors.unauthenticated();
      const answer = await svc.ingest(req.principal, req.body);
      if (answer.status !== 200) {
        const code = answer.body.accepted + answer.body.duplicates === 0 ? 'VIGIL_ERR_INGEST_REJECTED' : 'VIGIL_ERR_INGEST_PARTIAL';
        return reply.status(answer.status).send({ ...answer.body, error: { code, message: `${answer.body.rejected} event(s) rejected; see errors` } });
      }
      return answer.body;
    },
  );
  app.get<{ Querystring: RawQuery }>(
    '/api/v1/events',
    {
      config: { access: 'read:incidents' },
      schema: { tags: ['security'], summary: 'Search security events: filters, sort, cursor paging, facets and total', querystring: EventQueryDoc },
      validatorCompiler: () => () => true,
    },
    async (req) => svc.search(req.query),
  );
  app.get<{ Querystring: RawQuery }>(
    '/api/v1/events/export',
    {
      config: { access: 'read:incidents' },
      schema: { tags: ['security'], summary: 'Export the filtered events as CSV or JSON (streamed, at most 100,000 rows)', querystring: Type.Composite([EventQueryDoc, Type.Object({ format: Type.Optional(Type.String({ description: 'csv | json (default json)' })) })]) },
      validatorCompiler: () => () => true,
    },
    async (req, reply) => {
      const { format: rawFormat, ...rest } = req.query;
      const format = (rawFormat ?? 'json') as ExportFormat;
      if (!EXPORT_FORMATS.includes(format)) throw errors.validation(`format: unknown value ${String(rawFormat)}; allowed: ${EXPORT_FORMATS.join(', ')}`, { param: 'format', allowed: EXPORT_FORMATS });
      const q = parseEventQuery(rest, SECURITY_EVENT_QUERY_PARAMS);
      const stamp = new Date(deps.clock.now()).toISOString().replace(/[:.]/g, '-');
      reply.header('content-disposition', `attachment; filename="vigil-events-${stamp}.${format}"`);
      reply.type(format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8');
      return reply.send(Readable.from(exportEvents(deps.storage.securityEvents, q, format)));
    },
  );
  app.get('/api/v1/events/saved-filters', { config: { access: 'read:incidents' }, schema: { tags: ['security'], summary: 'My saved SOC filters' } }, async (req) => {
    const p = req.principal;
    if (p?.kind !== 'user') throw errors.unauthenticated();
    return svc.savedFilters(p.userId);
  });
  app.put<{ Body: SavedFilters }>(
    '/api/v1/events/saved-filters',
    { config: { access: 'read:incidents' }, schema: { tags: ['security'], summary: 'Replace my saved SOC filters', body: SavedFiltersSchema } },
    async (req) => {
      const p = req.principal;
      if (p?.kind !== 'user') throw errors.unauthenticated();
      return svc.saveFilters(p.userId, req.body);
    },
  );
  app.get<{ Params: Static<typeof IdParams> }>(
    '/api/v1/events/:id',
    { config: { access: 'read:incidents' }, schema: { tags: ['security'], summary: 'One event with related events (same correlation id, same host ±10 min) and triage history', params: IdParams } },
    async (req) => svc.detail(req.params.id),
  );
  app.post<{ Params: Static<typeof IdParams>; Body: TriageBody }>(
    '/api/v1/events/:id/triage',
    { config: { access: 'write:incidents' }, schema: { tags: ['security'], summary: 'Change the triage state {state, note?} (audited)', params: IdParams, body: TriageBodySchema } },
    async (req) => ({ event: await svc.triage(req.params.id, req.body, req.principal) }),
  );
}
