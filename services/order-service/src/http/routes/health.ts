import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { checkReadiness } from '@oms/platform';
import type { RouteContext } from '../context';
import { PUBLIC } from '../schemas';

const Check = z.enum(['ok', 'down']);
const Readiness = z.object({ status: z.enum(['ready', 'not-ready']), checks: z.object({ db: Check, queue: Check }) });

/** Liveness says the process answers; readiness also checks the database and the queue broker. */
const healthRoutes: FastifyPluginAsyncZod<RouteContext> = async (app, { store, queueReady }) => {
  const livenessSchema = {
    summary: 'Liveness',
    operationId: 'liveness',
    tags: ['health'],
    security: PUBLIC,
    response: { 200: z.object({ status: z.literal('ok') }) },
  };
  app.get('/', { schema: livenessSchema }, async () => ({ status: 'ok' as const }));

  const readinessSchema = {
    summary: 'Readiness: database and queue broker reachable (503 otherwise; why is logged, not answered)',
    operationId: 'readiness',
    tags: ['health'],
    security: PUBLIC,
    response: { 200: Readiness, 503: Readiness },
  };
  app.get('/ready', { schema: readinessSchema }, async (request, reply) => {
    const result = await checkReadiness({ db: () => store.ping(), queue: queueReady }, (errors) =>
      request.log.warn({ errors }, 'not ready'),
    );
    return reply.code(result.status === 'ready' ? 200 : 503).send(result as z.infer<typeof Readiness>);
  });
};

export default healthRoutes;
