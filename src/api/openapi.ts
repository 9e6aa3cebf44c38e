import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { createRequire } from 'node:module';
import type { Config } from '../config/config.js';
import { finishOpenApiDocument, type OpenApiDocument } from './openapi-contract.js';
import type { Api } from './types.js';

function version(): string {
  try {
    return (createRequire(import.meta.url)('../../package.json') as { version: string }).version;
  } catch {
    return (createRequire(import.meta.url)('../../../package.json') as { version: string }).version;
  }
}

/**
 * OpenAPI 3.1 generated from the route schemas (the same TypeBox schemas that validate requests:
 * JSON Schema 2020-12, which 3.1 takes as it is), at `/openapi.json`, and Swagger UI at `/docs`, its
 * assets served from the package (no CDN). Both are public: they describe the API, they hold no data.
 * Routes that need no credentials say so (`security: []`); openapi-contract.ts adds operation ids
 * and the problem answers.
 */
export async function registerOpenApi(f: Api, config: Config): Promise<void> {
  const serverUrl = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${config.port}`;
  await f.register(swagger, {
    transform: ({ schema, url, route }) => {
      const isPublic = route.config?.public === true;
      return { schema: isPublic && schema ? { ...schema, security: [] } : schema, url };
    },
    transformObject: (documents) => finishOpenApiDocument((documents as { openapiObject: OpenApiDocument }).openapiObject, serverUrl) as never,
    openapi: {
      openapi: '3.1.0',
      info: { title: 'iTechSmart Workflow API', version: version(), description: 'Workflows, executions, triggers, templates, actions and metrics. Errors are application/problem+json.' },
      components: {
        securitySchemes: {
          bearerAuth: { type: 'http', scheme: 'bearer', description: 'API key: Authorization: Bearer itw_...' },
          sessionCookie: { type: 'apiKey', in: 'cookie', name: 'itw_session', description: 'from POST /auth/login; unsafe methods also need x-csrf-token' },
        },
      },
      security: [{ bearerAuth: [] }, { sessionCookie: [] }],
    },
  });
  // Swagger UI is an HTML page of the UI's origin too: its own CSP (script hashes), never framed, and no
  // upgrade-insecure-requests (it would break the page on a plain-HTTP loopback server).
  await f.register(swaggerUi, {
    routePrefix: '/docs', uiConfig: { deepLinking: true }, staticCSP: true,
    uiHooks: { onRequest: (_req, reply, done) => { void reply.header('x-content-type-options', 'nosniff'); done(); } },
    transformStaticCSP: (header: string) => header.replace("frame-ancestors 'self'", "frame-ancestors 'none'").replace(/\s*upgrade-insecure-requests;?/, ''),
  });
  f.get('/openapi.json', { schema: { hide: true }, config: { public: true } }, (_req, reply) => reply.type('application/json').send(f.swagger()));
}
