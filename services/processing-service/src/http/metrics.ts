import type { FastifyPluginAsync } from 'fastify';
import type { Registry } from 'prom-client';

export const metricsRoute: FastifyPluginAsync<{ registry: Registry }> = async (app, { registry }) => {
  app.get('/metrics', { logLevel: 'warn' }, async (_req, reply) => {
    reply.type(registry.contentType);
    return registry.metrics();
  });
};
