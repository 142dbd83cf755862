import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { processingStats } from '../../application/operations/processing-stats';
import { listOutbox, queueOverview, redriveQueue, requeueOutbox } from '../../application/operations/queue-monitor';
import { AdminStatsDto, OutboxRowDto, QueueOverviewDto, toOutboxRowDto } from '../admin-dto';
import type { RouteContext } from '../context';
import { BEARER } from '../schemas';

const QueueParams = z.object({ name: z.string().min(1).max(80).meta({ example: 'orders' }) });
const OutboxQuery = z.object({
  status: z.enum(['pending', 'failed', 'published']).default('failed').meta({ example: 'failed' }),
  limit: z.coerce.number().int().min(1).max(500).default(100).meta({ example: 100 }),
});
// No body at all (fastify hands null) means the same as {}: every failed row.
const RequeueBody = z
  .object({
    ids: z
      .array(z.string().min(1).max(64))
      .min(1)
      .max(1000)
      .optional()
      .describe('all failed rows when absent')
      .meta({ example: ['01936f7e-3c1a-7b2e-9d4f-5a6b7c8d9e0f'] }),
  })
  .meta({ example: {} })
  .nullable();

/**
 * Operations for admins: queue monitor and DLQ redrive, the outbox, processing and cache figures.
 * No rate limits: the dashboard refreshes its ops panel up to every 2 s while orders flow, which a
 * shopper-sized quota would cut off.
 */
// Long by design: a plugin registering the related admin-ops routes, each a schema plus a short handler.
const adminOpsRoutes: FastifyPluginAsyncZod<RouteContext> = async (app, ctx) => {
  app.addHook('onRequest', app.requireAdmin);

  const queuesSchema = {
    summary: 'Queue monitor: depths, DLQs, outbox backlog and relay lag',
    operationId: 'getQueues',
    tags: ['admin'],
    security: BEARER,
    response: { 200: QueueOverviewDto },
  };
  app.get('/queues', { schema: queuesSchema }, async () =>
    queueOverview({ queueAdmin: ctx.queueAdmin, outbox: ctx.store, relayLag: ctx.relayLag, now: ctx.now }),
  );

  app.post(
    '/queues/:name/redrive',
    {
      schema: {
        summary: "Move a queue's dead letters back to it",
        operationId: 'redriveQueue',
        tags: ['admin'],
        security: BEARER,
        params: QueueParams,
        response: { 200: z.object({ moved: z.number().int() }) },
      },
    },
    async (request) => {
      const moved = await redriveQueue(ctx.queueAdmin, request.params.name);
      request.log.info({ queue: request.params.name, moved }, 'DLQ redriven');
      return { moved };
    },
  );

  const outboxSchema = {
    summary: 'List outbox rows by status',
    operationId: 'listOutbox',
    tags: ['admin'],
    security: BEARER,
    querystring: OutboxQuery,
    response: { 200: z.object({ data: z.array(OutboxRowDto) }) },
  };
  app.get('/outbox', { schema: outboxSchema }, async (request) => ({
    data: (await listOutbox(ctx.store, request.query.status, request.query.limit)).map(toOutboxRowDto),
  }));

  app.post(
    '/outbox/requeue',
    {
      schema: {
        summary: 'Put failed outbox rows back to pending',
        operationId: 'requeueOutbox',
        tags: ['admin'],
        security: BEARER,
        body: RequeueBody,
        response: { 200: z.object({ requeued: z.number().int() }) },
      },
    },
    async (request) => {
      const requeued = await requeueOutbox({ outbox: ctx.store, nudgeRelay: ctx.onOrderPlaced }, request.body?.ids);
      request.log.info({ requeued }, 'failed outbox rows requeued');
      return { requeued };
    },
  );

  const statsSchema = {
    summary: 'Cache and processing-time figures',
    operationId: 'getStats',
    tags: ['admin'],
    security: BEARER,
    response: { 200: AdminStatsDto },
  };
  app.get('/stats', { schema: statsSchema }, async () => {
    // The read cache is another plugin's; without it the figures are zero.
    const { hits, misses } = app.hasDecorator('cacheStats') ? app.cacheStats() : { hits: 0, misses: 0 };
    return {
      cache: { hits, misses, hitRatio: hits + misses === 0 ? 0 : hits / (hits + misses) },
      processing: await processingStats(ctx.store, ctx.now()),
    };
  });
};

export default adminOpsRoutes;
