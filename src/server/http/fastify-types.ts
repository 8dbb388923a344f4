import type { Access } from '../auth/policy.js';
import type { Principal } from '../auth/principal.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Who made the request; null for anonymous (set by the authenticate plugin). */
    principal: Principal | null;
  }
  interface FastifyInstance {
    /** Every registered route with its declared access. */
    routeTable: { method: string; url: string; access: Access }[];
  }
  interface FastifyContextConfig {
    /** What the route requires; every route must declare it (checked at registration). */
    access?: Access;
  }
}

export {};
