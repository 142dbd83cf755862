import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';
import { z } from 'zod';

export const DOCS_PREFIX = '/docs';

/** The API's areas; each route names its own tag, security and operationId in its schema. */
const TAGS = [
  { name: 'auth', description: 'Register, log in, rotate and revoke tokens' },
  { name: 'catalog', description: 'The public product catalog' },
  { name: 'orders', description: "A shopper's own orders" },
  { name: 'admin', description: 'Operations; needs the admin role' },
  { name: 'health', description: 'Liveness and readiness probes' },
];

const Problem = z.object({
  type: z.string().describe('urn:oms:problem:<code>'),
  title: z.string(),
  status: z.number().int(),
  detail: z.string(),
  code: z.string().describe('Stable machine-readable reason, e.g. validation-failed, rate-limited'),
  errors: z.array(z.looseObject({ path: z.string(), message: z.string() })).optional(),
});

const problemResponse = {
  description: 'RFC 9457 problem: bad input, missing or invalid token, unknown id, conflict or rate limit (429 with Retry-After)',
  content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
};

/**
 * OpenAPI 3 built from the routes' zod schemas, at /docs (UI) and /docs/json. Each route declares
 * its summary, tags, operationId and security; only the shared error response is added here.
 */
const apiDocs: FastifyPluginAsync = async (app) => {
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'OMS order service',
        version: '1.0.0',
        description: 'Orders, catalog and auth. Errors are application/problem+json (RFC 9457).',
      },
      // Relative: the document describes the server that serves it.
      servers: [{ url: '/', description: 'this order service' }],
      tags: TAGS,
      components: {
        securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
        schemas: { Problem: z.toJSONSchema(Problem, { target: 'openapi-3.0' }) as Record<string, unknown> },
      },
    },
    transform(input) {
      const transformed = jsonSchemaTransform(input);
      const { schema } = transformed;
      if (schema?.hide) return transformed;
      // A prefix's root route answers with and without the slash; document the form clients use.
      const url = transformed.url.length > 1 ? transformed.url.replace(/\/$/, '') : transformed.url;
      return { url, schema: { ...schema, response: { ...(schema?.response as object | undefined), '4XX': problemResponse } } };
    },
  });
  await app.register(swaggerUi, {
    routePrefix: DOCS_PREFIX,
    // Swagger UI needs more than the app-wide CSP (its own inline styles); only under /docs.
    staticCSP:
      "default-src 'self'; base-uri 'self'; font-src 'self' data:; frame-ancestors 'self'; img-src 'self' data:; object-src 'none'; script-src 'self'; script-src-attr 'none'; style-src 'self' 'unsafe-inline'",
    logLevel: 'warn',
  });
};

export default fp(apiDocs, { name: 'api-docs' });
