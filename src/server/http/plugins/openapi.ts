import type { FastifyInstance } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { PROTOCOL_VERSION } from '../../../protocol/version.js';

/** Prefix of the API documentation (OpenAPI JSON at `<prefix>/json`, UI at `<prefix>`). */
export const DOCS_PREFIX = '/api/docs';

/** Generates the OpenAPI document from the route schemas and serves it (signed-in users only). */
export async function installOpenApi(app: FastifyInstance, version: string): Promise<void> {
  await app.register(swagger, {
    openapi: {
      info: { title: 'Vigil API', version, description: `Monitoring, alerting and security API. Wire protocol ${PROTOCOL_VERSION}. See docs/api.md.` },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'vigil_sid' },
          bearer: { type: 'http', scheme: 'bearer', description: 'vgu_… user token or vgk_… agent key' },
        },
      },
      security: [{ session: [] }, { bearer: [] }],
    },
  });
  await app.register(swaggerUi, { routePrefix: DOCS_PREFIX, staticCSP: true });
}
