import type { FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';
import type {} from '@fastify/swagger'; // its types add schema.hide
import type { Histogram, Registry } from 'prom-client';

/** What the HTTP layer needs of the service's metrics: the request histogram and the registry it serves. */
export interface HttpMetrics {
  httpDuration: Pick<Histogram<'method' | 'route' | 'status_code'>, 'observe'>;
  registry: Pick<Registry, 'contentType' | 'metrics'>;
}

/**
 * Times every request by route pattern and serves GET /metrics. The endpoint has no auth and no
 * rate limit, like any Prometheus target: in production expose it only on a private network.
 */
const metricsPlugin: FastifyPluginAsync<{ metrics: HttpMetrics }> = async (app, { metrics }) => {
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
