import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { LoadRunDto, StartLoadRun } from '@oms/contracts';
import { z } from 'zod';
import type { LoadRuns } from '../load-runs';
import type { RouteContext } from '../../http/context';
import type { RateLimit } from '../../http/plugins/rate-limits';
import { BEARER } from '../../http/schemas';

/** Starting, cancelling and resetting runs, per admin: each writes or wipes data at scale. */
const control = { rateLimits: [{ name: 'load-run control', perMin: 10, per: 'user-or-ip' }] satisfies RateLimit[] };

const HistoryQuery = z.object({ limit: z.coerce.number().int().min(1).max(100).default(20).meta({ example: 20 }) });

/**
 * Load runs: start one, watch it (phase, generation time, per-priority
 * windows, throughput, ETA, health), cancel it, wipe what it generated, read the history.
 */
// Long by design: a plugin registering the related load-run routes, each a schema plus a short handler.
const adminLoadRunRoutes: FastifyPluginAsyncZod<RouteContext & { loadRuns: LoadRuns }> = async (app, { loadRuns }) => {
  app.addHook('onRequest', app.requireAdmin);

  app.post(
    '/',
    {
      config: control,
      schema: {
        summary: 'Start a load run (bulk: generated here; api: counts the orders shoppers place)',
        operationId: 'startLoadRun',
        tags: ['admin'],
        security: BEARER,
        body: StartLoadRun,
        response: { 202: LoadRunDto },
      },
    },
    async (request, reply) => reply.code(202).send(await loadRuns.start(request.body)),
  );

  const currentSchema = {
    summary: 'Status of the current (or last) load run',
    operationId: 'getCurrentLoadRun',
    tags: ['admin'],
    security: BEARER,
    response: { 200: LoadRunDto },
  };
  app.get('/current', { schema: currentSchema }, async () => loadRuns.current());

  const cancelSchema = {
    summary: 'Stop the active load run (generated data stays until reset)',
    operationId: 'cancelLoadRun',
    tags: ['admin'],
    security: BEARER,
    response: { 200: LoadRunDto },
  };
  app.post('/current/cancel', { config: control, schema: cancelSchema }, async () => loadRuns.cancel());

  app.post(
    '/reset',
    {
      config: control,
      schema: {
        summary: 'Cancel any active run, delete every generated order and empty the order queues',
        operationId: 'resetLoadRuns',
        tags: ['admin'],
        security: BEARER,
        response: { 200: z.object({ ordersDeleted: z.number().int() }) },
      },
    },
    async () => loadRuns.reset(),
  );

  app.get(
    '/history',
    {
      schema: {
        summary: 'Past load runs, newest first',
        operationId: 'listLoadRuns',
        tags: ['admin'],
        security: BEARER,
        querystring: HistoryQuery,
        response: { 200: z.object({ data: z.array(LoadRunDto) }) },
      },
    },
    async (request) => ({ data: await loadRuns.history(request.query.limit) }),
  );
};

export default adminLoadRunRoutes;
