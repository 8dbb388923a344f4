import type { FastifyInstance } from 'fastify';
import { IngestBatchSchema } from '../../../../protocol/ingest.js';
import { errors } from '../../../core/errors.js';
import type { AppDeps } from '../../app-deps.js';
import { decodeBody } from './decode-body.js';

/** `POST /api/v1/ingest`: agent batches (JSON, optionally gzip), per-item errors, idempotent. */
export async function ingestRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  app.post(
    '/api/v1/ingest',
    {
      config: { access: 'agent' },
      bodyLimit: deps.http.ingestBodyMaxBytes,
      preParsing: async (req, _reply, payload) => decodeBody(req.headers['content-encoding'], payload, deps.http.ingestBodyMaxBytes),
      schema: {
        tags: ['ingest'],
        summary: 'Push samples (agent key). 200 all stored; 422 per-item errors (valid items stored)',
        headers: { type: 'object', properties: { 'idempotency-key': { type: 'string', maxLength: 200 } } },
        body: { ...IngestBatchSchema, description: 'Validated item by item by the server (see docs/api.md).', additionalProperties: true } as object,
      },
      // The body schema is documentation only: items are validated one by one so valid items survive.
      validatorCompiler: () => () => true,
    },
    async (req, reply) => {
      const p = req.principal;
      if (p?.kind !== 'agent') throw errors.unauthenticated();
      const key = req.headers['idempotency-key'];
      const answer = await deps.ingest.ingest(p, req.body, typeof key === 'string' ? key : null);
      if (answer.status !== 200) {
        const code = answer.body.accepted === 0 ? 'VIGIL_ERR_INGEST_REJECTED' : 'VIGIL_ERR_INGEST_PARTIAL';
        return reply.status(answer.status).send({ ...answer.body, error: { code, message: `${answer.body.rejected} item(s) rejected; see errors` } });
      }
      return answer.body;
    },
  );
}
