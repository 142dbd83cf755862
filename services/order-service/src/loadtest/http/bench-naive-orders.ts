import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { OrderDto } from '@oms/contracts';
import type { NewOutboxMessage } from '@oms/outbox';
import { placeOrder } from '../../application/orders/orders';
import type { RouteContext } from '../../http/context';
import { principalOf } from '../../http/plugins/authentication';
import { toOrderDto } from '../../http/presenters';
import { orderPlacementLimit, PlaceOrderBody } from '../../http/routes/orders';

/**
 * Benchmark baseline, mounted only with BENCH_NAIVE_PUBLISH=true (admin only, counted like order
 * placement by the rate limits; production also needs LOAD_TEST_ENDPOINTS): POST /api/orders minus the
 * outbox. The order commits without its outbox row and the event is sent to SQS inline before the
 * answer, the "publish right after commit" design the outbox exists to replace (a crash between
 * commit and send loses the event). `pnpm bench` compares the two paths' intake rates.
 */
const benchNaiveOrderRoutes: FastifyPluginAsyncZod<RouteContext & { publishInline: (m: NewOutboxMessage) => Promise<void> }> = async (
  app,
  ctx,
) => {
  app.addHook('onRequest', app.requireAdmin);

  app.post(
    '/',
    {
      config: { rateLimits: [orderPlacementLimit(ctx.config)] },
      schema: { hide: true, body: PlaceOrderBody, response: { 201: OrderDto } },
    },
    async (request, reply) => {
      const { order } = await placeOrder(
        { store: ctx.store, taxRateBps: ctx.config.TAX_RATE_BPS, now: ctx.now, publishInline: ctx.publishInline },
        { userId: principalOf(request).userId, idempotencyKey: null, items: request.body.items },
      );
      return reply.code(201).send(toOrderDto(order));
    },
  );
};

export default benchNaiveOrderRoutes;
