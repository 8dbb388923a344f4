import type { FastifyInstance } from 'fastify';
import { type Static } from '@sinclair/typebox';
import { DETECTION_KINDS, DetectionRulesSchema } from '../../../../protocol/security.js';
import { actorOf } from '../../../auth/principal.js';
import type { AppDeps } from '../../app-deps.js';

/** Detection (correlation) rules: list and replace (issue 6). */
export async function detectionRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const engine = deps.soc.detections;
  app.get('/api/v1/detections', { config: { access: 'read:incidents' }, schema: { tags: ['security'], summary: 'Detection rules in force and the registered kinds' } }, async () => ({ rules: engine.list(), kinds: DETECTION_KINDS }));
  app.put<{ Body: Static<typeof DetectionRulesSchema> }>(
    '/api/v1/detections',
    { config: { access: 'write:incidents' }, schema: { tags: ['security'], summary: 'Replace the detection rules (audited); window state restarts', body: DetectionRulesSchema } },
    async (req) => ({ rules: await engine.replace(req.body.rules, actorOf(req.principal)), kinds: DETECTION_KINDS }),
  );
}
