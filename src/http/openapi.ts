import type { FastifyInstance } from 'fastify';
import { actorOf } from './auth.js';

export const OPENAPI_INFO = {
  title: 'Separ API',
  version: '1.0.0',
  description:
    'Separ CRM REST API. Authenticate with a session cookie (browser; send X-CSRF-Token on state changes) or an API token (Authorization: Bearer). Errors are RFC 9457 problem+json with a stable `code`.',
};

/** The OpenAPI 3.1 document, generated from the route schemas (also committed as openapi.json). */
export function openApiDocument(root: FastifyInstance): unknown {
  return root.swagger();
}

export function registerOpenApiRoute(api: FastifyInstance, root: FastifyInstance): void {
  api.get('/openapi.json', { schema: { hide: true } }, async (req, reply) => {
    actorOf(req);
    return reply.header('content-type', 'application/json; charset=utf-8').send(JSON.stringify(openApiDocument(root)));
  });
}
