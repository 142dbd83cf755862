import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type { Registry } from 'prom-client';
import { clientErrorHandler, frameworkErrors } from '@oms/platform/http';
import { healthRoutes, type ReadinessChecks } from './health';
import { metricsRoute } from './metrics';
import { problemPlugin } from './problem';

export function buildHttpServer(opts: {
  logger: FastifyServerOptions['logger'];
  checks: ReadinessChecks;
  registry: Registry;
}): FastifyInstance {
  const app = Fastify({ logger: opts.logger, frameworkErrors, clientErrorHandler });
  app.register(problemPlugin);
  app.register(healthRoutes, { checks: opts.checks });
  app.register(metricsRoute, { registry: opts.registry });
  return app;
}
