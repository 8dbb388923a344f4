import type { FastifyInstance } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { ParseError } from '../../../../protocol/duration.js';
import { isLabelName, parseSelector, type Selector } from '../../../../protocol/selector.js';
import { VigilError } from '../../../core/errors.js';
import type { AppDeps } from '../../app-deps.js';

const QueryParams = Type.Object(
  {
    query: Type.String({ maxLength: 4096, description: 'Series selector, e.g. cpu_usage_percent{host="web-1"}' }),
    start: Type.Optional(Type.String({ maxLength: 64, description: 'ms, RFC 3339, now or now-1h (default now-1h)' })),
    end: Type.Optional(Type.String({ maxLength: 64, description: 'ms, RFC 3339, now or now-1h (default now)' })),
    step: Type.Optional(Type.String({ maxLength: 32, description: 'Duration (15s) or ms; default ≈ 300 buckets' })),
    agg: Type.Optional(Type.String({ maxLength: 10, description: 'avg | min | max | sum | p95 | last | count' })),
    by: Type.Optional(Type.String({ maxLength: 1000, description: 'Comma-separated label names to group by' })),
  },
  { additionalProperties: false },
);

const MatchParams = Type.Object({ match: Type.Optional(Type.String({ maxLength: 4096 })), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })) }, { additionalProperties: false });
const LabelParams = Type.Object({ name: Type.String({ maxLength: 100 }) });

function selectorOrNull(text: string | undefined): Selector | null {
  if (text === undefined || text === '') return null;
  try {
    return parseSelector(text);
  } catch (err) {
    throw new VigilError('VIGIL_ERR_SELECTOR_SYNTAX', err instanceof ParseError ? err.message : 'invalid selector');
  }
}

/** Range queries and series/label discovery for the explorer. */
export async function queryRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  app.get<{ Querystring: Static<typeof QueryParams> }>(
    '/api/v1/query',
    { config: { access: 'read:metrics' }, schema: { tags: ['query'], summary: 'Range query with aggregation and grouping', querystring: QueryParams } },
    async (req) => deps.query.range(req.query),
  );

  app.get<{ Querystring: Static<typeof MatchParams> }>(
    '/api/v1/series',
    { config: { access: 'read:metrics' }, schema: { tags: ['query'], summary: 'Series matching a selector', querystring: MatchParams } },
    async (req) => {
      const selector = selectorOrNull(req.query.match);
      if (!selector) throw new VigilError('VIGIL_ERR_VALIDATION', 'match is required, e.g. match=cpu_usage_percent');
      return deps.storage.series.select(selector, req.query.limit ?? 1000);
    },
  );

  app.get('/api/v1/metrics', { config: { access: 'read:metrics' }, schema: { tags: ['query'], summary: 'Metric names' } }, async () => ({
    metrics: await deps.storage.series.metricNames(),
  }));

  app.get<{ Querystring: Static<typeof MatchParams> }>(
    '/api/v1/labels',
    { config: { access: 'read:metrics' }, schema: { tags: ['query'], summary: 'Label names (optionally of series matching `match`)', querystring: MatchParams } },
    async (req) => ({ labels: await deps.storage.series.labelNames(selectorOrNull(req.query.match)) }),
  );

  app.get<{ Params: Static<typeof LabelParams>; Querystring: Static<typeof MatchParams> }>(
    '/api/v1/labels/:name/values',
    { config: { access: 'read:metrics' }, schema: { tags: ['query'], summary: 'Values of one label', params: LabelParams, querystring: MatchParams } },
    async (req) => {
      if (!isLabelName(req.params.name)) throw new VigilError('VIGIL_ERR_VALIDATION', 'name must be a label name');
      const values = await deps.storage.series.labelValues(req.params.name, selectorOrNull(req.query.match));
      const limit = req.query.limit ?? 1000;
      return { values: values.slice(0, limit), truncated: values.length > limit };
    },
  );
}
