import type { FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';
import type {} from '@fastify/swagger'; // its types add schema.hide
import type { OrderServiceMetrics } from '../../infrastructure/metrics';

declare module 'fastify' {
  interface FastifyInstance {
    /** This app's Prometheus metrics (main.ts feeds the relay and status-consumer series). */
    metrics: OrderServiceMetrics;
  }
}

/**
 * Times every request by route pattern and serves GET /metrics. The endpoint has no auth and no
 * rate limit, like any Prometheus target: in production expose it only on a private network.
 */
const metricsPlugin: FastifyPluginAsync<{ metrics: OrderServiceMetrics }> = async (app, { metrics }) => {
  app.decorate('metrics', metrics);
  app.addHook('onResponse', async (request, reply) => {
    metrics.httpDuration.observe(
      { method: request.method, route: request.routeOptions.url ?? 'unmatched', status_code: reply.statusCode },
      reply.elapsedTime / 1000,
    );
  });
  app.get('/metrics', { logLevel: 'warn', schema: { hide: true } }, async (_request, reply) => {
    reply.type(metrics.registry.contentType);
    return metrics.registry.metrics();
  });
};

export default fp(metricsPlugin, { name: 'metrics' });
