import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { LoadRunDto, StartLoadRun } from '@oms/contracts';
import { z } from 'zod';
import type { LoadRuns } from '../../app/load-runs';
import type { RouteContext } from '../context';

const HistoryQuery = z.object({ limit: z.coerce.number().int().min(1).max(100).default(20) });

/**
 * Load runs: start one, watch it (phase, generation time, per-priority
 * windows, throughput, ETA, health), cancel it, wipe what it generated, read the history.
 */
const adminLoadRunRoutes: FastifyPluginAsyncZod<RouteContext & { loadRuns: LoadRuns }> = async (app, { loadRuns }) => {
  app.addHook('onRequest', app.requireAdmin);

  app.post(
    '/',
    { schema: { summary: 'Start a load run (bulk: generated here; api: counts the orders shoppers place)', body: StartLoadRun, response: { 202: LoadRunDto } } },
    async (request, reply) => reply.code(202).send(await loadRuns.start(request.body)),
  );

  app.get('/current', { schema: { summary: 'Status of the current (or last) load run', response: { 200: LoadRunDto } } }, async () =>
    loadRuns.current(),
  );

  app.post('/current/cancel', { schema: { summary: 'Stop the active load run (generated data stays until reset)', response: { 200: LoadRunDto } } }, async () =>
    loadRuns.cancel(),
  );

  app.post(
    '/reset',
    { schema: { summary: 'Cancel any active run, delete every generated order and empty the order queues', response: { 200: z.object({ ordersDeleted: z.number().int() }) } } },
    async () => loadRuns.reset(),
  );

  app.get(
    '/history',
    { schema: { summary: 'Past load runs, newest first', querystring: HistoryQuery, response: { 200: z.object({ data: z.array(LoadRunDto) }) } } },
    async (request) => ({ data: await loadRuns.history(request.query.limit) }),
  );
};

export default adminLoadRunRoutes;
