import type { FastifyInstance } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { AgentHelloSchema, type AgentHello } from '../../../../protocol/ingest.js';
import { actorOf } from '../../../auth/principal.js';
import { errors } from '../../../core/errors.js';
import type { AppDeps } from '../../app-deps.js';

const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
const EnrollBody = Type.Object({ name: Type.String({ minLength: 1, maxLength: 100 }) }, { additionalProperties: false });

/** Agents: overview list, detail, enrollment (agent + key) and the agent's own registration. */
export async function agentRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  app.get('/api/v1/agents', { config: { access: 'read:overview' }, schema: { tags: ['agents'], summary: 'All agents with status and headline numbers' } }, async () => ({
    agents: await deps.agents.list(),
  }));

  app.get<{ Params: Static<typeof IdParams> }>(
    '/api/v1/agents/:id',
    { config: { access: 'read:metrics' }, schema: { tags: ['agents'], summary: 'One agent with its top processes', params: IdParams } },
    async (req) => deps.agents.detail(req.params.id),
  );

  app.post<{ Body: Static<typeof EnrollBody> }>(
    '/api/v1/agents',
    { config: { access: 'write:agents' }, schema: { tags: ['agents'], summary: 'Create an agent and its ingest key (the key is shown once)', body: EnrollBody } },
    async (req, reply) => {
      const actor = actorOf(req.principal);
      const { agent, key } = await deps.agents.enroll(req.body.name, actor);
      await deps.audit.record({ actor, action: 'agent.create', target: `agent:${agent.name}`, ip: req.ip, userAgent: req.headers['user-agent'] ?? null, outcome: 'success', details: { keyId: key.record.id } });
      return reply.status(201).send({ agent: await deps.agents.view(agent), key: key.secret, keyId: key.record.id });
    },
  );

  app.post<{ Body: AgentHello }>(
    '/api/v1/agents/register',
    { config: { access: 'agent' }, schema: { tags: ['agents'], summary: 'Agent reports its host facts (agent key)', body: AgentHelloSchema } },
    async (req) => {
      const p = req.principal;
      if (p?.kind !== 'agent') throw errors.unauthenticated();
      const agent = await deps.agents.register(p.agentId, req.body);
      return { agentId: agent.id, name: agent.name };
    },
  );
}
