import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { PROBE_TIMEOUT_MS, sendProblem, withTimeout } from '@oms/platform';
import type { RouteContext } from '../context';
import { PUBLIC } from '../schemas';

const errorText = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** Liveness says the process answers; readiness also checks the database and the queue broker. */
const healthRoutes: FastifyPluginAsyncZod<RouteContext> = async (app, { store, queueReady }) => {
  const livenessSchema = { summary: 'Liveness', operationId: 'liveness', tags: ['health'], security: PUBLIC, response: { 200: z.object({ status: z.literal('ok') }) } };
  app.get('/', { schema: livenessSchema }, async () => ({ status: 'ok' as const }));

  const readinessSchema = {
    summary: 'Readiness: database and queue broker reachable (503 problem otherwise)',
    operationId: 'readiness',
    tags: ['health'],
    security: PUBLIC,
    // Loose: documents the answer without trimming what the handler reports.
    response: { 200: z.looseObject({ status: z.string() }) },
  };
  app.get('/ready', { schema: readinessSchema }, async (request, reply) => {
    // A hung database or broker makes the probe answer 503, not hang with it.
    const checks = await Promise.allSettled([withTimeout(store.ping(), PROBE_TIMEOUT_MS), withTimeout(queueReady(), PROBE_TIMEOUT_MS)]);
    const [db, queue] = checks.map((c) => (c.status === 'fulfilled' ? 'ok' : errorText(c.reason)));
    if (db === 'ok' && queue === 'ok') return { status: 'ready', checks: { db, queue } };
    request.log.warn({ db, queue }, 'not ready');
    return sendProblem(reply, {
      status: 503,
      title: 'Service Unavailable',
      code: 'not-ready',
      detail: `database: ${db}; queue: ${queue}`,
    });
  });
};

export default healthRoutes;
