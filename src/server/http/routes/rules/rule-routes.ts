import type { FastifyInstance } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { actorOf } from '../../../auth/principal.js';
import type { AppDeps } from '../../app-deps.js';

const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
const RuleBody = Type.Object({}, { additionalProperties: true, description: 'RuleInput (see src/protocol/alerting.ts)' });
const UpdateQuery = Type.Object({ version: Type.Optional(Type.Integer({ minimum: 1 })) }, { additionalProperties: false });
const DryRunBody = Type.Object({ rule: Type.Object({}, { additionalProperties: true }), start: Type.Optional(Type.Integer({ minimum: 0 })), end: Type.Optional(Type.Integer({ minimum: 0 })) }, { additionalProperties: false });
const ImportBody = Type.Object({ yaml: Type.String({ maxLength: 1 << 20 }), prune: Type.Optional(Type.Boolean()) }, { additionalProperties: false });

/** Alert rules: CRUD, rule types, rules as code (YAML import/export) and dry runs. */
export async function ruleRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const svc = deps.incidents.alerts;
  app.get('/api/v1/rule-types', { config: { access: 'read:incidents' }, schema: { tags: ['rules'], summary: 'Registered rule types' } }, async () => ({ types: svc.ruleTypes() }));
  app.get('/api/v1/rules', { config: { access: 'read:incidents' }, schema: { tags: ['rules'], summary: 'All alert rules' } }, async () => ({ rules: await svc.listRules() }));
  app.get<{ Params: Static<typeof IdParams> }>('/api/v1/rules/:id', { config: { access: 'read:incidents' }, schema: { tags: ['rules'], summary: 'One rule', params: IdParams } }, async (req) => svc.getRule(req.params.id));
  app.post<{ Body: Record<string, unknown> }>('/api/v1/rules', { config: { access: 'write:incidents' }, schema: { tags: ['rules'], summary: 'Create a rule', body: RuleBody } }, async (req, reply) =>
    reply.status(201).send(await svc.createRule(req.body, actorOf(req.principal))),
  );
  app.put<{ Params: Static<typeof IdParams>; Querystring: Static<typeof UpdateQuery>; Body: Record<string, unknown> }>(
    '/api/v1/rules/:id',
    { config: { access: 'write:incidents' }, schema: { tags: ['rules'], summary: 'Replace a rule (?version= for optimistic concurrency)', params: IdParams, querystring: UpdateQuery, body: RuleBody } },
    async (req) => svc.updateRule(req.params.id, req.body, actorOf(req.principal), req.query.version),
  );
  app.delete<{ Params: Static<typeof IdParams> }>('/api/v1/rules/:id', { config: { access: 'write:incidents' }, schema: { tags: ['rules'], summary: 'Delete a rule and its alerts', params: IdParams } }, async (req, reply) => {
    await svc.deleteRule(req.params.id, actorOf(req.principal));
    return reply.status(204).send();
  });
  app.post<{ Body: Static<typeof DryRunBody> }>(
    '/api/v1/rules/dry-run',
    { config: { access: 'read:incidents' }, schema: { tags: ['rules'], summary: 'Replay a (possibly unsaved) rule over stored history', body: DryRunBody } },
    async (req) => svc.dryRun(req.body.rule, { start: req.body.start, end: req.body.end }),
  );
  app.get('/api/v1/rules/export', { config: { access: 'read:incidents' }, schema: { tags: ['rules'], summary: 'All rules as YAML (rules as code)' } }, async (_req, reply) =>
    reply.type('application/yaml; charset=utf-8').header('content-disposition', 'attachment; filename="vigil-rules.yaml"').send(await svc.exportYaml()),
  );
  app.post<{ Body: Static<typeof ImportBody> }>(
    '/api/v1/rules/import',
    { config: { access: 'write:incidents' }, schema: { tags: ['rules'], summary: 'Import YAML rules (match by name; prune deletes missing ones)', body: ImportBody } },
    async (req) => svc.importYaml(req.body.yaml, actorOf(req.principal), req.body.prune ?? false),
  );
}
