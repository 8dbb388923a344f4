import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Readable } from 'node:stream';
import { Type, type Static } from '@sinclair/typebox';
import { auditCsvHeader, auditCsvRow } from '../../../auth/audit-export.js';
import { actorOf } from '../../../auth/principal.js';
import { errors } from '../../../core/errors.js';
import { parseTime } from '../../../query/parse-time.js';
import type { AuditEntry, AuditQuery } from '../../../storage/audit-repo.js';
import type { AppDeps } from '../../app-deps.js';
import { requestMeta } from '../auth/auth-routes.js';

const Filters = {
  actor: Type.Optional(Type.String({ maxLength: 200 })),
  action: Type.Optional(Type.String({ maxLength: 100 })),
  outcome: Type.Optional(Type.Union([Type.Literal('success'), Type.Literal('failure'), Type.Literal('denied')])),
  from: Type.Optional(Type.String({ maxLength: 64, description: 'ms, RFC 3339 or now-7d' })),
  to: Type.Optional(Type.String({ maxLength: 64 })),
};
const ListQuery = Type.Object({ ...Filters, before: Type.Optional(Type.Integer({ minimum: 1 })), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })) }, { additionalProperties: false });
const ExportQuery = Type.Object({ ...Filters, format: Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('csv')])) }, { additionalProperties: false });

/** Most entries one export streams (newest first); narrow the filters for more. */
export const AUDIT_EXPORT_MAX = 1_000_000;

function filters(deps: AppDeps, q: Static<typeof ExportQuery>): Omit<AuditQuery, 'limit'> {
  const now = deps.clock.now();
  const time = (v: string | undefined, name: string) => {
    if (v === undefined) return undefined;
    try {
      return parseTime(v, now);
    } catch {
      throw errors.validation(`${name} must be ms, RFC 3339 or now-<duration>`);
    }
  };
  const from = time(q.from, 'from');
  const to = time(q.to, 'to');
  return { ...(q.actor ? { actor: q.actor } : {}), ...(q.action ? { action: q.action } : {}), ...(q.outcome ? { outcome: q.outcome } : {}), ...(from !== undefined ? { from } : {}), ...(to !== undefined ? { to } : {}) };
}

/** All matching entries, newest first, page by page (bounded memory however long the log is). */
async function* pages(deps: AppDeps, f: Omit<AuditQuery, 'limit'>): AsyncGenerator<AuditEntry> {
  let before: number | undefined;
  let sent = 0;
  while (sent < AUDIT_EXPORT_MAX) {
    const page = await deps.storage.audit.list({ ...f, ...(before !== undefined ? { beforeId: before } : {}), limit: 1000 });
    if (page.length === 0) return;
    for (const e of page) {
      yield e;
      if (++sent >= AUDIT_EXPORT_MAX) return;
    }
    before = (page[page.length - 1] as AuditEntry).id;
  }
}

/** The audit log for admins: filtered list, JSON/CSV export, chain verification. No update or delete exists. */
export async function auditRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  app.get<{ Querystring: Static<typeof ListQuery> }>(
    '/api/v1/audit',
    { config: { access: 'read:audit' }, schema: { tags: ['audit'], summary: 'Audit entries, newest first; page with before=<nextBefore>', querystring: ListQuery } },
    async (req) => {
      const limit = req.query.limit ?? 100;
      const entries = await deps.storage.audit.list({ ...filters(deps, req.query), ...(req.query.before ? { beforeId: req.query.before } : {}), limit });
      return { entries, nextBefore: entries.length === limit ? (entries[entries.length - 1] as AuditEntry).id : null };
    },
  );

  app.get<{ Querystring: Static<typeof ExportQuery> }>(
    '/api/v1/audit/export',
    { config: { access: 'read:audit' }, schema: { tags: ['audit'], summary: 'Download matching entries as a JSON array or as CSV (formula-safe)', querystring: ExportQuery } },
    async (req: FastifyRequest<{ Querystring: Static<typeof ExportQuery> }>, reply) => {
      const format = req.query.format ?? 'json';
      const f = filters(deps, req.query);
      await deps.audit.record({ actor: actorOf(req.principal), action: 'audit.export', ...requestMeta(req), outcome: 'success', details: { format, ...f } });
      const stamp = new Date(deps.clock.now()).toISOString().replace(/[:.]/g, '-');
      reply.header('Content-Disposition', `attachment; filename="vigil-audit-${stamp}.${format}"`);
      reply.type(format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8');
      const body = format === 'csv' ? csvStream(pages(deps, f)) : jsonStream(pages(deps, f));
      return reply.send(Readable.from(body));
    },
  );

  app.get('/api/v1/audit/verify', { config: { access: 'read:audit' }, schema: { tags: ['audit'], summary: 'Re-compute the hash chain: {checked, brokenAt}' } }, async () => deps.audit.verify());
}

async function* csvStream(entries: AsyncGenerator<AuditEntry>): AsyncGenerator<string> {
  yield auditCsvHeader();
  for await (const e of entries) yield auditCsvRow(e);
}

async function* jsonStream(entries: AsyncGenerator<AuditEntry>): AsyncGenerator<string> {
  yield '[';
  let first = true;
  for await (const e of entries) {
    yield `${first ? '' : ','}\n${JSON.stringify(e)}`;
    first = false;
  }
  yield '\n]\n';
}
