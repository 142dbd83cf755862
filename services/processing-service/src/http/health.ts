import type { FastifyPluginAsync } from 'fastify';
import { checkReadiness, type ReadinessChecks } from '@oms/platform';

export type { ReadinessChecks };

const healthSchema = {
  response: {
    200: { type: 'object', properties: { status: { type: 'string' } } },
  },
};

const report = {
  type: 'object',
  properties: { status: { type: 'string' }, checks: { type: 'object', additionalProperties: { type: 'string' } } },
};
const readySchema = { response: { '2xx': report, 503: report } };

export const healthRoutes: FastifyPluginAsync<{ checks: ReadinessChecks }> = async (app, { checks }) => {
  app.get('/processor/api/health', { schema: healthSchema }, async () => ({ status: 'ok' }));

  app.get('/processor/api/health/ready', { schema: readySchema }, async (request, reply) => {
    const result = await checkReadiness(checks, (errors) => request.log.warn({ errors }, 'not ready'));
    return reply.status(result.status === 'ready' ? 200 : 503).send(result);
  });
};
