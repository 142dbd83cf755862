import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { OrderDto, page } from '@oms/contracts';
import { z } from 'zod';
import { getOrderFor, listOrdersForUser, placeOrder } from '../../app/orders';
import type { RouteContext } from '../context';
import { principalOf } from '../plugins/authentication';
import { toOrderDto } from '../presenters';
import { IdParams, PageQuery } from '../schemas';

const MAX_ORDER_LINES = 100;
const MAX_LINE_QUANTITY = 1000;

export const PlaceOrderBody = z.object({
  items: z
    .array(
      z.object({
        productId: z.string().min(1).max(64),
        quantity: z.number().int().min(1).max(MAX_LINE_QUANTITY),
      }),
    )
    .min(1)
    .max(MAX_ORDER_LINES),
});
// looseObject: the other headers (Authorization!) must survive validation.
const PlaceOrderHeaders = z.looseObject({
  'idempotency-key': z
    .string()
    .min(1)
    .max(128)
    .regex(/^[\x21-\x7e]+$/, 'visible ASCII only')
    .optional(),
});

/** A shopper's own orders; admins may read any single order. */
const orderRoutes: FastifyPluginAsyncZod<RouteContext> = async (app, ctx) => {
  app.addHook('onRequest', app.authenticate);

  app.post(
    '/',
    {
      schema: {
        summary: 'Place an order (stock is reserved in the same transaction); Idempotency-Key makes retries safe',
        headers: PlaceOrderHeaders,
        body: PlaceOrderBody,
        response: { 201: OrderDto },
      },
    },
    async (request, reply) => {
      const { order, replayed } = await placeOrder(
        { store: ctx.store, taxRateBps: ctx.config.TAX_RATE_BPS, now: ctx.now },
        {
          userId: principalOf(request).userId,
          idempotencyKey: request.headers['idempotency-key'] ?? null,
          items: request.body.items,
        },
      );
      if (replayed) reply.header('idempotent-replayed', 'true');
      else ctx.onOrderPlaced();
      // A replay answers exactly like the original did.
      return reply.code(201).send(toOrderDto(order));
    },
  );

  app.get('/', { schema: { summary: 'List my orders, newest first (cursor paging)', querystring: PageQuery, response: { 200: page(OrderDto) } } }, async (request) => {
    const result = await listOrdersForUser(ctx.store, principalOf(request).userId, request.query);
    return { data: result.items.map(toOrderDto), nextCursor: result.nextCursor };
  });

  app.get('/:id', { schema: { summary: 'Get one of my orders (admins: any order)', params: IdParams, response: { 200: OrderDto } } }, async (request) =>
    toOrderDto(await getOrderFor(ctx.store, principalOf(request), request.params.id)),
  );
};

export default orderRoutes;
